/**
 * Collapses separators used to split a word into single characters — "f.u.c.k", "f u c k", "f-u-c-k",
 * "傻 逼", "操 你 妈" — without joining ordinary words ("this hit", "as sure" stay two words). Also folds
 * any other run of whitespace to one space, so a multi-word term matches however it is spaced.
 *
 * The rules, on the text as the earlier normalisers left it:
 * - a *token* is a run of letters, numbers, marks, apostrophes (and `@ $` when leetspeak is on); anything
 *   else is a separator;
 * - a separator run of at most 3 characters is removed when it sits inside a chain of at least 3
 *   single-character tokens ("f u c k", "a.s.s"), or between two characters of a no-space script
 *   (Chinese, Japanese kana, Thai…) unless it holds a line break or sentence-ending punctuation;
 * - in a chain spelled with other separators too, a whitespace gap is a word break: "a f.u.c.k" is "a fuck"
 *   and "f.u.c.k a.s.s" is "fuck ass" (not "afuck", "fuckass"), unless that would leave two letters on their
 *   own ("s.h i.t" is still "shit"). A chain spaced with whitespace alone ("a f u c k") cannot be told apart
 *   from a word spelled out, and is joined whole.
 * @module
 */
import { StageBuilder, type Normalizer, type Stage } from '../stage.js'
import { codePointAt, codePointBefore, isLetterOrNumber, isNoSpace, unitClass } from '../scripts.js'

const MAX_SEPARATOR = 3
const MIN_CHAIN = 3

/** ASCII letters, digits and the apostrophe: token characters. */
const ASCII_TOKEN = new Uint8Array(128).map((_, c) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x27 ? 1 : 0,
)

/** What JavaScript's `\s` matches, one UTF-16 unit at a time. */
function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}

/** Line breaks and sentence-ending punctuation: a gap holding one keeps no-space characters apart. */
function isSentenceEnd(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x3002 || c === 0x21 || c === 0x3f
}

// Facts about the gap after token k, as bits of gaps[k].
/** At most MAX_SEPARATOR code points. */
const SHORT = 1
/** Whitespace only. */
const BLANK = 2
/** Exactly one ASCII space. */
const ONE_SPACE = 4
/** Holds a line break or sentence end. */
const SENTENCE_END = 8
/** Removed. */
const JOIN = 16

// Scratch arrays reused across calls (a message is normalised synchronously, start to end).
let tokenStart = new Int32Array(256)
let tokenEnd = new Int32Array(256)
let single = new Uint8Array(256)
let gaps = new Uint8Array(256)

/** Options: which extra characters count as letters (leetspeak symbols). */
export interface SeparatorOptions {
  /** Treat `@` and `$` as letters, so "$.h.i.t" is a chain (set when leetspeak folding is on). */
  readonly leetSymbols?: boolean
}

/**
 * Token length (in code units) of the character of `text` at `i`, or 0 when it is a separator. ASCII
 * first: it is most of the text, and needs no string.
 */
function tokenAt(text: string, i: number, leet: boolean): number {
  const c = text.charCodeAt(i)
  if (c < 0x80) return ASCII_TOKEN[c] === 1 || (leet && (c === 0x40 || c === 0x24)) ? 1 : 0
  if (c < 0xd800 || c > 0xdfff) return (unitClass(c) & 1) !== 0 || c === 0x2019 ? 1 : 0
  const ch = codePointAt(text, i)
  return isLetterOrNumber(ch) ? ch.length : 0
}

/**
 * Whether the code point ending before `i` (`before`) or starting at `i` is in a no-space script: a table
 * lookup for a BMP character, a string only for a surrogate pair.
 */
function noSpace(text: string, i: number, before: boolean): boolean {
  const c = text.charCodeAt(before ? i - 1 : i)
  if (c < 0xd800 || c > 0xdfff) return c >= 0x0e00 && (unitClass(c) & 2) !== 0
  return isNoSpace(before ? codePointBefore(text, i) : codePointAt(text, i))
}

/**
 * Mark the gaps of the chain of single-character tokens `k..j` (at least MIN_CHAIN of them) to go. When the
 * chain mixes whitespace gaps with other separators, its whitespace gaps are word breaks, and only the pieces
 * between them of at least MIN_CHAIN tokens are joined — unless a piece is two tokens, no word on its own:
 * then the whole chain joins, as it does when its gaps are all alike.
 */
function joinChain(k: number, j: number): void {
  let blank = 0
  for (let g = k; g < j; g++) if ((gaps[g]! & BLANK) !== 0) blank++
  let split = blank > 0 && blank < j - k
  for (let from = k, g = k; split && g <= j; g++) {
    if (g < j && (gaps[g]! & BLANK) === 0) continue
    if (g - from === 1) split = false
    from = g + 1
  }
  // Token g ends a piece where the gap after it is a word break, and at the chain's end.
  for (let from = k, g = k; g <= j; g++) {
    if (g < j && (!split || (gaps[g]! & BLANK) === 0)) continue
    if (g - from + 1 >= MIN_CHAIN) for (let x = from; x < g; x++) gaps[x]! |= JOIN
    from = g + 1
  }
}

/**
 * Remove separators between single characters and fold whitespace runs.
 * @example separators()(initialStage('f.u.c.k this')).text // 'fuck this'
 */
export function separators(options: SeparatorOptions = {}): Normalizer {
  const leet = options.leetSymbols === true

  return (input: Stage) => {
    const { text } = input
    const n = text.length
    if (tokenStart.length <= n) {
      tokenStart = new Int32Array(n * 2 + 2)
      tokenEnd = new Int32Array(n * 2 + 2)
      single = new Uint8Array(n * 2 + 2)
      gaps = new Uint8Array(n * 2 + 2)
    }

    // Tokens, and what each gap between two of them holds.
    let count = 0
    for (let i = 0; i < n; ) {
      const gapStart = i
      let points = 0
      let blank = true
      let end = false
      let len = tokenAt(text, i, leet)
      while (len === 0) {
        const c = text.charCodeAt(i)
        if ((c & 0xfc00) !== 0xdc00) points++
        blank &&= isWhitespace(c)
        end ||= isSentenceEnd(c)
        if (++i === n) break
        len = tokenAt(text, i, leet)
      }
      if (i === n) break
      if (count > 0) {
        gaps[count - 1] = (points <= MAX_SEPARATOR ? SHORT : 0) | (blank ? BLANK : 0) | (end ? SENTENCE_END : 0) |
          (i - gapStart === 1 && text.charCodeAt(gapStart) === 0x20 ? ONE_SPACE : 0)
      }
      tokenStart[count] = i
      let points2 = 0
      while (len > 0) {
        i += len
        points2++
        len = i < n ? tokenAt(text, i, leet) : 0
      }
      tokenEnd[count] = i
      single[count++] = points2 === 1 ? 1 : 0
    }

    // Chains of single-character tokens separated by short runs: their gaps go.
    for (let k = 0; k < count; ) {
      let j = k
      while (j + 1 < count && single[j] === 1 && single[j + 1] === 1 && (gaps[j]! & SHORT) !== 0) j++
      if (j - k + 1 >= MIN_CHAIN) joinChain(k, j)
      k = j + 1
    }
    // Short gaps between two characters of a no-space script go too, unless a sentence ends there.
    for (let k = 0; k + 1 < count; k++) {
      const gap = gaps[k]!
      if ((gap & (JOIN | SENTENCE_END)) !== 0 || (gap & SHORT) === 0) continue
      if (noSpace(text, tokenEnd[k]!, true) && noSpace(text, tokenStart[k + 1]!, false)) gaps[k] = gap | JOIN
    }

    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let k = 0; k + 1 < count; k++) {
      const gap = gaps[k]!
      if ((gap & JOIN) === 0 && ((gap & BLANK) === 0 || (gap & ONE_SPACE) !== 0)) continue
      const gs = tokenEnd[k]!
      const ge = tokenStart[k + 1]!
      out ??= new StageBuilder(input)
      out.copy(input, copiedTo, gs)
      // A whitespace run that stays becomes one space spanning all of it.
      if ((gap & JOIN) === 0) out.push(' ', input.start[gs]!, input.end[ge - 1]!)
      copiedTo = ge
    }
    if (out === undefined) return input
    out.copy(input, copiedTo, n)
    return out.build()
  }
}
