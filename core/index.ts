/**
 * presend — the SDK: the Tencent before-send protocol, the plugin contract and the filter pipeline.
 * @module
 */
export * from './protocol/index.js'
export * from './plugin.js'
export * from './logger.js'
export * from './errors.js'
export * from './pipeline/index.js'
export * from './store/index.js'
export { createMessage, elementText } from './message.js'
export { slotsOption, slotKinds, type TextSlot } from './slots.js'
export { jsonTextRuleSchema, type JsonTextRule } from './json-text.js'
export { applyEdits, GraphemeSnapper, snapToGraphemes, type AppliedEdits } from './edits.js'
export type { Matcher, MatcherEngine, MatchHit } from './matcher/types.js'
export { ahoCorasickEngine, automatonEngine, automatonSteps, buildAutomaton, AutomatonMatcher, defaultEngine } from './matcher/index.js'
export { compileNormalizer, normalize, NORMALIZER_NAMES, type NormalizeOptions, type Normalized, type TextNormalizer } from './text/index.js'
export { compileTerms, compileTermsAsync, parsePattern, type TermEntry, type TermHit, type TermSet, type CompileTermsOptions, type ParsedPattern } from './terms.js'
export { createSlicer, type Slicer, type Steps } from './slices.js'
export { compileSafeRegExp, MAX_REGEX_LENGTH, type SafeRegExp } from './safe-regex.js'
/** The zod presend validates with, re-exported so plugin option schemas use the same instance. */
export { z } from 'zod'
