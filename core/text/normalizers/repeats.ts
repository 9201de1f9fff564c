/**
 * Repeated letters: every run of one code point collapses to a single one ("fuuuuck" → "fuck"), and the
 * run's length is kept in `runs` so the term matcher can compare it with the term's own: a run of 1
 * or 2 must equal the term's ("god" is not in "good", "as" is not "ass"), a run of 3 or more stands for
 * any count ("fuuuck", "asssss"). Terms go through the same collapse. Must be the last normaliser: it
 * adds `runs` to the stage.
 * @module
 */
import { pairAt } from '../scripts.js'
import type { Stage } from '../stage.js'

/** A stage whose code units each stand for a run of `runs[i]` identical code points. */
export interface RunStage extends Stage {
  /** Length of the run each code unit stands for (≥ 1). Pooled like the spans: the first `text.length` entries. */
  readonly runs: Int32Array
}

// Reused across calls, like the stage pool: valid until the next collapse.
let runPool = new Int32Array(512)
let startPool = new Int32Array(512)
let endPool = new Int32Array(512)

/**
 * Collapse runs of one code point.
 * @example repeats()(initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  return (input) => {
    const { text, start, end } = input
    const n = text.length
    if (runPool.length < n) {
      runPool = new Int32Array(n * 2)
      startPool = new Int32Array(n * 2)
      endPool = new Int32Array(n * 2)
    }
    const runs = runPool
    const outStart = startPool
    const outEnd = endPool
    // Written as the scan goes: the text only when something collapsed (most messages have no run), the
    // spans and runs always (a typed-array write is cheaper than a second pass to decide).
    let parts: string[] | undefined
    let copiedTo = 0
    let w = 0
    for (let i = 0; i < n; ) {
      const c = text.charCodeAt(i)
      let j = i + 1
      if ((c & 0xf800) !== 0xd800) {
        // Not a surrogate (most units): an equal unit after it is not one either, so no pair to check.
        while (j < n && text.charCodeAt(j) === c) j++
        if (j === i + 1) {
          outStart[w] = start[i]!
          outEnd[w] = end[i]!
          runs[w++] = 1
          i = j
          continue
        }
        outStart[w] = start[i]!
        outEnd[w] = end[j - 1]!
        runs[w++] = j - i
        ;(parts ??= []).push(text.slice(copiedTo, i + 1))
        copiedTo = j
        i = j
        continue
      }
      // A surrogate: a pair is one code point of two units, a lone one a code point of its own.
      const len = pairAt(text, i) ? 2 : 1
      j = i + len
      let count = 1
      if (len === 1) {
        // The same unit, unless it is a high surrogate that starts a pair there (another code point).
        while (j < n && text.charCodeAt(j) === c && !pairAt(text, j)) {
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
      // The kept code point spans its whole run; each of its units records the run's length.
      for (let k = 0; k < len; k++) {
        outStart[w] = count > 1 ? start[i]! : start[i + k]!
        outEnd[w] = count > 1 ? end[j - 1]! : end[i + k]!
        runs[w++] = count
      }
      if (count > 1) {
        ;(parts ??= []).push(text.slice(copiedTo, i + len))
        copiedTo = j
      }
      i = j
    }
    if (parts === undefined) return { text, start: outStart, end: outEnd, runs }
    parts.push(text.slice(copiedTo))
    return { text: parts.join(''), start: outStart, end: outEnd, runs }
  }
}
