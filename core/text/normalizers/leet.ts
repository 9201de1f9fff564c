/**
 * Leetspeak: digits and symbols standing for letters (`0→o 1→i 3→e 4→a 5→s 7→t @→a $→s !→i`), only
 * inside a run that also holds a Latin letter — so "sh1t", "a$$" and "@ss" fold while "2024", "$5" and
 * "100%" stay numbers. `!` folds only between two characters of the run, so a trailing "!" stays
 * punctuation ("shit!" keeps its word boundary).
 * @module
 */
import { StageBuilder, type Normalizer, type Stage } from '../stage.js'
import { codePointAt } from '../scripts.js'

/** The substitutions, symbol → letter. */
export const LEET: Readonly<Record<string, string>> = Object.freeze({
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i',
})

const RUN_CHAR = /^[\p{L}\p{M}\p{N}@$!]$/u
const LATIN = /^\p{Script=Latin}$/u

/**
 * Fold leetspeak inside words.
 * @example leet()(initialStage('sh1t 2024')).text // 'shit 2024'
 */
export function leet(): Normalizer {
  return (input: Stage) => {
    const { text } = input
    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let i = 0; i < text.length; ) {
      let ch = codePointAt(text, i)
      if (!RUN_CHAR.test(ch)) {
        i += ch.length
        continue
      }
      const s = i
      let latin = false
      let leetCount = 0
      while (i < text.length && RUN_CHAR.test((ch = codePointAt(text, i)))) {
        if (LEET[ch] !== undefined) leetCount++
        else if (!latin && LATIN.test(ch)) latin = true
        i += ch.length
      }
      if (!latin || leetCount === 0) continue
      for (let k = s; k < i; k++) {
        const sub = LEET[text[k]!]
        if (sub === undefined || (text[k] === '!' && (k === s || k === i - 1))) continue
        out ??= new StageBuilder()
        out.copy(input, copiedTo, k)
        out.push(sub, input.start[k]!, input.end[k]!)
        copiedTo = k + 1
      }
    }
    if (out === undefined) return input
    out.copy(input, copiedTo, text.length)
    return out.build()
  }
}
