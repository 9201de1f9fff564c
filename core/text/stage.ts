/**
 * The unit every normaliser reads and writes: a string plus, for each of its UTF-16 code units, the span
 * of the ORIGINAL text it came from. Normalisers never look at the original text; they carry spans along,
 * so any chain of them still maps every output character back to what the user typed.
 *
 * Spans live in `Int32Array`s: a normaliser that changes a few characters copies the rest of the map in
 * bulk (`TypedArray#set`) instead of element by element — this is the per-message path.
 * @module
 */

/** A normalised string with, per UTF-16 code unit, the original span `[start[i], end[i])` it came from. */
export interface Stage {
  readonly text: string
  /** Original start offset of each code unit of `text`. Non-decreasing. */
  readonly start: Int32Array
  /** Original end offset (exclusive) of each code unit of `text`. Non-decreasing. */
  readonly end: Int32Array
}

/** One normalisation step: a pure function from stage to stage. */
export type Normalizer = (input: Stage) => Stage

/** The identity stage of `text`: every code unit maps to itself. */
export function initialStage(text: string): Stage {
  const n = text.length
  const start = new Int32Array(n)
  const end = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    start[i] = i
    end[i] = i + 1
  }
  return { text, start, end }
}

/** Accumulates an output stage; each pushed string takes the span it is given. */
export class StageBuilder {
  private readonly parts: string[] = []
  private start: Int32Array
  private end: Int32Array
  private n = 0

  /** `capacity`: the expected output length (it grows past it when needed). */
  constructor(capacity: number) {
    this.start = new Int32Array(capacity + 16)
    this.end = new Int32Array(capacity + 16)
  }

  private reserve(extra: number): void {
    const need = this.n + extra
    if (need <= this.start.length) return
    const cap = Math.max(need, this.start.length * 2)
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
    this.start.set(input.start.subarray(i, j), this.n)
    this.end.set(input.end.subarray(i, j), this.n)
    this.n += j - i
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
    return { text: this.parts.join(''), start: this.start.subarray(0, this.n), end: this.end.subarray(0, this.n) }
  }
}
