/**
 * Strips diacritics: accents and other combining marks from the Latin, Greek and Cyrillic combining
 * blocks (`fück` → `fuck`, `Zalgo` marks), plus Latin letters with no decomposition — a stroke, hook or bar
 * (ø đ ł ı ß, and the ʂ ɨ ƶ ɗ of "fancy text" generators) — which fold to the plain letters `any-ascii`
 * transliterates them to. Kana voicing marks are kept: バ and ハ are different letters, not an accent.
 * @module
 */
import anyAscii from 'any-ascii'
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer, StageContext } from '../stage.js'

const MARKS = /[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/gu
const LONE_MARK = /^[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]$/u
/** Where every character this normaliser changes lives: Latin-1 to Greek Extended, and the mark blocks. */
const CANDIDATE = /[\u00c0-\u1fff\u20d0-\u20ff\ufe20-\ufe2f]/
const SPECIAL: Readonly<Record<string, string>> = {
  ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', ı: 'i', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ß: 'ss', ẞ: 'SS',
}
const LATIN_LETTER = /^(?=\p{Script=Latin})\p{L}$/u
/** What a letter folds to: one or two plain letters ("ss", "ae"); any-ascii's other answers are kept out. */
const PLAIN = /^[A-Za-z]{1,2}$/

/** A Latin letter with no decomposition, as any-ascii writes it in plain letters (lower case stays lower). */
function plainLetter(ch: string): string | undefined {
  if (!LATIN_LETTER.test(ch)) return undefined
  const ascii = anyAscii(ch)
  if (!PLAIN.test(ascii)) return undefined
  return ch === ch.toLowerCase() ? ascii.toLowerCase() : ascii
}

function strip(cp: number, ch: string): string | undefined {
  if (cp < 0xc0 || (cp > 0x1fff && !(cp >= 0x20d0 && cp <= 0x20ff) && !(cp >= 0xfe20 && cp <= 0xfe2f))) return undefined
  const special = SPECIAL[ch]
  if (special !== undefined) return special
  if (LONE_MARK.test(ch)) return ''
  const decomposed = ch.normalize('NFD')
  if (decomposed === ch) return plainLetter(ch)
  const stripped = decomposed.replace(MARKS, '').normalize('NFC')
  return stripped === ch ? undefined : stripped
}

/**
 * Remove diacritics.
 * @example diacritics(context)(workspace.initialStage('fück')).text // 'fuck'
 */
export function diacritics({ workspace }: StageContext): Normalizer {
  return (input) => (CANDIDATE.test(input.text) ? mapCodePoints(workspace, input, strip) : input)
}
