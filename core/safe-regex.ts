/**
 * Regular expressions from options, compiled at load onto a linear-time engine: `re2js`, a pure JavaScript
 * port of RE2. RE2 never backtracks, so a search costs time proportional to the text searched (times a
 * factor bounded by the pattern's size) whatever the pattern and whatever the text: `(a|a)*b`, `(.|.)*x` or
 * `\d+\d+\d+\d+$` cannot stall the event loop on a crafted message, as they do on V8's backtracking RegExp.
 *
 * Patterns are written in JavaScript syntax and checked by V8 first (so a syntax error reads as it would in
 * JavaScript), then translated and compiled by RE2. What RE2 cannot express — a backreference, a lookahead,
 * a lookbehind holding a capture group — is an error at load that names the construct and what to write
 * instead. Captureless lookbehind (`(?<=@)\w+`, `(?<!\d)\d{11}`) is supported, in linear time.
 *
 * @module
 */
import { RE2JS } from 're2js'
import { PresendError } from './errors.js'

/** The longest pattern accepted; longer ones are word lists in disguise and belong in a word-pattern option. */
export const MAX_REGEX_LENGTH = 2000

/** The flags a pattern may have: the ones RE2 has a meaning for. */
const FLAGS = new Set(['g', 'i', 'm', 's', 'u'])

/**
 * A compiled option pattern: the parts of the `RegExp` interface plugins use, run on RE2. Stateless (no
 * `lastIndex`): `exec` finds the first match, `matchAll` every match, left to right, whatever the `g` flag.
 * Match indices are in UTF-16 code units, as JavaScript's.
 */
export interface SafeRegExp {
  /** The pattern as written in options. */
  readonly source: string
  /** The flags, sorted (as `RegExp.prototype.flags`). */
  readonly flags: string
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean
  /** The first match in `text`, shaped as `RegExp.prototype.exec`'s result, or null. */
  exec(text: string): RegExpExecArray | null
  /** Every non-overlapping match in `text`, left to right (an empty match is stepped past). */
  matchAll(text: string): IterableIterator<RegExpMatchArray>
  /** Lets `text.matchAll(re)` work in JavaScript as it does for a `RegExp` (TypeScript's lib types it for `RegExp` only). */
  [Symbol.matchAll](text: string): IterableIterator<RegExpMatchArray>
}

class Re2RegExp implements SafeRegExp {
  constructor(
    readonly source: string,
    readonly flags: string,
    private readonly re: RE2JS,
  ) {}

  test(text: string): boolean {
    return this.re.test(text)
  }

  exec(text: string): RegExpExecArray | null {
    return this.re.exec(text) as RegExpExecArray | null
  }

  matchAll(text: string): IterableIterator<RegExpMatchArray> {
    return this.re.matchAll(text)
  }

  [Symbol.matchAll](text: string): IterableIterator<RegExpMatchArray> {
    return this.re.matchAll(text)
  }
}

function shown(source: string): string {
  return source.length > 80 ? `/${source.slice(0, 77)}.../` : `/${source}/`
}

/**
 * The first construct in `source` that RE2 cannot run, with what to write instead, or undefined. Escapes and
 * character classes are stepped over, so `\(?=` (an optional literal parenthesis, then `=`) and `[\1]` are not
 * read as a lookahead or a backreference.
 */
function unsupported(source: string): string | undefined {
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      const next = source.charAt(i + 1)
      if (!inClass && /[1-9]/.test(next)) {
        return `it uses a backreference (\\${next}), which needs a backtracking engine: write the repeated text out (e.g. (ab)\\1 → abab or (?:ab){2}), or match the word with a word pattern`
      }
      if (!inClass && next === 'k' && source[i + 2] === '<') {
        return 'it uses a named backreference (\\k<…>), which needs a backtracking engine: write the repeated text out, or match the word with a word pattern'
      }
      i++
    } else if (inClass) {
      if (c === ']') inClass = false
    } else if (c === '[') {
      inClass = true
    } else if (c === '(' && source[i + 1] === '?' && (source[i + 2] === '=' || source[i + 2] === '!')) {
      return `it uses a lookahead "${source.slice(i, i + 3)}…)", which RE2 cannot run: match the following text as part of the pattern (the replacement then covers it too), or use \\b for a word boundary`
    }
  }
  return undefined
}

/** Unicode script properties as JavaScript writes them (`\p{Script=Han}`, `\p{sc=Han}`) in RE2's spelling (`\p{Han}`). */
function toRe2(source: string): string {
  return RE2JS.translateRegExp(source.replace(/(\\\\)|\\([pP])\{(?:Script|sc)=([A-Za-z_]+)\}/g, (all, escaped: string | undefined, p: string, name: string) => (escaped ?? `\\${p}{${name}}`)))
}

/**
 * Compile `source` with `flags` onto RE2, or throw a {@link PresendError} naming `where` the pattern came
 * from (e.g. `links: options.block[2]`) and what to do:
 *
 * - `PRESEND_INVALID_REGEX` when it is not valid JavaScript RegExp syntax, its flags are not (or are not among
 *   `g i m s u`), or it is longer than {@link MAX_REGEX_LENGTH};
 * - `PRESEND_UNSAFE_REGEX` when it uses a construct RE2 cannot run in linear time — a backreference, a
 *   lookahead, a capture inside a lookbehind, a repeat count over 1000 — with what to write instead.
 *
 * Every accepted pattern matches in time linear in the text. Call it in `create()` (once per pipeline build),
 * never per message.
 *
 * @example
 * const re = compileSafeRegExp(options.pattern, 'iu', 'my-filter: options.pattern')
 * for (const m of re.matchAll(text)) console.log(m.index, m[0])
 * compileSafeRegExp('(a)\\1', '', 'my-filter: options.pattern') // throws PRESEND_UNSAFE_REGEX (backreference)
 */
export function compileSafeRegExp(source: string, flags = '', where = 'a regular expression option'): SafeRegExp {
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
  let checked: RegExp
  try {
    checked = new RegExp(source, flags)
  } catch (err) {
    throw new PresendError(
      'PRESEND_INVALID_REGEX',
      `${where}: ${shown(source)} with flags "${flags}" is not a valid JavaScript regular expression (${(err as Error).message}); fix the syntax, and remember that a backslash is written "\\\\" inside a JSON string.`,
      { cause: err },
    )
  }
  const other = [...checked.flags].find((f) => !FLAGS.has(f))
  if (other !== undefined) {
    throw new PresendError('PRESEND_INVALID_REGEX', `${where}: the flag "${other}" of ${shown(source)} has no meaning on the linear-time engine; use only g, i, m, s and u.`)
  }
  const why = unsupported(source)
  if (why !== undefined) throw new PresendError('PRESEND_UNSAFE_REGEX', `${where}: the regular expression ${shown(source)} is refused: ${why}.`)
  let re: RE2JS
  try {
    re = RE2JS.compile(
      toRe2(source),
      RE2JS.LOOKBEHINDS | (checked.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (checked.multiline ? RE2JS.MULTILINE : 0) | (checked.dotAll ? RE2JS.DOTALL : 0),
    )
  } catch (err) {
    throw new PresendError(
      'PRESEND_UNSAFE_REGEX',
      `${where}: the regular expression ${shown(source)} is valid JavaScript but cannot run on the linear-time engine (RE2: ${(err as Error).message}); inside a lookbehind use (?:…) rather than (…), keep repeat counts at most 1000, write Unicode scripts as \\p{Han}, and see https://github.com/google/re2/wiki/Syntax for the rest.`,
      { cause: err },
    )
  }
  return new Re2RegExp(source, checked.flags, re)
}
