/**
 * Repeated letters: every run of one code point collapses to a single one ("fuuuuck" → "fuck"), and the
 * run's length is kept in `runs` so the term matcher can compare it with the term's own: a run of 1
 * or 2 must equal the term's ("god" is not in "good", "as" is not "ass"), a run of 3 or more stands for
 * any count ("fuuuck", "asssss"). Terms go through the same collapse. Must be the last normaliser: it
 * adds `runs` to the stage.
 *
 * Per message it only finds the runs and builds the text; the maps (spans and run lengths for every
 * code unit) are written the first time something reads them. The term matcher reads them only where it
 * found a hit, and most messages have none. The fused tail (`../tail.ts`) makes its results the same
 * way, noting also the gaps it removed or folded to one space (a {@link Collapser} of its own).
 * @module
 */
import { pairAt } from '../scripts.js'
import { grown, type Stage } from '../stage.js'

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

/** An edit's count: the units were removed. */
export const REMOVED = 0
/** An edit's count: the units became one space spanning them all. */
export const SPACE = -1

/**
 * One collapsing stage's scratch: the edits of its last input and the maps written from them when read.
 * Owned by the stage that made it, so only that stage's next run replaces its result.
 */
export class Collapser {
  // The maps, written when read; reused across calls.
  runPool = new Int32Array(512)
  startPool = new Int32Array(512)
  endPool = new Int32Array(512)
  // The edits of the input, in order, valid for the last collapse only: input units [editFrom, editTo)
  // became what editCount says (see `note`).
  editFrom = new Int32Array(64)
  editTo = new Int32Array(64)
  editCount = new Int32Array(64)
  /** The collapse whose edits the lists hold, and the one whose maps the pools hold. */
  listed: RunStage | undefined
  filled: RunStage | undefined

  /**
   * Note the `k`-th edit of the input being collapsed: its units `[i, j)` became one code point standing for
   * a run of `count` (≥ 2; the first one's, spanning all of them), or were removed (`count` = REMOVED), or
   * became one space (SPACE). Edits are noted in text order.
   */
  note(k: number, i: number, j: number, count: number): void {
    if (this.editFrom.length <= k) {
      this.editFrom = grown(this.editFrom, k * 2)
      this.editTo = grown(this.editTo, k * 2)
      this.editCount = grown(this.editCount, k * 2)
    }
    this.editFrom[k] = i
    this.editTo[k] = j
    this.editCount[k] = count
  }

  /**
   * The stage of `text`, which `input` became through the `edits` edits noted last (see `note`): its
   * maps are written from `input`'s when first read.
   */
  collapsed(text: string, input: Stage, edits: number): RunStage {
    const out = new Collapsed(this, text, input, edits)
    this.listed = out
    return out
  }
}

class Collapsed implements RunStage {
  readonly text: string
  readonly #owner: Collapser
  readonly #input: Stage
  readonly #count: number

  constructor(owner: Collapser, text: string, input: Stage, count: number) {
    this.#owner = owner
    this.text = text
    this.#input = input
    this.#count = count
  }

  get start(): Int32Array {
    return this.#fill().startPool
  }

  get end(): Int32Array {
    return this.#fill().endPool
  }

  get runs(): Int32Array {
    return this.#fill().runPool
  }

  toOriginal(start: number, end: number): { start: number; end: number } {
    const owner = this.#fill()
    return { start: owner.startPool[start]!, end: owner.endPool[end - 1]! }
  }

  /** Write the maps: each kept code point of a run spans all of it, and each of its units records its length. */
  #fill(): Collapser {
    const owner = this.#owner
    if (owner.filled === this) return owner
    if (owner.listed !== this) {
      throw new Error(
        'A transient normalisation was read after the next one started, so its maps are gone; read it at once, or keep it with normalize(), which copies.',
      )
    }
    const { text, start, end } = this.#input
    const { editFrom, editTo, editCount } = owner
    const n = text.length
    if (owner.runPool.length < n) {
      owner.runPool = new Int32Array(n * 2)
      owner.startPool = new Int32Array(n * 2)
      owner.endPool = new Int32Array(n * 2)
    }
    const { runPool, startPool, endPool } = owner
    let w = 0
    let i = 0
    for (let r = 0; r <= this.#count; r++) {
      // The units before the next edit map as they are, one for one.
      const to = r < this.#count ? editFrom[r]! : n
      for (; i < to; i++, w++) {
        startPool[w] = start[i]!
        endPool[w] = end[i]!
        runPool[w] = 1
      }
      if (r === this.#count) break
      const j = editTo[r]!
      const count = editCount[r]!
      // A run keeps its first code point; a space is one unit; removed units leave nothing.
      const len = count === REMOVED ? 0 : count === SPACE ? 1 : pairAt(text, i) ? 2 : 1
      for (let k = 0; k < len; k++, w++) {
        startPool[w] = start[i]!
        endPool[w] = end[j - 1]!
        runPool[w] = count === SPACE ? 1 : count
      }
      i = j
    }
    owner.filled = this
    return owner
  }
}

/**
 * Collapse runs of one code point.
 * @example repeats()(workspace.initialStage('fuuuck')).text // 'fuck'
 */
export function repeats(): (input: Stage) => RunStage {
  const collapser = new Collapser()
  return (input) => {
    const { text } = input
    const n = text.length
    // The text is rebuilt only when something collapsed (most messages hold no run).
    let parts: string[] | undefined
    let count = 0
    let copiedTo = 0
    for (let i = 0; i < n;) {
      const c = text.charCodeAt(i)
      let j = i + 1
      let len = 1
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
        len = pairAt(text, i) ? 2 : 1
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
      collapser.note(count++, i, j, (j - i) / len)
      copiedTo = j
      i = j
    }
    if (parts !== undefined) parts.push(text.slice(copiedTo))
    return collapser.collapsed(parts === undefined ? text : parts.join(''), input, count)
  }
}
