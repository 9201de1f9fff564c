/**
 * Masking a span of text, shared by the plugins that mask (profanity, contacts): one mask character per
 * user-perceived character of the original span, separators inside the span included, the span first widened
 * to grapheme boundaries (as the core will apply it). Invisible characters inside the span are replaced too,
 * but get no mask character of their own.
 * @module
 */
import { GraphemeSnapper, isPlainSpan } from './edits.js'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** A cluster of format characters only (zero-width space, soft hyphen…): nothing a reader sees. */
const INVISIBLE = /^\p{Cf}+$/u

/**
 * The span the core will replace, and its mask. For the hits of one text, pass one `snapper` for it and go
 * left to right: the text is then segmented once, not once a hit.
 * @example maskSpan('f.u.c.k!', 0, 7, '*') // { start: 0, end: 7, text: '*******' }
 */
export function maskSpan(
  text: string,
  start: number,
  end: number,
  maskChar: string,
  snapper: GraphemeSnapper = new GraphemeSnapper(text),
): { start: number; end: number; text: string } {
  // Most hits are plain Latin, Chinese or kana between characters of the same kinds: one cluster per code unit,
  // so no segmenter; one mask per unit but the soft hyphens, which are invisible.
  if (isPlainSpan(text, start, end)) {
    let count = end - start
    for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0xad) count--
    return { start, end, text: maskChar.repeat(count) }
  }
  const [s, e] = snapper.snap(start, end)
  let count = 0
  for (const { segment } of segmenter.segment(text.slice(s, e))) if (!INVISIBLE.test(segment)) count++
  return { start: s, end: e, text: maskChar.repeat(count) }
}
