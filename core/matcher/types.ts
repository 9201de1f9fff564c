/**
 * The small interface every multi-pattern matching engine sits behind, so the engine can be swapped
 * (the `ahocorasick` package, or a typed-array automaton) without touching the plugins that use it.
 * @module
 */

/** One occurrence of a term in a scanned string. Offsets are UTF-16 code units; `end` is exclusive. */
export interface MatchHit {
  readonly start: number
  readonly end: number
  /** Index of the term in the list the matcher was built from. */
  readonly term: number
}

/** A compiled, immutable set of terms. Built once per pipeline build; `scan` runs per message. */
export interface Matcher {
  /** Number of distinct terms compiled. */
  readonly size: number
  /** Every occurrence of every term in `text`, overlapping ones included, ordered by `end` then `start`. */
  scan(text: string): MatchHit[]
}

/** A way to build matchers. */
export interface MatcherEngine {
  readonly name: string
  build(terms: readonly string[]): Matcher
  /**
   * The same build as steps that yield now and then (see core/slices.ts), so a large list can compile
   * while the event loop keeps serving. Optional: an engine without it builds in one block.
   */
  steps?(terms: readonly string[]): Generator<void, Matcher, void>
}
