/**
 * Repeated letters: every run of one code point collapses to a single one ("fuuuuck" → "fuck"), and the
 * run's length is kept in `runs` so the term matcher can compare it with the term's own: a run of 1
 * or 2 must equal the term's ("god" is not in "good", "as" is not "ass"), a run of 3 or more stands for
 * any count ("fuuuck", "asssss"). Terms go through the same collapse. Must be the last normaliser: it
 * adds `runs` to the stage.
 *
 * Per message it only finds the runs and builds the text; the maps (spans and run lengths for every
 * code unit) are written the first time something reads them. The term matcher reads them only where it
 * found a hit, and most messages have none.
 * @module
 */
import { pairAt } from '../scripts.js'
import type { Stage } from '../stage.js'

/**
 * A stage whose code units each stand for a run of `runs[i]` identical code points. Its maps are
 * filled on first read, from the stage it collapsed: like every stage, it is valid until the next
 * normalisation starts.
 */
export interface RunStage extends Stage {
  /** Length of the run each code unit stands for (≥ 1). Pooled like the spans: the first `text.length` entries. */
  readonly runs: Int32Array
  /** The original span of the collapsed span `[start, end)` (`end > start`). */
  toOriginal(start: number, end: number): { start: number; end: number }
}

// The maps, written when read; reused across calls, like the stage pool.
let runPool = new Int32Array(512)
let startPool = new Int32Array(512)
let endPool = new Int32Array(512)
// Where the runs of two or more sit in the input (start and end unit), valid for the last collapse only.
let runFrom = new Int32Array(64)
let runTo = new Int32Array(64)
/** The collapse whose runs `runFrom`/`runTo` hold, and the one whose maps the pools hold. */
let listed: Collapsed | undefined
let filled: Collapsed | undefined

class Collapsed implements RunStage {
  readonly text: string
  readonly #input: Stage
  readonly #count: number

  constructor(text: string, input: Stage, count: number) {
    this.text = text
    this.#input = input
    this.#count = count
  }

  get start(): Int32Array {
    this.#fill()
    return startPool
  }

  get end(): Int32Array {
    this.#fill()
    return endPool
  }

  get runs(): Int32Array {
    this.#fill()
    return runPool
  }

  toOriginal(start: number, end: number): { start: number; end: number } {
    this.#fill()
    return { start: startPool[start]!, end: endPool[end - 1]! }
  }

  /** Write the maps: each kept code point of a run spans all of it, and each of its units records its length. */
  #fill(): void {
    if (filled === this) return
    if (listed !== this) {
      throw new Error(
        'A transient normalisation was read after the next one started, so its maps are gone; read it at once, or keep it with normalize(), which copies.',
      )
    }
    const { text, start, end } = this.#input
    const n = text.length
    if (runPool.length < n) {
      runPool = new Int32Array(n * 2)
      startPool = new Int32Array(n * 2)
      endPool = new Int32Array(n * 2)
    }
    let w = 0
    let i = 0
    for (let r = 0; r <= this.#count; r++) {
      // The units before the next run map as they are, one for one.
      const to = r < this.#count ? runFrom[r]! : n
      for (; i < to; i++, w++) {
        startPool[w] = start[i]!
        endPool[w] = end[i]!
        runPool[w] = 1
      }
      if (r === this.#count) break
      const j = runTo[r]!
      const len = pairAt(text, i) ? 2 : 1
      const count = (j - i) / len
      for (let k = 0; k < len; k++, w++) {
        startPool[w] = start[i]!
        endPool[w] = end[j - 1]!
        runPool[w] = count
      }
      i = j
    }
    filled = this
  }
}

/** Note the run of two or more code points over input units `[i, j)` as the `count`-th. */
function note(count: number, i: number, j: number): void {
  if (runFrom.length <= count) {
    const from = new Int32Array(count * 2)
    const to = new Int32Array(count * 2)
    from.set(runFrom)
    to.set(runTo)
    runFrom = from
    runTo = to
  }
  runFrom[count] = i
  runTo[count] = j
}

/**
 * Collapse runs of one code point.
 * @example repeats()(initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  return (input) => {
    const { text } = input
    const n = text.length
    // The text is rebuilt only when something collapsed (most messages hold no run).
    let parts: string[] | undefined
    let count = 0
    let copiedTo = 0
    for (let i = 0; i < n; ) {
      const c = text.charCodeAt(i)
      let j = i + 1
      if ((c & 0xf800) !== 0xd800) {
        // Not a surrogate (most units): an equal unit after it is not one either, so no pair to check.
        if (j === n || text.charCodeAt(j) !== c) {
          i = j
          continue
        }
        while (j < n && text.charCodeAt(j) === c) j++
        ;(parts ??= []).push(text.slice(copiedTo, i + 1))
      } else {
        // A surrogate: a pair is one code point of two units, a lone one a code point of its own.
        const len = pairAt(text, i) ? 2 : 1
        j = i + len
        if (len === 1) {
          // The same unit, unless it is a high surrogate that starts a pair there (another code point).
          while (j < n && text.charCodeAt(j) === c && !pairAt(text, j)) j++
        } else {
          const d = text.charCodeAt(i + 1)
          while (j + 1 < n && text.charCodeAt(j) === c && text.charCodeAt(j + 1) === d) j += 2
        }
        if (j === i + len) {
          i = j
          continue
        }
        ;(parts ??= []).push(text.slice(copiedTo, i + len))
      }
      note(count++, i, j)
      copiedTo = j
      i = j
    }
    if (parts !== undefined) parts.push(text.slice(copiedTo))
    const out = new Collapsed(parts === undefined ? text : parts.join(''), input, count)
    listed = out
    return out
  }
}
