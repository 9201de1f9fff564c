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
import { compileNormalizer, type NormalizeOptions, type Normalized, type TextNormalizer } from './text/index.js'
import { codePointAt, codePointBefore, isNoSpace, isWordChar } from './text/scripts.js'
import { defaultEngine } from './matcher/index.js'
import type { MatcherEngine } from './matcher/types.js'
import { PresendError } from './errors.js'
import { ShardedMap } from './sharded-map.js'
import { copiedArray, EMPTY, runSliced, runToEnd, type Steps } from './slices.js'
import { unitOrNaN } from './units.js'

/**
 * The build steps yield once per this many + 1 patterns: normalising a pattern and grouping it by its
 * normalised text is the costliest work per item of the build, so breaks come often.
 */
const YIELD_MASK = 127

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

// Variant flags: what a normalised pattern takes to count as a hit.
const BOUND_START = 1
const BOUND_END = 2
/** A wildcard on a spaced-script edge: the hit grows to the whole word on that side. */
const GROW_START = 4
const GROW_END = 8

/**
 * The compiled patterns, flat: the variants (entries and allow phrases) of key `k` of the matcher are
 * `first[k]` to `first[k + 1] - 1`, in the order they were listed. Typed arrays rather than an object per
 * pattern: a 100k-word list is a few hundred kilobytes here instead of tens of megabytes of small objects
 * for the garbage collector to walk.
 */
interface Variants {
  readonly first: Int32Array
  /** Length of key `k` in code units. */
  readonly length: Int32Array
  /** Entry index; -1 - i for the i-th allow phrase. */
  readonly index: Int32Array
  readonly flags: Uint8Array
  /**
   * With `repeats`: where the pattern's own run lengths start in `runs` (one per code unit of its key), or
   * -1 when every run is 1 (most patterns), which needs no storage.
   */
  readonly runsAt: Int32Array
  readonly runs: Int32Array
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
 * Parse and normalise every pattern and allow phrase, and group them by normalised text: the matcher's
 * keys, and the flat variant table `find` reads. Build-time structures stay in here, so the compiled set
 * keeps only what it reads per message.
 */
function* variantSteps(
  entries: ReadonlyArray<TermEntry<unknown>>,
  allow: readonly string[],
  normalizer: TextNormalizer,
): Steps<{ keys: string[]; variants: Variants }> {
  interface Pending {
    index: number
    flags: number
    runs: Int32Array | undefined
  }
  const byKey = new ShardedMap<Pending[]>()
  /** Run lengths to store: those of the patterns whose runs are not all 1. */
  let stored = 0
  const add = (pattern: unknown, index: number, label: string): void => {
    if (typeof pattern !== 'string') {
      throw new PresendError('PRESEND_INVALID_TERM', `${label} is not a string; give each pattern as a string such as "word" or "*word*".`)
    }
    const parsed = parsePattern(pattern)
    // Read at once, before the next pattern: the shared result needs no copy.
    const n = parsed.text === '' ? undefined : normalizer.normalizeTransient(parsed.text)
    const text = n?.text.trim()
    if (n === undefined || text === undefined || text === '') {
      throw new PresendError(
        'PRESEND_INVALID_TERM',
        `${label} is empty once its asterisks and ignored characters are removed; remove it or write the word it should match.`,
      )
    }
    // Leading/trailing spaces were trimmed: cut the same units from `runs`; all-1 runs need no copy.
    const lead = n.text.indexOf(text)
    const own = n.runs?.subarray(lead, lead + text.length)
    const runs = own === undefined || own.every((r) => r === 1) ? undefined : own.slice()
    stored += runs?.length ?? 0
    // An edge in a no-space script needs no boundary and never grows into a neighbouring word.
    const spacedStart = !isNoSpace(codePointAt(text, 0))
    const spacedEnd = !isNoSpace(codePointBefore(text, text.length))
    const flags = (parsed.boundStart && spacedStart ? BOUND_START : 0) | (parsed.boundEnd && spacedEnd ? BOUND_END : 0) |
      (!parsed.boundStart && spacedStart ? GROW_START : 0) | (!parsed.boundEnd && spacedEnd ? GROW_END : 0)
    const list = byKey.get(text)
    if (list === undefined) byKey.set(text, [{ index, flags, runs }])
    else list.push({ index, flags, runs })
  }
  for (let i = 0; i < entries.length; i++) {
    const pattern = entries[i]?.pattern
    add(pattern, i, describe('terms', i, pattern))
    if ((i & YIELD_MASK) === YIELD_MASK) yield
  }
  for (let i = 0; i < allow.length; i++) {
    add(allow[i], -1 - i, describe('allow', i, allow[i]))
    if ((i & YIELD_MASK) === YIELD_MASK) yield
  }

  const keyCount = byKey.size
  const keys: string[] = []
  const count = entries.length + allow.length
  const first = new Int32Array(keyCount + 1)
  const length = new Int32Array(keyCount)
  const index = new Int32Array(count)
  const flags = new Uint8Array(count)
  const runsAt = yield* copiedArray(Int32Array, EMPTY, count, -1)
  const runs = new Int32Array(stored)
  let v = 0
  let r = 0
  let k = 0
  for (const shard of byKey.shards()) {
    for (const [key, list] of shard) {
      keys.push(key)
      first[k] = v
      length[k++] = key.length
      for (const p of list) {
        index[v] = p.index
        flags[v] = p.flags
        if (p.runs !== undefined) {
          runsAt[v] = r
          runs.set(p.runs, r)
          r += p.runs.length
        }
        v++
      }
      if ((k & YIELD_MASK) === YIELD_MASK) yield
    }
  }
  first[keyCount] = v
  return { keys, variants: { first, length, index, flags, runsAt, runs } }
}

/** True when the text's unit at `s` is a Latin letter (it stands for a run of 2) starting a word. */
function doubledStart(text: string, s: number): boolean {
  const c = unitOrNaN(text, s) | 0x20
  return c >= 0x61 && c <= 0x7a && (s === 0 || !isWordChar(codePointBefore(text, s)))
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
  return runToEnd(termSteps(entries, options, defaultEngine))
}

/**
 * {@link compileTerms} in slices that give the event loop a turn every few milliseconds: what a plugin
 * calls in `create()` for a list that may be large, so that a server reloading it keeps answering
 * callbacks meanwhile. Same result, same errors (as a rejection).
 *
 * @example
 * ```ts
 * async create(options) {
 *   const terms = await compileTermsAsync(options.words.map((pattern) => ({ pattern })))
 *   return { check: (message) => (message.texts.some((t) => terms.find(t.text).length > 0) ? reject() : allow()) }
 * }
 * ```
 */
export function compileTermsAsync<Data = unknown>(
  entries: ReadonlyArray<TermEntry<Data>>,
  options: CompileTermsOptions = {},
): Promise<TermSet<Data>> {
  return runSliced(termSteps(entries, options, defaultEngine))
}

/**
 * The build of {@link compileTerms} as steps, on a given matching engine: the tests and benches compare
 * engines through it. Internal (not exported from the package): the engine is not a user's choice.
 */
export function* termSteps<Data>(entries: ReadonlyArray<TermEntry<Data>>, options: CompileTermsOptions, engine: MatcherEngine): Steps<TermSet<Data>> {
  const normalizer = compileNormalizer(options.normalize)
  const { keys, variants } = yield* variantSteps(entries, options.allow ?? [], normalizer)
  const matcher = engine.steps === undefined ? engine.build(keys) : yield* engine.steps(keys)
  const { first, length, index, flags, runsAt, runs } = variants
  const hasAllow = (options.allow?.length ?? 0) > 0
  const stretchable = normalizer.options.repeats

  const accepts = (v: number, units: number, n: Normalized, s: number, e: number): boolean => {
    const f = flags[v]!
    if ((f & BOUND_START) !== 0 && s > 0 && isWordChar(codePointBefore(n.text, s))) return false
    if ((f & BOUND_END) !== 0 && e < n.text.length && isWordChar(codePointAt(n.text, e))) return false
    if (stretchable) {
      // A run of 1 or 2 must be the term's own ("god" is not in "good", "as" is not "ass"); a run of 3 or
      // more is deliberate stretching and stands for any count ("fuuuck", "asssss"). A Latin letter doubled
      // at the start of a word is a slip of the shift key or a stutter ("fFuck", "ffuck"), not another word.
      const at = runsAt[v]!
      const textRuns = n.runs!
      for (let k = 0; k < units; k++) {
        const t = textRuns[s + k]!
        const own = at < 0 ? 1 : runs[at + k]!
        if (t !== own && t < 3 && !(k === 0 && t === 2 && own === 1 && doubledStart(n.text, s))) return false
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
        const units = length[hit.term]!
        for (let v = first[hit.term]!, last = first[hit.term + 1]!; v < last; v++) {
          if (!accepts(v, units, n, hit.start, hit.end)) continue
          const f = flags[v]!
          const s = (f & GROW_START) !== 0 ? wordStart(n.text, hit.start) : hit.start
          const e = (f & GROW_END) !== 0 ? wordEnd(n.text, hit.end) : hit.end
          const i = index[v]!
          ;(i < 0 ? allowed : found).push({ s, e, index: i })
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
