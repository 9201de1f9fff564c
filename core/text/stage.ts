/**
 * The unit every normaliser reads and writes: a string plus, for each of its UTF-16 code units, the span
 * of the ORIGINAL text it came from. Normalisers never look at the original text; they carry spans along,
 * so any chain of them still maps every output character back to what the user typed.
 * @module
 */

/** A normalised string with, per UTF-16 code unit, the original span `[start[i], end[i])` it came from. */
export interface Stage {
  readonly text: string
  /** Original start offset of each code unit of `text`. Non-decreasing. */
  readonly start: readonly number[]
  /** Original end offset (exclusive) of each code unit of `text`. Non-decreasing. */
  readonly end: readonly number[]
}

/** One normalisation step: a pure function from stage to stage. */
export type Normalizer = (input: Stage) => Stage

/** The identity stage of `text`: every code unit maps to itself. */
export function initialStage(text: string): Stage {
  const n = text.length
  const start = new Array<number>(n)
  const end = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    start[i] = i
    end[i] = i + 1
  }
  return { text, start, end }
}

/** Accumulates an output stage; each pushed string takes the span it is given. */
export class StageBuilder {
  private readonly parts: string[] = []
  readonly start: number[] = []
  readonly end: number[] = []

  /** Append `str`, every code unit of it mapped to the original span `[s, e)`. */
  push(str: string, s: number, e: number): void {
    this.parts.push(str)
    for (let k = 0; k < str.length; k++) {
      this.start.push(s)
      this.end.push(e)
    }
  }

  /** Append the code units `[i, j)` of `input` with their own spans. */
  copy(input: Stage, i: number, j: number): void {
    if (j <= i) return
    this.parts.push(input.text.slice(i, j))
    for (let k = i; k < j; k++) {
      this.start.push(input.start[k]!)
      this.end.push(input.end[k]!)
    }
  }

  /** Number of code units written so far. */
  get length(): number {
    return this.start.length
  }

  /** The last code unit written (`''` when empty). */
  lastUnits(count: number): string {
    const text = this.parts.join('')
    this.parts.length = 0
    this.parts.push(text)
    return text.slice(Math.max(0, text.length - count))
  }

  /** Replace the last `count` code units by `str`, spanning from the first removed unit's start to `e`. */
  replaceLast(count: number, str: string, e: number): void {
    const text = this.parts.join('')
    const s = this.start[this.start.length - count]!
    this.parts.length = 0
    this.parts.push(text.slice(0, text.length - count))
    this.start.length -= count
    this.end.length -= count
    this.push(str, s, e)
  }

  build(): Stage {
    return { text: this.parts.join(''), start: this.start, end: this.end }
  }
}
