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
 *   (Chinese, Japanese kana, Thai…) unless it holds a line break or sentence-ending punctuation.
 * @module
 */
import { StageBuilder, type Normalizer, type Stage } from '../stage.js'
import { codePointAt, codePointBefore, isLetterOrNumber, isNoSpace } from '../scripts.js'

const MAX_SEPARATOR = 3
const MIN_CHAIN = 3
const SENTENCE_END = /[\n\r\u2028\u2029\u3002!?]/
const WHITESPACE = /^\s+$/

/** ASCII letters, digits and the apostrophe: token characters. */
const ASCII_TOKEN = new Uint8Array(128).map((_, c) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x27 ? 1 : 0,
)

interface Token {
  s: number
  e: number
  single: boolean
}

/** Options: which extra characters count as letters (leetspeak symbols). */
export interface SeparatorOptions {
  /** Treat `@` and `$` as letters, so "$.h.i.t" is a chain (set when leetspeak folding is on). */
  readonly leetSymbols?: boolean
}

/**
 * Remove separators between single characters and fold whitespace runs.
 * @example separators()(initialStage('f.u.c.k this')).text // 'fuck this'
 */
export function separators(options: SeparatorOptions = {}): Normalizer {
  const leet = options.leetSymbols === true
  const isToken = (ch: string): boolean =>
    isLetterOrNumber(ch) || ch === "'" || ch === '\u2019' || (leet && (ch === '@' || ch === '$'))

  return (input: Stage) => {
    const { text } = input
    // Token length (in code units) of the character at i, or 0 when it is a separator. ASCII first:
    // it is most of the text, and needs no string.
    const tokenAt = (i: number): number => {
      const c = text.charCodeAt(i)
      if (c < 0x80) return ASCII_TOKEN[c] === 1 || (leet && (c === 0x40 || c === 0x24)) ? 1 : 0
      const ch = codePointAt(text, i)
      return isToken(ch) ? ch.length : 0
    }
    const tokens: Token[] = []
    for (let i = 0; i < text.length; ) {
      let len = tokenAt(i)
      if (len === 0) {
        i++
        continue
      }
      const s = i
      let cps = 0
      while (len > 0) {
        i += len
        cps++
        len = i < text.length ? tokenAt(i) : 0
      }
      tokens.push({ s, e: i, single: cps === 1 })
    }

    // join[k]: the separator between tokens k and k+1 is removed.
    const join = new Uint8Array(Math.max(0, tokens.length - 1))
    const gapLength = (k: number): number => {
      let n = 0
      for (let i = tokens[k]!.e; i < tokens[k + 1]!.s; i++) if ((text.charCodeAt(i) & 0xfc00) !== 0xdc00) n++
      return n
    }
    for (let k = 0; k < tokens.length; ) {
      // A chain of single-character tokens separated by short runs.
      let j = k
      while (j + 1 < tokens.length && tokens[j]!.single && tokens[j + 1]!.single && gapLength(j) <= MAX_SEPARATOR) j++
      if (j - k + 1 >= MIN_CHAIN) join.fill(1, k, j)
      k = j + 1
    }
    for (let k = 0; k + 1 < tokens.length; k++) {
      if (join[k] === 1) continue
      const left = tokens[k]!
      const right = tokens[k + 1]!
      if (
        isNoSpace(codePointBefore(text, left.e)) &&
        isNoSpace(codePointAt(text, right.s)) &&
        gapLength(k) <= MAX_SEPARATOR &&
        !SENTENCE_END.test(text.slice(left.e, right.s))
      ) {
        join[k] = 1
      }
    }

    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let k = 0; k + 1 < tokens.length; k++) {
      const gs = tokens[k]!.e
      const ge = tokens[k + 1]!.s
      const gap = text.slice(gs, ge)
      if (join[k] === 1) {
        out ??= new StageBuilder(input)
        out.copy(input, copiedTo, gs)
        copiedTo = ge
      } else if (gap !== ' ' && WHITESPACE.test(gap)) {
        out ??= new StageBuilder(input)
        out.copy(input, copiedTo, gs)
        out.push(' ', input.start[gs]!, input.end[ge - 1]!)
        copiedTo = ge
      }
    }
    if (out === undefined) return input
    out.copy(input, copiedTo, text.length)
    return out.build()
  }
}
