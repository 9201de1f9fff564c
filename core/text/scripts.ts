/**
 * Character classes shared by the normalisers and the term compiler: which characters belong to scripts
 * written without spaces between words, and which make up a word for Unicode-aware word boundaries.
 * @module
 */
import { unitOrNaN } from '../units.js'

/**
 * Scripts written without spaces between words: a term in them matches anywhere, and separators between
 * their characters are noise rather than word breaks.
 */
export const NO_SPACE_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Yi}\u30fc\u3005]$/u

const WORDISH = /^[\p{L}\p{N}\p{M}]$/u
const LATIN = /^\p{Script=Latin}$/u

// Per-message code classifies every character; Unicode property regexes are slow, so answers are cached on
// first sight: BMP ones in a table (bit 1 = letter/number/mark, bit 2 = no-space script, 4 = known,
// 8 = Latin script), astral ones (emoji, rare CJK) in a map of at most MAX_ASTRAL entries.
const KNOWN = 4
/** The class bit of a code point in the Latin script (see {@link unitClass}). */
export const LATIN_CLASS = 8
const table = new Uint8Array(0x10000)
const MAX_ASTRAL = 4096
const astral = new Map<number, number>()

function classify(ch: string): number {
  const c = unitOrNaN(ch, 0)
  if (ch.length === 1) {
    const cached = table[c]!
    if (cached !== 0) return cached
  } else {
    const cached = astral.get(ch.codePointAt(0)!)
    if (cached !== undefined) return cached
  }
  const cls = (WORDISH.test(ch) ? 1 : 0) | (c >= 0x0e00 && NO_SPACE_SCRIPT.test(ch) ? 2 : 0) | (LATIN.test(ch) ? LATIN_CLASS : 0) | KNOWN
  if (ch.length === 1) table[c] = cls
  else if (astral.size < MAX_ASTRAL) astral.set(ch.codePointAt(0)!, cls)
  return cls
}

/**
 * The class bits of BMP code unit `c` that is not a surrogate (1 = letter/number/mark, 2 = no-space
 * script, {@link LATIN_CLASS}): the same answers as the functions below, without making a string.
 * Per-message loops use it.
 */
export function unitClass(c: number): number {
  const cached = table[c]!
  return cached !== 0 ? cached : classify(String.fromCharCode(c))
}

/** True when `ch` (one code point) is in a script written without spaces. */
export function isNoSpace(ch: string): boolean {
  return unitOrNaN(ch, 0) >= 0x0e00 && (classify(ch) & 2) !== 0
}

/** True when `ch` (one code point) is in the Latin script. */
export function isLatin(ch: string): boolean {
  return (classify(ch) & LATIN_CLASS) !== 0
}

/**
 * True when `ch` (one code point) continues a word for boundary purposes: a letter, number or mark that is
 * not in a no-space script (a Latin word next to Chinese text still has a boundary there).
 */
export function isWordChar(ch: string): boolean {
  const c = unitOrNaN(ch, 0)
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)
  return (classify(ch) & 3) === 1
}

/** True when `ch` (one code point) is a letter, number or mark in any script. */
export function isLetterOrNumber(ch: string): boolean {
  const c = unitOrNaN(ch, 0)
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)
  return (classify(ch) & 1) !== 0
}

/** True when a surrogate pair starts at `i`: a high surrogate followed by a low one (one code point, two units). */
export function pairAt(text: string, i: number): boolean {
  const c = unitOrNaN(text, i)
  return c >= 0xd800 && c <= 0xdbff && (unitOrNaN(text, i + 1) & 0xfc00) === 0xdc00
}

/** The code point of `text` starting at `i`, as a string (a lone surrogate is a code point of its own). */
export function codePointAt(text: string, i: number): string {
  return pairAt(text, i) ? text.slice(i, i + 2) : text.slice(i, i + 1)
}

/** The code point of `text` ending just before `i`, as a string. */
export function codePointBefore(text: string, i: number): string {
  const c = unitOrNaN(text, i - 1)
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    // A pair only when a high surrogate precedes: a lone low one is a code point of its own.
    const h = unitOrNaN(text, i - 2)
    if (h >= 0xd800 && h <= 0xdbff) return text.slice(i - 2, i)
  }
  return text.slice(i - 1, i)
}
