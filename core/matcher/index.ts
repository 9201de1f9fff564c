/**
 * The matching engines behind the {@link MatcherEngine} interface, and the default one.
 * @module
 */
import { automatonEngine } from './automaton.js'
import type { MatcherEngine } from './types.js'

export type { Matcher, MatcherEngine, MatchHit } from './types.js'
export { automatonEngine, automatonSteps, buildAutomaton, AutomatonMatcher } from './automaton.js'

/**
 * The engine used when none is given: the typed-array automaton. Measured in the same run (BENCHMARKS.md),
 * it scans 10–35× faster than the `ahocorasick` package at 10k–100k terms, builds a 100k-term list in about
 * a tenth of a second instead of three, and holds about 7 MB instead of 56; `ahoCorasickEngine`
 * (test/fixtures/ahocorasick-engine.ts) stays as the reference its differential test compares against.
 */
export const defaultEngine: MatcherEngine = automatonEngine
