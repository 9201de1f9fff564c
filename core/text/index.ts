/**
 * Text normalisation with an offset map back to the original string.
 *
 * Each normaliser is a small switchable unit (see `normalizers/`); {@link compileNormalizer} chains the
 * enabled ones once, and the result's `normalize(text)` runs per message. The ones that rewrite one code
 * point at a time regardless of its neighbours run fused, as one table-driven pass (`fold.ts`); the rest run
 * in order after it, the last three (separators, leet, repeats) fused into one stage when all three are on
 * (`tail.ts`). Every output code unit carries
 * the span of the original text it came from, so a match found in the normalised copy maps back to
 * exactly what the user typed.
 *
 * @example
 * import { compileNormalizer } from 'presend'
 * const n = compileNormalizer().normalize('Ｆ.Ü.C.K!')
 * n.text                      // 'fuck!'
 * n.toOriginal(0, 4)          // { start: 0, end: 7 }
 * @module
 */
import { type Normalizer, type Stage } from './stage.js'
import { compileFold } from './fold.js'
import { invisible } from './normalizers/invisible.js'
import { compat } from './normalizers/compat.js'
import { caseFold } from './normalizers/case-fold.js'
import { diacritics } from './normalizers/diacritics.js'
import { confusables } from './normalizers/confusables.js'
import { chinese } from './normalizers/chinese.js'
import { separators } from './normalizers/separators.js'
import { leet } from './normalizers/leet.js'
import { repeats } from './normalizers/repeats.js'
import { fusedTail } from './tail.js'

export type { Stage, Normalizer } from './stage.js'

/** Which normalisers run. Every switch defaults to `true`. */
export interface NormalizeOptions {
  /** Lower-case everything. */
  readonly caseFold?: boolean
  /** NFKC compatibility folding: full-width, half-width katakana, circled and mathematical letters. */
  readonly compat?: boolean
  /** Remove zero-width and other invisible / format characters. */
  readonly invisible?: boolean
  /** Strip accents and combining marks. */
  readonly diacritics?: boolean
  /** Fold Cyrillic / Greek look-alike letters to Latin. */
  readonly confusables?: boolean
  /** Remove separators between single characters ("f.u.c.k", "傻 逼"); fold whitespace runs. */
  readonly separators?: boolean
  /** Collapse repeated letters ("fuuuck"), keeping run lengths for the term matcher. */
  readonly repeats?: boolean
  /** Fold leetspeak digits and symbols inside words. */
  readonly leet?: boolean
  /** Convert traditional Chinese to simplified (OpenCC). */
  readonly chinese?: boolean
}

/** The names of the switches, in the order the normalisers run. */
export const NORMALIZER_NAMES = [
  'invisible',
  'compat',
  'caseFold',
  'diacritics',
  'confusables',
  'chinese',
  'separators',
  'leet',
  'repeats',
] as const satisfies ReadonlyArray<keyof NormalizeOptions>

/** A normalised string and its map back to the original. */
export interface Normalized {
  /** The normalised text. */
  readonly text: string
  /** Original start offset (UTF-16) of each code unit of `text`. */
  readonly start: Int32Array
  /** Original end offset (exclusive) of each code unit of `text`. */
  readonly end: Int32Array
  /** With `repeats` on: how many identical code points each code unit stands for (undefined when off). */
  readonly runs: Int32Array | undefined
  /** The original span of the normalised span `[start, end)` (`end > start`). */
  toOriginal(start: number, end: number): { start: number; end: number }
}

/** A compiled chain of normalisers: build once, call `normalize` per message. */
export interface TextNormalizer {
  /** The options it was compiled with, every switch resolved. */
  readonly options: Readonly<Required<NormalizeOptions>>
  normalize(text: string): Normalized
  /**
   * `normalize` without copying the maps out: the result's arrays are shared with every normaliser and
   * overwritten by the next call to any of them (with `repeats` on, reading them after that throws a
   * sentence saying so), and may be longer than `text` (only the first `text.length` entries are its
   * own). For per-message code that reads the result at once, as
   * `compileTerms` does; it saves three allocations a call. A call with the same text as the last one,
   * on a normaliser with the same switches, returns that result again without computing it (within a
   * pipeline message: two plugins that normalise alike share the work).
   */
  normalizeTransient(text: string): Normalized
}

/** The normalisers that rewrite one code point at a time, regardless of its neighbours: fused by `compileFold`. */
const PER_CODE_POINT = new Set<string>(['invisible', 'compat', 'caseFold', 'diacritics', 'confusables'])

// The last normalisation, for the next caller with the same options and text: in one message, plugins that
// normalise alike (profanity and keyword-rewrite with their default options) look at the same text, and share one run. Its
// arrays are the pool's, valid until the next normalisation computes, which replaces it; the pipeline
// forgets it when a message starts, so one message never gets another's (a repeated text is work again).
let lastKey = ''
let lastText = ''
let lastResult: Normalized | undefined

/** The switches as a string of 0s and 1s, in `NORMALIZER_NAMES` order (unset = on). */
function switchesOf(options: NormalizeOptions): string {
  return NORMALIZER_NAMES.map((name) => (options[name] ?? true ? '1' : '0')).join('')
}

/**
 * Forget the last normalisation, so the next one computes. The pipeline calls it as each message starts:
 * a normalisation is shared inside one message, never across messages.
 * @internal
 */
export function forgetLastNormalization(): void {
  lastResult = undefined
}

function toOriginal(this: Normalized, start: number, end: number): { start: number; end: number } {
  return { start: this.start[start]!, end: this.end[end - 1]! }
}

/**
 * Compile a normaliser chain once. Unknown keys are ignored; every switch defaults to `true`.
 * @example
 * const norm = compileNormalizer({ leet: false })
 * norm.normalize('ｆｕｃｋ').text // 'fuck'
 */
export function compileNormalizer(options: NormalizeOptions = {}): TextNormalizer {
  const resolved = Object.fromEntries(NORMALIZER_NAMES.map((name) => [name, options[name] ?? true])) as Required<
    NormalizeOptions
  >
  const factories: Record<Exclude<(typeof NORMALIZER_NAMES)[number], 'repeats'>, () => Normalizer> = {
    invisible,
    compat,
    caseFold,
    diacritics,
    confusables,
    chinese,
    separators: () => separators({ leetSymbols: resolved.leet }),
    leet,
  }
  // With all three on (the default), separators, leet and repeats run as one pass (`tail.ts`).
  const fused = resolved.separators && resolved.leet && resolved.repeats
  const perCodePoint: Normalizer[] = []
  const contextual: Normalizer[] = []
  let foldKey = ''
  for (const name of NORMALIZER_NAMES) {
    if (name === 'repeats' || !resolved[name] || (fused && (name === 'separators' || name === 'leet'))) continue
    const fn = factories[name]()
    if (PER_CODE_POINT.has(name)) {
      perCodePoint.push(fn)
      foldKey += `${name} `
    } else {
      contextual.push(fn)
    }
  }
  const fold = compileFold(foldKey, perCodePoint)
  const collapse = fused ? fusedTail() : resolved.repeats ? repeats() : undefined
  // Which normaliser made the last result: two with the same switches give the same one.
  const key = switchesOf(resolved)

  const normalizeTransient = (text: string): Normalized => {
    if (lastResult !== undefined && lastKey === key && lastText === text) return lastResult
    lastResult = undefined
    let stage: Stage = fold(text)
    for (let i = 0; i < contextual.length; i++) stage = contextual[i]!(stage)
    lastKey = key
    lastText = text
    // The collapsed stage is a result of its own: its maps are written only if something reads them.
    if (collapse !== undefined) return (lastResult = collapse(stage))
    return (lastResult = { text: stage.text, start: stage.start, end: stage.end, runs: undefined, toOriginal })
  }

  return Object.freeze({
    options: Object.freeze(resolved),
    normalizeTransient,
    normalize(text: string): Normalized {
      // The stages' arrays are pooled: the result gets its own copies, exactly `text.length` long.
      const n = normalizeTransient(text)
      const length = n.text.length
      return { text: n.text, start: n.start.slice(0, length), end: n.end.slice(0, length), runs: n.runs?.slice(0, length), toOriginal }
    },
  })
}

const defaultNormalizer = new Map<string, TextNormalizer>()

/**
 * Normalise one string (convenience; compiles and caches the chain per distinct options).
 * Prefer {@link compileNormalizer} in code that runs per message.
 * @example normalize('Ｆ.Ü.C.K').text // 'fuck'
 */
export function normalize(text: string, options: NormalizeOptions = {}): Normalized {
  const key = switchesOf(options)
  let n = defaultNormalizer.get(key)
  if (n === undefined) defaultNormalizer.set(key, (n = compileNormalizer(options)))
  return n.normalize(text)
}
