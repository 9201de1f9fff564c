/**
 * The unit every normaliser reads and writes: a string plus, for each of its UTF-16 code units, the span
 * of the ORIGINAL text it came from. Normalisers never look at the original text; they carry spans along,
 * so any chain of them still maps every output character back to what the user typed.
 *
 * Spans live in `Int32Array`s, so copying the map of the unchanged runs between two edits is a tight loop
 * over integers — this is the per-message path. A normaliser whose rewrites keep every unit's length passes
 * its input's arrays on untouched and rebuilds only the text. The arrays come from a small pool reused
 * across stages and calls (allocating typed arrays per stage cost more than the normalising itself), one
 * {@link Workspace} per compiled normaliser: a stage is only valid until that normaliser's next run, so `compileNormalizer().normalize()` copies the
 * final map out before returning it (`normalizeTransient()` does not).
 * @module
 */

/**
 * A normalised string with, per UTF-16 code unit, the original span `[start[i], end[i])` it came from.
 * The arrays are pooled and may be longer than `text`: only their first `text.length` entries belong to it
 * (allocating an exact-size view per stage cost more than the normalising itself).
 */
export interface Stage {
  readonly text: string
  /** Original start offset of each code unit of `text`. Non-decreasing. */
  readonly start: Int32Array
  /** Original end offset (exclusive) of each code unit of `text`. Non-decreasing. */
  readonly end: Int32Array
}

/** One normalisation step: a pure function from stage to stage. */
export type Normalizer = (input: Stage) => Stage

/** What a stage's factory is given: the workspace it builds its stages in, and the switches resolved. */
export interface StageContext {
  readonly workspace: Workspace
  /** Every switch of the normaliser being compiled, by stage name (a stage may read another's). */
  readonly switches: Readonly<Record<string, boolean>>
}

interface Pair {
  start: Int32Array
  end: Int32Array
}

/** A copy of `array` in a new one of `size` entries (≥ its length): for scratch arrays that outgrew themselves. */
export function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(size)
  copy.set(array)
  return copy
}

/**
 * The arrays one compiled normaliser's stages share: the pool stages are built in and the identity map.
 * Each normaliser has its own, so no normaliser can overwrite another's result; a stage's own scratch
 * lives in the closure its factory returns.
 */
export class Workspace {
  // Two pairs, taken in turn by StageBuilder. A stage's input is always backed by the pair taken last, the
  // identity map (below) or arrays a builder grew itself, because a normaliser either builds its output
  // or returns its input as it is: so the pair taken next is never the one being read.
  readonly #pool: Pair[] = Array.from({ length: 2 }, () => ({ start: new Int32Array(512), end: new Int32Array(512) }))
  #next = 0
  // The identity map, shared by every identity stage: no normaliser writes into its input's arrays (they
  // build new ones or pass them on), so one copy, grown as texts get longer, serves every text.
  #identityStart = new Int32Array(0)
  #identityEnd = new Int32Array(0)

  /** The next pooled pair, with at least `capacity` entries. */
  take(capacity: number): Pair {
    const pair = this.#pool[this.#next]!
    this.#next = 1 - this.#next
    if (pair.start.length < capacity) {
      pair.start = new Int32Array(capacity * 2)
      pair.end = new Int32Array(capacity * 2)
    }
    return pair
  }

  /** The identity stage of `text`: every code unit maps to itself. */
  initialStage(text: string): Stage {
    const n = text.length
    if (this.#identityStart.length < n) {
      const size = Math.max(512, n * 2)
      const start = (this.#identityStart = new Int32Array(size))
      const end = (this.#identityEnd = new Int32Array(size))
      for (let i = 0; i < size; i++) {
        start[i] = i
        end[i] = i + 1
      }
    }
    return { text, start: this.#identityStart, end: this.#identityEnd }
  }
}

/** Accumulates an output stage; each pushed string takes the span it is given. */
export class StageBuilder {
  private readonly parts: string[] = []
  private start: Int32Array
  private end: Int32Array
  private n = 0

  /** Builds the stage that follows `input` (sized after it; grows when needed) in `workspace`'s pool. */
  constructor(workspace: Workspace, input: Stage) {
    const pair = workspace.take(input.text.length + 16)
    this.start = pair.start
    this.end = pair.end
  }

  private reserve(extra: number): void {
    const need = this.n + extra
    if (need <= this.start.length) return
    const cap = need * 2
    const start = new Int32Array(cap)
    const end = new Int32Array(cap)
    start.set(this.start.subarray(0, this.n))
    end.set(this.end.subarray(0, this.n))
    this.start = start
    this.end = end
  }

  /** Append `str`, every code unit of it mapped to the original span `[s, e)`. */
  push(str: string, s: number, e: number): void {
    this.reserve(str.length)
    this.parts.push(str)
    for (let k = 0; k < str.length; k++) {
      this.start[this.n] = s
      this.end[this.n++] = e
    }
  }

  /** Append the code units `[i, j)` of `input` with their own spans. */
  copy(input: Stage, i: number, j: number): void {
    if (j <= i) return
    this.reserve(j - i)
    this.parts.push(input.text.slice(i, j))
    // A plain loop: the runs between edits are short, and `set(subarray())` allocates two views a call.
    const { start, end } = input
    let n = this.n
    for (let k = i; k < j; k++, n++) {
      this.start[n] = start[k]!
      this.end[n] = end[k]!
    }
    this.n = n
  }

  /** Number of code units written so far. */
  get length(): number {
    return this.n
  }

  /** The last `count` code units written. */
  lastUnits(count: number): string {
    const text = this.parts.join('')
    this.parts.length = 0
    this.parts.push(text)
    return text.slice(Math.max(0, text.length - count))
  }

  /** Replace the last `count` code units by `str`, spanning from the first removed unit's start to `e`. */
  replaceLast(count: number, str: string, e: number): void {
    const text = this.parts.join('')
    const s = this.start[this.n - count]!
    this.parts.length = 0
    this.parts.push(text.slice(0, text.length - count))
    this.n -= count
    this.push(str, s, e)
  }

  build(): Stage {
    return { text: this.parts.join(''), start: this.start, end: this.end }
  }
}
