/**
 * Leetspeak: digits and symbols standing for letters (`0→o 1→i 3→e 4→a 5→s 7→t @→a $→s !→i`), only
 * inside a run that also holds a Latin letter — so "sh1t", "a$$" and "@ss" fold while "2024", "$5" and
 * "100%" stay numbers — and is not a code, letters then digits ("A55", "T17" stay as they are; "b00b5" and
 * "5h1t" fold), nor a number with a unit after it, two digits or more first ("45s", "1990s", "10am"). `!` folds only with a letter or digit of the run on both sides, so trailing and
 * leading ones stay punctuation ("shit!" and "fuck!!!" keep their word boundary; "sh!t" folds).
 * @module
 */
import type { Normalizer, Stage } from '../stage.js'
import { codePointAt, codePointBefore, isLatin, isLetterOrNumber, LATIN_CLASS, unitClass } from '../scripts.js'
import { unitAt } from '../../units.js'

/** The substitutions, symbol → letter. */
export const LEET: Readonly<Record<string, string>> = Object.freeze({
  0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', '@': 'a', $: 's', '!': 'i',
})

const LEET_CHARS = /[013457@$!]/g

/** True when `ch` (one code point) continues a leetspeak run: a letter, number or mark, `@`, `$` or `!`. */
export const isRunChar = (ch: string): boolean => isLetterOrNumber(ch) || ch === '@' || ch === '$' || ch === '!'

/** True when the run `[s, e)` of `text` holds a Latin letter: only then does it fold. */
export function hasLatin(text: string, s: number, e: number): boolean {
  for (let i = s; i < e;) {
    const c = unitAt(text, i)
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) return true
      i++
    } else if (c < 0xd800 || c > 0xdfff) {
      // The cached class of the unit: no string and no regex for each Chinese or Japanese character.
      if ((unitClass(c) & LATIN_CLASS) !== 0) return true
      i++
    } else {
      const ch = codePointAt(text, i)
      if (isLatin(ch)) return true
      i += ch.length
    }
  }
  return false
}

/**
 * Whether a run reads as a code — letters, then digits to its end ("A55", "AS5", "T17", "B52": a model, a
 * road, a spreadsheet cell) — or as a number with a unit, two digits or more first ("45s", "1990s", "10am",
 * "24h": one digit first is leetspeak, "5h1t", "4ss") — rather than leetspeak: fed the run's code units one
 * by one (`!` trimmed from both ends), starting from CODE_START, the state is one `IS_CODE` marks at the end
 * exactly for a code. `CODE_NEXT[state * 2 + (unit is an ASCII digit ? 1 : 0)]` is the next state.
 */
export const CODE_START = 0
// States: 0 start, 1 letters (anything but an ASCII digit), 2 digits after them, 3 not a code, 4 one digit
// first, 5 two digits or more first (a number, whatever follows).
export const CODE_NEXT = Uint8Array.of(1, 4, 1, 2, 3, 2, 3, 3, 3, 5, 5, 5)
/** 1 for the states that end a code. */
export const IS_CODE = Uint8Array.of(0, 0, 1, 0, 0, 1)

/** 1 when code unit `c` is an ASCII digit, else 0. */
export const digit = (c: number): number => (c >= 0x30 && c <= 0x39 ? 1 : 0)

/** True when the code units `[s, e)` of `text` read as a code (see {@link CODE_NEXT}). */
export function isCode(text: string, s: number, e: number): boolean {
  let state = CODE_START
  for (let k = s; k < e; k++) state = CODE_NEXT[state * 2 + digit(unitAt(text, k))]!
  return IS_CODE[state] === 1
}

/** True when the run `run` is written in capitals ("SH1T"): its letters fold to capitals. */
export const isUpperRun = (run: string): boolean => run === run.toUpperCase() && run !== run.toLowerCase()

/**
 * Fold leetspeak inside words.
 * @example leet()(workspace.initialStage('sh1t 2024 45s')).text // 'shit 2024 45s'
 */
export function leet(): Normalizer {
  // One regex for every call: a message is normalised synchronously, and lastIndex is reset per text.
  const re = new RegExp(LEET_CHARS)
  return (input: Stage) => {
    const { text } = input
    // Every substitution is one unit for one unit, so the spans stay as they are: only the text changes.
    let parts: string[] | undefined
    let copiedTo = 0
    // Only runs holding a leet character matter: find those characters, then the run around each.
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let s = m.index
      let e = s + 1
      while (s > 0 && isRunChar(codePointBefore(text, s))) s -= codePointBefore(text, s).length
      while (e < text.length && isRunChar(codePointAt(text, e))) e += codePointAt(text, e).length
      re.lastIndex = e
      if (!hasLatin(text, s, e)) continue
      // With case folding off, an all-capitals word gets capital letters ("SH1T" → "SHIT").
      const upper = isUpperRun(text.slice(s, e))
      // A "!" folds only between the run's first and last characters that are not "!".
      let core = s
      while (text[core] === '!') core++
      let coreEnd = e
      while (text[coreEnd - 1] === '!') coreEnd--
      // Letters then digits are a code, not leetspeak ("Galaxy A55", "cell T17"); nor is a number with a unit ("45s").
      if (isCode(text, core, coreEnd)) continue
      for (let k = s; k < e; k++) {
        const lower = LEET[text[k]!]
        const sub = upper && lower !== undefined ? lower.toUpperCase() : lower
        if (sub === undefined || (text[k] === '!' && (k <= core || k >= coreEnd))) continue
        ;(parts ??= []).push(text.slice(copiedTo, k), sub)
        copiedTo = k + 1
      }
    }
    if (parts === undefined) return input
    parts.push(text.slice(copiedTo))
    return { text: parts.join(''), start: input.start, end: input.end }
  }
}
