/**
 * Repeated letters: every run of one code point collapses to a single one ("fuuuuck" → "fuck"), and the
 * run's length is kept in `runs` so the term matcher can demand at least the term's own count ("ass"
 * needs "ss": "asssss" is a hit, "as" is not). Terms go through the same collapse, which is why "as sure"
 * and "cocktail" behave. Must be the last normaliser: it adds `runs` to the stage.
 * @module
 */
import { StageBuilder, type Stage } from '../stage.js'

/** A stage whose code units each stand for a run of `runs[i]` identical code points. */
export interface RunStage extends Stage {
  /** Length of the run each code unit stands for (≥ 1). */
  readonly runs: readonly number[]
}

/**
 * Collapse runs of one code point.
 * @example repeats()(initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  return (input) => {
    const { text } = input
    const out = new StageBuilder()
    const runs: number[] = []
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!
      const len = cp > 0xffff ? 2 : 1
      let j = i + len
      let count = 1
      while (j + len <= text.length && text.codePointAt(j) === cp) {
        j += len
        count++
      }
      out.push(text.slice(i, i + len), input.start[i]!, input.end[j - 1]!)
      runs.push(count)
      if (len === 2) runs.push(count)
      i = j
    }
    return { ...out.build(), runs }
  }
}
