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
  /** Length of the run each code unit stands for (≥ 1). Pooled like the spans: the first `text.length` entries. */
  readonly runs: Int32Array
}

// Reused across calls, like the stage pool: valid until the next collapse.
let pool = new Int32Array(512)

/**
 * Collapse runs of one code point.
 * @example repeats()(initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  return (input) => {
    const { text } = input
    let out: StageBuilder | undefined
    let copiedTo = 0
    const n = text.length
    if (pool.length < n) pool = new Int32Array(n * 2)
    const runs = pool.fill(1, 0, n)
    for (let i = 0; i < n; ) {
      // One code point: a surrogate pair, or a single unit (a lone surrogate included).
      const c = text.charCodeAt(i)
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1
      let j = i + len
      let count = 1
      if (len === 1) {
        // The same unit, unless it is a high surrogate that starts a pair there (another code point).
        const high = c >= 0xd800 && c <= 0xdbff
        while (j < n && text.charCodeAt(j) === c && !(high && j + 1 < n && (text.charCodeAt(j + 1) & 0xfc00) === 0xdc00)) {
          j++
          count++
        }
      } else {
        const d = text.charCodeAt(i + 1)
        while (j + 1 < n && text.charCodeAt(j) === c && text.charCodeAt(j + 1) === d) {
          j += 2
          count++
        }
      }
      if (count > 1) {
        out ??= new StageBuilder(input)
        out.copy(input, copiedTo, i)
        out.push(text.slice(i, i + len), input.start[i]!, input.end[j - 1]!)
        runs[out.length - 1] = count
        if (len === 2) runs[out.length - 2] = count
        copiedTo = j
      }
      i = j
    }
    // Nothing repeats (most messages): every run is 1 and the stage stays as it is.
    if (out === undefined) return { text, start: input.start, end: input.end, runs }
    out.copy(input, copiedTo, n)
    return { ...out.build(), runs }
  }
}
