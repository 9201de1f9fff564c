/**
 * Word patterns in Discord AutoMod's convention, compiled once and matched per message on a normalised
 * copy of the text, with every hit reported in ORIGINAL text coordinates.
 *
 * - `word` matches the whole word, `word*` a word that starts with it, `*word` one that ends with it,
 *   `*word*` anywhere. A wildcard hit spans the whole word it sits in ("assassin" for `ass*`), so a mask
 *   or a rewrite never leaves half a word behind.
 * - A term in a script written without spaces (Chinese, Japanese kana, Thai…) needs no boundary on that
 *   side: it matches anywhere.
 * - Boundaries are Unicode-aware: a letter, number or mark of a spaced script on that side means "inside a
 *   word" (`ass` is not in "class"; it is in "ass傻").
 * - `allow` phrases (same syntax) cancel every hit they cover: "バカンス" covers "バカ", "Scunthorpe" covers
 *   "cunt".
 * - Hits are non-overlapping, leftmost-longest; a tie goes to the entry listed first.
 *
 * @module
 */
import { compileNormalizer, type NormalizeOptions, type Normalized } from './text/index.js'
import { codePointAt, codePointBefore, isNoSpace, isWordChar } from './text/scripts.js'
import { defaultEngine } from './matcher/index.js'
import type { MatcherEngine } from './matcher/types.js'
import { PresendError, registerErrorCodes } from './errors.js'

registerErrorCodes({
  PRESEND_INVALID_TERM: { description: 'a word pattern is empty, or nothing is left of it once normalised' },
})

/** One pattern to compile, with whatever data the caller wants back with its hits. */
export interface TermEntry<Data = unknown> {
  /** `word`, `word*`, `*word` or `*word*`. */
  readonly pattern: string
  readonly data?: Data
}

/** Options of {@link compileTerms}. */
export interface CompileTermsOptions {
  /** Phrases (same pattern syntax) that cancel any hit they cover. */
  readonly allow?: readonly string[]
  /** Normaliser switches (all on by default); applied alike to patterns and to text. */
  readonly normalize?: NormalizeOptions
  /** Matching engine (default: {@link defaultEngine}). */
  readonly engine?: MatcherEngine
}

/** One hit, in original text coordinates (UTF-16, `end` exclusive). */
export interface TermHit<Data = unknown> {
  readonly start: number
  readonly end: number
  /** The pattern as given. */
  readonly pattern: string
  /** Index of the entry in the list given to {@link compileTerms}. */
  readonly index: number
  readonly data: Data | undefined
}

/** A compiled pattern list: compile once, `find` per message. */
export interface TermSet<Data = unknown> {
  /** Number of entries compiled (allow phrases not included). */
  readonly size: number
  /** Non-overlapping hits in `text`, leftmost-longest, allow-list applied, in original coordinates. */
  find(text: string): Array<TermHit<Data>>
}

/** A normalised pattern and what it takes to count as a hit. */
interface Variant {
  /** Entry index; -1 - i for the i-th allow phrase. */
  readonly index: number
  readonly boundStart: boolean
  readonly boundEnd: boolean
  /** A wildcard on a spaced-script edge: the hit grows to the whole word on that side. */
  readonly growStart: boolean
  readonly growEnd: boolean
  /** The term's own run length per code unit (with `repeats`; undefined without). */
  readonly runs: Int32Array | undefined
}

/** A parsed pattern: its text without the asterisks, and which ends need a word boundary. */
export interface ParsedPattern {
  readonly text: string
  readonly boundStart: boolean
  readonly boundEnd: boolean
}

/**
 * Split a pattern into its text and its AutoMod wildcards.
 * @example parsePattern('*word') // { text: 'word', boundStart: false, boundEnd: true }
 */
export function parsePattern(pattern: string): ParsedPattern {
  let text = pattern.trim()
  const boundStart = !text.startsWith('*')
  if (!boundStart) text = text.slice(1)
  const boundEnd = !text.endsWith('*')
  if (!boundEnd) text = text.slice(0, -1)
  return { text: text.trim(), boundStart, boundEnd }
}

/**
 * The candidates no allow span covers (`a.s <= c.s && a.e >= c.e`), in one sweep by start: the allow
 * spans starting at or before a candidate are the only ones that can cover it, and the one reaching
 * furthest decides.
 */
function uncovered<T extends { s: number; e: number }>(found: T[], allowed: Array<{ s: number; e: number }>): T[] {
  found.sort((a, b) => a.s - b.s)
  allowed.sort((a, b) => a.s - b.s)
  const out: T[] = []
  let k = 0
  let reach = -1
  for (const c of found) {
    while (k < allowed.length && allowed[k]!.s <= c.s) reach = Math.max(reach, allowed[k++]!.e)
    if (reach < c.e) out.push(c)
  }
  return out
}

/** Where the word holding offset `i` starts (a wildcard hit spans its whole word). */
function wordStart(text: string, i: number): number {
  while (i > 0) {
    const ch = codePointBefore(text, i)
    if (!isWordChar(ch)) break
    i -= ch.length
  }
  return i
}

/** Where the word holding offset `i` ends. */
function wordEnd(text: string, i: number): number {
  while (i < text.length) {
    const ch = codePointAt(text, i)
    if (!isWordChar(ch)) break
    i += ch.length
  }
  return i
}

function describe(kind: string, i: number, pattern: unknown): string {
  return `${kind}[${i}] ${JSON.stringify(pattern)}`
}

/**
 * Compile patterns once.
 *
 * @throws PresendError `PRESEND_INVALID_TERM` when a pattern (or allow phrase) is not a string, or is
 * empty once its asterisks are removed and it is normalised.
 * @example
 * const set = compileTerms([{ pattern: '*fuck*', data: { category: 'severe' } }, { pattern: 'ass' }], {
 *   allow: ['Scunthorpe'],
 * })
 * set.find('What the F.U.C.K, assassin') // [{ start: 9, end: 16, pattern: '*fuck*', index: 0, data: {…} }]
 */
export function compileTerms<Data = unknown>(
  entries: ReadonlyArray<TermEntry<Data>>,
  options: CompileTermsOptions = {},
): TermSet<Data> {
  const normalizer = compileNormalizer(options.normalize)
  const engine = options.engine ?? defaultEngine
  const keys = new Map<string, Variant[]>()

  const add = (pattern: unknown, index: number, label: string): void => {
    if (typeof pattern !== 'string') {
      throw new PresendError('PRESEND_INVALID_TERM', `${label} is not a string; give each pattern as a string such as "word" or "*word*".`)
    }
    const parsed = parsePattern(pattern)
    const n = parsed.text === '' ? undefined : normalizer.normalize(parsed.text)
    const text = n?.text.trim()
    if (n === undefined || text === undefined || text === '') {
      throw new PresendError(
        'PRESEND_INVALID_TERM',
        `${label} is empty once its asterisks and ignored characters are removed; remove it or write the word it should match.`,
      )
    }
    // Leading/trailing spaces were trimmed: cut the same units from `runs`.
    const lead = n.text.indexOf(text)
    const runs = n.runs?.slice(lead, lead + text.length)
    // An edge in a no-space script needs no boundary and never grows into a neighbouring word.
    const spacedStart = !isNoSpace(codePointAt(text, 0))
    const spacedEnd = !isNoSpace(codePointBefore(text, text.length))
    const variant: Variant = {
      index,
      boundStart: parsed.boundStart && spacedStart,
      boundEnd: parsed.boundEnd && spacedEnd,
      growStart: !parsed.boundStart && spacedStart,
      growEnd: !parsed.boundEnd && spacedEnd,
      runs,
    }
    const list = keys.get(text)
    if (list === undefined) keys.set(text, [variant])
    else list.push(variant)
  }

  entries.forEach((entry, i) => add(entry?.pattern, i, describe('terms', i, entry?.pattern)))
  ;(options.allow ?? []).forEach((phrase, i) => add(phrase, -1 - i, describe('allow', i, phrase)))

  const keyList = [...keys.keys()]
  const variants = keyList.map((k) => keys.get(k)!)
  const matcher = engine.build(keyList)
  const hasAllow = (options.allow?.length ?? 0) > 0

  const accepts = (v: Variant, n: Normalized, s: number, e: number): boolean => {
    if (v.boundStart && s > 0 && isWordChar(codePointBefore(n.text, s))) return false
    if (v.boundEnd && e < n.text.length && isWordChar(codePointAt(n.text, e))) return false
    if (v.runs !== undefined) {
      // A run of 1 or 2 must be the term's own ("god" is not in "good", "as" is not "ass"); a run of 3 or
      // more is deliberate stretching and stands for any count ("fuuuck", "asssss").
      for (let k = 0; k < v.runs.length; k++) {
        const t = n.runs![s + k]!
        if (t !== v.runs[k] && t < 3) return false
      }
    }
    return true
  }

  return Object.freeze({
    size: entries.length,
    find(text: string): Array<TermHit<Data>> {
      if (matcher.size === 0 || text.length === 0) return []
      const n = normalizer.normalizeTransient(text)
      const raw = matcher.scan(n.text)
      if (raw.length === 0) return []
      type Candidate = { s: number; e: number; index: number }
      const found: Candidate[] = []
      const allowed: Candidate[] = []
      for (const hit of raw) {
        for (const v of variants[hit.term]!) {
          if (!accepts(v, n, hit.start, hit.end)) continue
          const s = v.growStart ? wordStart(n.text, hit.start) : hit.start
          const e = v.growEnd ? wordEnd(n.text, hit.end) : hit.end
          ;(v.index < 0 ? allowed : found).push({ s, e, index: v.index })
        }
      }
      const kept = hasAllow && allowed.length > 0 ? uncovered(found, allowed) : found
      if (kept.length === 0) return []
      const mapped = kept.map((c) => ({ ...n.toOriginal(c.s, c.e), index: c.index }))
      mapped.sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index)
      const out: Array<TermHit<Data>> = []
      let reach = 0
      for (const m of mapped) {
        if (m.start < reach) continue
        const entry = entries[m.index]!
        out.push({ start: m.start, end: m.end, pattern: entry.pattern, index: m.index, data: entry.data })
        reach = m.end
      }
      return out
    },
  })
}
