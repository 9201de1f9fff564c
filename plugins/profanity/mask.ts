/**
 * Masks: one mask character per user-perceived character of the original span, separators inside the
 * span included, the span first widened to grapheme boundaries (as the core will apply it). Invisible
 * characters inside the span are replaced too, but get no mask character of their own.
 * @module
 */
import { GraphemeSnapper } from '../../core/edits.js'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
/** A cluster of format characters only (zero-width space, soft hyphen…): nothing a reader sees. */
const INVISIBLE = /^\p{Cf}+$/u
/** Below U+0300 (combining marks) and without CR, every code unit is its own cluster. */
const SIMPLE = /^[\x00-\x0c\x0e-\u02ff]*$/

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
  // Most hits are plain Latin next to plain Latin: no cluster to widen into, one mask per code unit
  // (soft hyphens aside). Segmenting the whole text is only worth it otherwise.
  if (SIMPLE.test(text.slice(Math.max(0, start - 1), end + 1))) {
    let count = end - start
    for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0xad) count--
    return { start, end, text: maskChar.repeat(count) }
  }
  const [s, e] = snapper.snap(start, end)
  let count = 0
  for (const { segment } of segmenter.segment(text.slice(s, e))) if (!INVISIBLE.test(segment)) count++
  return { start: s, end: e, text: maskChar.repeat(count) }
}
