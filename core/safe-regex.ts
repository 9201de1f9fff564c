/**
 * Regular expressions from options, checked at load: a pattern that can backtrack catastrophically would let
 * one crafted message stall the event loop past Tencent's 2 s budget for every request in the process, so
 * such a pattern is refused when the pipeline is built, never discovered under traffic.
 *
 * The check is `safe-regex2`'s star-height analysis: it refuses a quantifier inside a quantified group
 * (`(a+)+`, `(a*)*`, `(x+x+)+y`, `(a*){2}`) — the shape behind most ReDoS reports — and patterns with more
 * than 25 quantifiers. It is a heuristic, not a proof of linear time: overlapping alternatives under one
 * quantifier (`(a|a)*`) or adjacent overlapping quantifiers (`\d+\d+$`) pass it. Keep option patterns short
 * and anchored, and prefer word patterns (`profanity`, `keyword-rewrite`) where they fit.
 *
 * @module
 */
import safeRegex from 'safe-regex2'
import { PresendError } from './errors.js'


/** Quantifiers allowed in one pattern (safe-regex2's default limit). */
export const MAX_REGEX_QUANTIFIERS = 25

/** The longest pattern accepted; longer ones are word lists in disguise and belong in a word-pattern option. */
export const MAX_REGEX_LENGTH = 2000

/**
 * `safe-regex2`'s parser does not know lookbehind (`(?<=…)`, `(?<!…)`). For the analysis only, a lookbehind
 * is read as a plain group: what is inside it is still checked, and the pattern compiled is the original.
 * Escapes are matched first so `\(?<=` (an optional literal parenthesis) is left alone.
 */
function forAnalysis(source: string): string {
  return source.replace(/\\[\s\S]|\(\?<[=!]/g, (token) => (token.startsWith('\\') ? token : '(?:'))
}

function shown(source: string): string {
  return source.length > 80 ? `/${source.slice(0, 77)}.../` : `/${source}/`
}

/**
 * Compile `source` with `flags` into a RegExp, or throw a {@link PresendError} naming `where` the pattern came
 * from (e.g. `links: options.block[2]`) and what to do:
 *
 * - `PRESEND_INVALID_REGEX` when it is not valid JavaScript RegExp syntax, its flags are not, or it is longer
 *   than {@link MAX_REGEX_LENGTH};
 * - `PRESEND_UNSAFE_REGEX` when safe-regex2 finds it can backtrack catastrophically (see the module notes for
 *   what that check does and does not catch).
 *
 * Call it in `create()` (once per pipeline build), never per message.
 *
 * @example
 * const re = compileSafeRegExp(options.pattern, 'iu', 'my-filter: options.pattern')
 * compileSafeRegExp('(a+)+$', '', 'my-filter: options.pattern') // throws PRESEND_UNSAFE_REGEX
 */
export function compileSafeRegExp(source: string, flags = '', where = 'a regular expression option'): RegExp {
  if (typeof source !== 'string') {
    throw new PresendError('PRESEND_INVALID_REGEX', `${where}: expected a regular expression as a string; got ${typeof source}.`)
  }
  if (typeof flags !== 'string') {
    throw new PresendError('PRESEND_INVALID_REGEX', `${where}: expected the regular expression flags as a string such as "iu"; got ${typeof flags}.`)
  }
  if (source.length > MAX_REGEX_LENGTH) {
    throw new PresendError(
      'PRESEND_INVALID_REGEX',
      `${where}: the regular expression ${shown(source)} is ${source.length} characters long (at most ${MAX_REGEX_LENGTH}); put long word lists in a word-pattern option instead of one alternation.`,
    )
  }
  let compiled: RegExp
  try {
    compiled = new RegExp(source, flags)
  } catch (err) {
    throw new PresendError(
      'PRESEND_INVALID_REGEX',
      `${where}: ${shown(source)} with flags "${flags}" is not a valid JavaScript regular expression (${(err as Error).message}); fix the syntax, and remember that a backslash is written "\\\\" inside a JSON string.`,
      { cause: err },
    )
  }
  if (!safeRegex(forAnalysis(source), { limit: MAX_REGEX_QUANTIFIERS })) {
    throw new PresendError(
      'PRESEND_UNSAFE_REGEX',
      `${where}: the regular expression ${shown(source)} is refused as unsafe: it has a quantifier inside a quantified group (like (a+)+ or (a*)*) or more than ${MAX_REGEX_QUANTIFIERS} quantifiers, so one crafted message could make it run for seconds and stall every callback. Rewrite it without nested repetition (e.g. (a+)+ → a+, (\\w+\\s?)* → [\\w\\s]*), or use a word pattern instead.`,
    )
  }
  return compiled
}
