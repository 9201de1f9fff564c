/**
 * Repeated letters: every run of one code point collapses to a single one ("fuuuuck" → "fuck"), and the
 * run's length is kept in `runs` so the term matcher can compare it with the term's own: a run of 1
 * or 2 must equal the term's ("god" is not in "good", "as" is not "ass"), a run of 3 or more stands for
 * any count ("fuuuck", "asssss"). Terms go through the same collapse. Must be the last normaliser: it
 * adds `runs` to the stage.
 * @module
 */
import { StageBuilder, type Stage } from '../stage.js'

/** A stage whose code units each stand for a run of `runs[i]` identical code points. */
export interface RunStage extends Stage {
  /** Length of the run each code unit stands for (≥ 1). */
  readonly runs: Int32Array
}

/**
 * Collapse runs of one code point.
 * @example repeats()(initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  return (input) => {
    const { text } = input
    let out: StageBuilder | undefined
    let runs: Int32Array | undefined // allocated at the first repeat
    let copiedTo = 0
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!
      const len = cp > 0xffff ? 2 : 1
      let j = i + len
      let count = 1
      while (j + len <= text.length && text.codePointAt(j) === cp) {
        j += len
        count++
      }
      if (count > 1) {
        out ??= new StageBuilder(input)
        runs ??= new Int32Array(text.length).fill(1)
        out.copy(input, copiedTo, i)
        out.push(text.slice(i, i + len), input.start[i]!, input.end[j - 1]!)
        runs[out.length - 1] = count
        if (len === 2) runs[out.length - 2] = count
        copiedTo = j
      }
      i = j
    }
    // Nothing repeats (most messages): every run is 1 and the stage stays as it is.
    if (out === undefined || runs === undefined) return { ...input, runs: new Int32Array(text.length).fill(1) }
    out.copy(input, copiedTo, text.length)
    return { ...out.build(), runs: runs.subarray(0, out.length) }
  }
}
