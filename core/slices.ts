/**
 * Build-time work in slices, so that compiling a large list never holds the event loop: a server that
 * reloads its pipeline keeps answering callbacks between the slices.
 *
 * Long loops are written once, as generators that `yield` now and then (every few hundred items); they
 * run to the end in one go with {@link runToEnd} (scripts, tests, the synchronous APIs), or with
 * {@link runSliced}, which gives the event loop a turn whenever a slice has run for {@link SLICE_MS}.
 * Plugin authors with loops of their own in `create()` use a {@link Slicer}.
 *
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * How long one slice may hold the event loop. Requests that arrive during a build wait at most about
 * this long (plus their own work), against Tencent's 2 s budget; shorter slices only add switching cost.
 */
export const SLICE_MS = 8

/**
 * Cells written between two breaks when {@link copiedArray} copies or fills: fresh memory costs a page
 * fault per 4 KB as well as the writing, and one array of millions of cells in one go held a reloading
 * server's event loop too long.
 */
const CELLS_PER_STEP = 1 << 16

/** An empty array, to fill a new one from nothing with {@link copiedArray}. */
export const EMPTY = new Int32Array(0)

/** Work that yields (no value) now and then and returns `T` at the end. */
export type Steps<T> = Generator<void, T, void>

/**
 * Run `steps` to the end without yielding to the event loop.
 * @example const matcher = runToEnd(automatonSteps(['spam']))
 */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next()
    if (r.done === true) return r.value
  }
}

/**
 * Run `steps`, giving the event loop a turn (I/O, timers, other requests) whenever a slice has run for
 * `sliceMs`. Resolves with the result; rejects with whatever the steps throw.
 * @example const matcher = await runSliced(automatonSteps(terms))
 */
export async function runSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let start = performance.now()
  for (;;) {
    const r = steps.next()
    if (r.done === true) return r.value
    if (performance.now() - start >= sliceMs) {
      await nextTurn()
      start = performance.now()
    }
  }
}

/**
 * Cuts a plugin's own long loop in `create()` into slices.
 *
 * @example
 * ```ts
 * const slicer = createSlicer()
 * await slicer.each(lines, (line) => entries.push(parse(line)))
 * // or, in a loop of your own:
 * for (const line of lines) {
 *   entries.push(parse(line))
 *   if (slicer.due()) await slicer.pause()
 * }
 * ```
 */
export interface Slicer {
  /** Call `fn` on every item, in order, pausing between items whenever a slice has run its time. */
  each<T>(items: Iterable<T>, fn: (item: T) => void): Promise<void>
  /** True when the current slice has run its time. Cheap: it reads the clock once per 256 calls. */
  due(): boolean
  /** Give the event loop a turn, then start a new slice. */
  pause(): Promise<void>
}

/**
 * A {@link Slicer} with slices of `sliceMs` (default {@link SLICE_MS}).
 * @example const slicer = createSlicer()
 */
export function createSlicer(sliceMs = SLICE_MS): Slicer {
  let start = performance.now()
  let calls = 0
  const slicer: Slicer = {
    due: () => (++calls & 255) === 0 && performance.now() - start >= sliceMs,
    async pause() {
      await nextTurn()
      start = performance.now()
    },
    async each(items, fn) {
      for (const item of items) {
        fn(item)
        if (slicer.due()) await slicer.pause()
      }
    },
  }
  return slicer
}

/**
 * Steps that return a new typed array of `size` cells (`new Kind(size)`): `from`'s cells first, the rest
 * set to `fillWith`, written in chunks with a break after each. Widens, trims or fills a large array
 * without holding the event loop.
 * @example const next = yield* copiedArray(Int32Array, EMPTY, terms.length, -1)
 */
export function* copiedArray<A extends Int32Array | Uint8Array>(
  Kind: new (size: number) => A,
  from: Int32Array | Uint8Array,
  size: number,
  fillWith: number,
): Steps<A> {
  const to = new Kind(size)
  const kept = Math.min(from.length, size)
  for (let at = 0; at < size; at += CELLS_PER_STEP) {
    const end = Math.min(size, at + CELLS_PER_STEP)
    if (at < kept) to.set(from.subarray(at, Math.min(end, kept)), at)
    if (fillWith !== 0 && end > kept) to.fill(fillWith, Math.max(at, kept), end)
    yield
  }
  return to
}
