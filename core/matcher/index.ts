/**
 * The matching engines behind the {@link MatcherEngine} interface, and the default one.
 * @module
 */
import { ahoCorasickEngine } from './ahocorasick.js'
import type { MatcherEngine } from './types.js'

export type { Matcher, MatcherEngine, MatchHit } from './types.js'
export { ahoCorasickEngine } from './ahocorasick.js'

/** The engine used when none is given. */
export const defaultEngine: MatcherEngine = ahoCorasickEngine
