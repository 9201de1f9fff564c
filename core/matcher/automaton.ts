/**
 * A multi-pattern matcher of our own: an Aho-Corasick automaton over UTF-16 code units, flattened into
 * typed arrays so that a 100k-term list costs a few megabytes of `ArrayBuffer`s instead of a million
 * small objects, and a scan is a tight loop over integers.
 *
 * Layout (every state is a cell of a double-array trie):
 * - `charMap[codeUnit]` — a dense label `1..K` for each code unit that occurs in some term, `0` for the
 *   rest. A code unit no term contains sends the scan straight back to the root without a lookup.
 * - `base[s] + label` is the cell of the child of `s` on that label, valid when `check[cell] === s`
 *   (the double array: one add and one compare per transition, no hashing, no search).
 * - `fail[s]` — the Aho-Corasick failure link (the longest proper suffix of `s` that is also a state).
 * - `report[s]` — the first state on `s`'s suffix chain (`s` included) where a term ends, or `-1`:
 *   the dictionary-suffix link, so a state with nothing to report costs one compare.
 * - `own[s]` — the lowest index of the term ending exactly at `s`; `next[term]` links equal terms in
 *   index order, `length[term]` gives the start of a hit from its end.
 *
 * @module
 */
import { PresendError } from '../errors.js'
import { copiedArray, EMPTY, runToEnd, type Steps } from '../slices.js'
import type { Matcher, MatcherEngine, MatchHit } from './types.js'
import { unitAt } from '../units.js'

// PRESEND_INVALID_TERM (an empty term) is registered, with its description, by core/terms.ts, the
// module users reach this engine through; registering it here too would overwrite that description.

/**
 * Free cells tried as the anchor of this many placements without success leave the search list:
 * otherwise every later placement walks the same hard-to-fill cells at the dense low end of the
 * array again. Retired cells stay free and can still take a child that is not the anchor.
 */
const RETIRE_AFTER = 16

/** The steps yield once per this many + 1 terms or states: well under a millisecond of work. */
const YIELD_MASK = 1023
/** Work units (see the breadth-first loop) between two breaks of the trie build. */
const WORK_PER_STEP = 32768
/** The same for loops that do a few operations per item. */
const FAST_YIELD_MASK = 0x3fff

/** The flattened tables a {@link AutomatonMatcher} scans with. */
interface Tables {
  readonly charMap: Int32Array
  readonly base: Int32Array
  readonly check: Int32Array
  readonly fail: Int32Array
  readonly report: Int32Array
  readonly own: Int32Array
  readonly next: Int32Array
  readonly length: Int32Array
  readonly size: number
  readonly states: number
}

/**
 * A compiled, immutable term set (see the module comment for its layout). Build one with
 * {@link buildAutomaton} or {@link automatonEngine}; `scan` allocates only the hits it returns.
 *
 * @example
 * ```ts
 * const m = buildAutomaton(['he', 'she', 'hers'])
 * m.scan('ushers')
 * // [{ start: 1, end: 4, term: 1 }, { start: 2, end: 4, term: 0 }, { start: 2, end: 6, term: 2 }]
 * ```
 */
export class AutomatonMatcher implements Matcher {
  /** Number of distinct terms compiled. */
  readonly size: number
  /** Number of trie states (the root included). */
  readonly states: number
  /** Bytes held by the typed arrays (outside the V8 heap, reported as `arrayBuffers` by Node). */
  readonly byteLength: number
  readonly #charMap: Int32Array
  readonly #base: Int32Array
  readonly #check: Int32Array
  readonly #fail: Int32Array
  readonly #report: Int32Array
  readonly #own: Int32Array
  readonly #next: Int32Array
  readonly #length: Int32Array

  /** @internal Use {@link buildAutomaton}; the tables must come from it. */
  constructor(tables: Tables) {
    this.size = tables.size
    this.states = tables.states
    this.#charMap = tables.charMap
    this.#base = tables.base
    this.#check = tables.check
    this.#fail = tables.fail
    this.#report = tables.report
    this.#own = tables.own
    this.#next = tables.next
    this.#length = tables.length
    this.byteLength = [tables.charMap, tables.base, tables.check, tables.fail, tables.report, tables.own, tables.next, tables.length]
      .reduce((sum, a) => sum + a.byteLength, 0)
  }

  /**
   * Every occurrence of every term in `text`, overlapping ones included, ordered by `end`, then by
   * `start`, then by term index (equal terms each get their hit). Offsets are UTF-16 code units.
   * A term made of whole characters never matches half of a surrogate pair in well-formed text.
   */
  scan(text: string): MatchHit[] {
    const hits: MatchHit[] = []
    const charMap = this.#charMap
    const base = this.#base
    const check = this.#check
    const fail = this.#fail
    const report = this.#report
    // `!` below: every index is in range by construction (charMap has 65536 entries; the other arrays
    // are padded so that base[s] + any label is a cell), and a fallback would cost a branch per character.
    let s = 0
    for (let i = 0, n = text.length; i < n; i++) {
      const c = charMap[unitAt(text, i)]!
      if (c === 0) {
        s = 0
        continue
      }
      for (;;) {
        const t = base[s]! + c
        if (check[t] === s) {
          s = t
          break
        }
        if (s === 0) break
        s = fail[s]!
      }
      if (report[s]! >= 0) this.#collect(hits, s, i + 1)
    }
    return hits
  }

  /** Push the hits ending at `end` in state `s`: longest first (earliest start), equal terms by index. */
  #collect(hits: MatchHit[], s: number, end: number): void {
    const own = this.#own
    const next = this.#next
    const length = this.#length
    const report = this.#report
    const fail = this.#fail
    for (let u = report[s]!; u >= 0; u = report[fail[u]!]!) {
      for (let term = own[u]!; term >= 0; term = next[term]!) hits.push({ start: end - length[term]!, end, term })
    }
  }
}

/** Throws `PRESEND_INVALID_TERM` unless every entry of `terms` is a non-empty string. */
function validateTerms(terms: readonly unknown[]): asserts terms is readonly string[] {
  if (!Array.isArray(terms)) {
    throw new PresendError('PRESEND_INVALID_TERM', `A matcher needs an array of terms, got ${typeof terms}: pass a string[].`)
  }
  for (let i = 0; i < terms.length; i++) {
    const term: unknown = terms[i]
    if (typeof term !== 'string') {
      throw new PresendError(
        'PRESEND_INVALID_TERM',
        `Matcher term [${i}] is ${term === null ? 'null' : typeof term}, not a string: make every term a string.`,
      )
    }
    if (term.length === 0) {
      throw new PresendError(
        'PRESEND_INVALID_TERM',
        `Matcher term [${i}] is an empty string, which would match everywhere: remove empty terms from the list.`,
      )
    }
  }
}

/**
 * Compile `terms` into an {@link AutomatonMatcher}. Hits name terms by their index in `terms`;
 * duplicates are allowed and each index gets its own hit. Runs in time linear in the total length of
 * the terms, with no string comparison: 100k terms take well under a second.
 *
 * @throws PresendError `PRESEND_INVALID_TERM` when a term is empty or not a string.
 * @example
 * ```ts
 * const m = buildAutomaton(['红包', 'red packet'])
 * m.scan('a red packet 红包').map((h) => h.term) // [1, 0]
 * ```
 */
export function buildAutomaton(terms: readonly string[]): AutomatonMatcher {
  return runToEnd(automatonSteps(terms))
}

/**
 * {@link buildAutomaton} as steps that yield every few thousand terms or trie states: run them with
 * `runSliced` (core/slices.ts) to compile a large list while the event loop keeps serving.
 *
 * @throws PresendError `PRESEND_INVALID_TERM` (from the first step) when a term is empty or not a string.
 * @example const matcher = await runSliced(automatonSteps(terms))
 */
export function* automatonSteps(terms: readonly string[]): Steps<AutomatonMatcher> {
  validateTerms(terms)

  const n = terms.length

  // Copy every term into one flat array: the breadth-first grouping below reads each term once per
  // level in an order unrelated to where its string lives, and a compact array keeps that in cache.
  const length = new Int32Array(n)
  const offset = new Int32Array(n)
  let totalChars = 0
  for (let i = 0; i < n; i++) {
    offset[i] = totalChars
    totalChars += length[i] = terms[i]!.length
  }
  const units = new Uint16Array(totalChars)
  const freq = new Int32Array(65536)
  for (let i = 0; i < n; i++) {
    const term = terms[i]!
    for (let j = 0, at = offset[i]!; j < term.length; j++, at++) freq[(units[at] = term.charCodeAt(j))]!++
    if ((i & YIELD_MASK) === YIELD_MASK) yield
  }
  // Labels by frequency: common code units get small labels, which packs the double array tighter.
  const used: number[] = []
  for (let cu = 0; cu < 65536; cu++) if (freq[cu]! > 0) used.push(cu)
  used.sort((a, b) => freq[b]! - freq[a]! || a - b)
  const charMap = new Int32Array(65536)
  used.forEach((cu, i) => (charMap[cu] = i + 1))
  const labelCount = used.length
  const flat = new Int32Array(totalChars)

  for (let at = 0; at < totalChars; at++) {
    flat[at] = charMap[units[at]!]!
    if ((at & FAST_YIELD_MASK) === FAST_YIELD_MASK) yield
  }

  // Growable working arrays over cells. Cell 0 is the root; free cells have check === -1.
  let cap = 0
  let base: Int32Array = new Int32Array(0)
  let check: Int32Array = new Int32Array(0)
  let fail: Int32Array = new Int32Array(0)
  let report: Int32Array = new Int32Array(0)
  let own: Int32Array = new Int32Array(0)
  // A doubly linked list of free cells in ascending order, searched for a base that fits all children.
  let nextFree: Int32Array = new Int32Array(0)
  let prevFree: Int32Array = new Int32Array(0)
  let tries: Uint8Array = new Uint8Array(0)
  let listed: Uint8Array = new Uint8Array(0)
  let freeHead = -1
  let freeTail = -1

  // A generator like the rest: the free list of a large trie spans millions of cells.
  function* grow(min: number): Steps<void> {
    const old = cap
    const size = Math.max(min, old * 2)
    base = yield* copiedArray(Int32Array, base, size, 0)
    check = yield* copiedArray(Int32Array, check, size, -1)
    fail = yield* copiedArray(Int32Array, fail, size, 0)
    report = yield* copiedArray(Int32Array, report, size, -1)
    own = yield* copiedArray(Int32Array, own, size, -1)
    nextFree = yield* copiedArray(Int32Array, nextFree, size, 0)
    prevFree = yield* copiedArray(Int32Array, prevFree, size, 0)
    tries = yield* copiedArray(Uint8Array, tries, size, 0)
    listed = yield* copiedArray(Uint8Array, listed, size, 1)
    for (let c = old; c < size; c++) {
      prevFree[c] = c === old ? freeTail : c - 1
      nextFree[c] = c + 1 < size ? c + 1 : -1
      if ((c & FAST_YIELD_MASK) === FAST_YIELD_MASK) yield
    }
    if (freeTail >= 0) nextFree[freeTail] = old
    else freeHead = old
    freeTail = size - 1
    cap = size
  }
  // The last cell (cap - 1) is never used nor retired — placement grows the arrays before it would be
  // (see below) — so the free list is never empty and every unlinked cell has a successor.
  const unlink = (c: number): void => {
    const p = prevFree[c]!
    const nx = nextFree[c]!
    if (p >= 0) nextFree[p] = nx
    else freeHead = nx
    prevFree[nx] = p
    listed[c] = 0
  }

  // A trie has at most totalChars + 1 states and first fit packs them densely, so half of that (plus
  // room for the root's children) is a start the arrays usually double from once or twice.
  yield* grow((totalChars >> 1) + labelCount + 2)
  check[0] = -2 // the root: taken, and never anyone's child

  unlink(0)

  // Breadth-first, with the terms grouped per state by a counting sort on the code unit at the state's
  // depth (an MSD radix sort run level by level): no string comparison, and equal terms meet in the
  // state where they end. `perm[lo..hi)` holds the indices of the terms below a state, ascending.
  const perm = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    perm[i] = i
    if ((i & FAST_YIELD_MASK) === FAST_YIELD_MASK) yield
  }
  const scratch = new Int32Array(n)

  const labelOf = new Int32Array(n)
  const count = new Int32Array(labelCount + 1) // label 0: the term ends at this state
  const touched = new Int32Array(labelCount + 1)
  const labels = new Int32Array(labelCount + 1)
  const groupStart = new Int32Array(labelCount + 2)
  const next = yield* copiedArray(Int32Array, EMPTY, n, -1)
  // Each queued state has a distinct non-empty prefix of some term, so there are at most totalChars + 1.
  const qState = new Int32Array(totalChars + 1)
  const qLo = new Int32Array(totalChars + 1)
  const qHi = new Int32Array(totalChars + 1)
  const qDepth = new Int32Array(totalChars + 1)

  let qHead = 0
  let qTail = 1 // the root: state 0, every term, depth 0
  qHi[0] = n
  let states = 1
  let distinct = 0
  let maxBase = 0
  let maxCell = 0
  // Work since the last break, in terms grouped plus states placed: the first levels hold many terms
  // per state, the deep ones one each.
  let work = 0

  while (qHead < qTail) {
    const s = qState[qHead]!
    const lo = qLo[qHead]!
    const hi = qHi[qHead]!
    const depth = qDepth[qHead]!
    qHead++
    work += hi - lo + 16
    if (work > WORK_PER_STEP) {
      work = 0
      yield
    }

    // Group the terms below `s` by their code unit at `depth` (stable, so indices stay ascending).
    let ended = 0
    let children = 0
    let minLabel = labelCount + 1
    let maxLabel = 0
    if (hi - lo === 1) {
      // One term below: the common case deep in a trie, a chain with no grouping to do.
      const term = perm[lo]!
      if (length[term] === depth) ended = 1
      else {
        minLabel = maxLabel = labels[0] = flat[offset[term]! + depth]!
        groupStart[0] = lo
        children = 1
      }
    } else {
      let nTouched = 0
      for (let j = lo; j < hi; j++) {
        const term = perm[j]!
        const label = length[term] === depth ? 0 : flat[offset[term]! + depth]!
        labelOf[j] = label
        if (count[label]!++ === 0) touched[nTouched++] = label
        // The root and the first levels hold most of the terms: a large list needs breaks inside them.
        if ((j & FAST_YIELD_MASK) === FAST_YIELD_MASK) yield
      }
      ended = count[0]!
      let at = lo + ended
      for (let k = 0; k < nTouched; k++) {
        const label = touched[k]!
        if (label === 0) continue
        labels[children] = label
        groupStart[children++] = at
        const c = count[label]!
        count[label] = at
        at += c
        if (label < minLabel) minLabel = label
        if (label > maxLabel) maxLabel = label
      }
      count[0] = lo
      for (let j = lo; j < hi; j++) {
        scratch[count[labelOf[j]!]!++] = perm[j]!
        if ((j & FAST_YIELD_MASK) === FAST_YIELD_MASK) yield
      }
      perm.set(scratch.subarray(lo, hi), lo)
      for (let k = 0; k < nTouched; k++) count[touched[k]!] = 0
      count[0] = 0 // set above even when no term ends here
    }
    groupStart[children] = hi

    // Terms ending here: the lowest index on the state, equal terms chained after it in index order.
    // The failure target is shallower, so its report link is already final.
    if (ended > 0) {
      own[s] = perm[lo]!
      for (let j = lo + 1; j < lo + ended; j++) next[perm[j - 1]!] = perm[j]!
      distinct++
    }
    report[s] = own[s]! >= 0 ? s : report[fail[s]!]!
    if (children === 0) continue // a leaf: base 0 leads nowhere, since no cell has a leaf as its parent

    // First fit: the lowest free cell that can hold the smallest label with every other label free.
    // Growing whenever a candidate reaches the last cell keeps that cell free, so the walk always ends
    // in a fit before it runs off the list.
    let b: number
    for (let f = freeHead; ;) {
      b = f - minLabel
      if (b >= 0) {
        if (b + maxLabel >= cap - 1) yield* grow(b + maxLabel + 2)
        let fits = true
        for (let k = 0; k < children; k++) {
          if (check[b + labels[k]!] !== -1) {
            fits = false
            break
          }
        }
        if (fits) break
      }
      const after = nextFree[f]!
      if (++tries[f]! >= RETIRE_AFTER) unlink(f)
      f = after
    }
    base[s] = b
    if (b > maxBase) maxBase = b

    for (let k = 0; k < children; k++) {
      const label = labels[k]!
      const cell = b + label
      check[cell] = s
      if (listed[cell] === 1) unlink(cell)
      if (cell > maxCell) maxCell = cell
      states++
      // The failure link: follow the parent's suffixes until one has this label. They are all
      // shallower than `s`, so their children are already placed.
      let target = 0
      if (s !== 0) {
        for (let f = fail[s]!; ; f = fail[f]!) {
          const t = base[f]! + label
          if (t < cap && check[t] === f) {
            target = t
            break
          }
          if (f === 0) break
        }
      }
      fail[cell] = target
      qState[qTail] = cell
      qLo[qTail] = groupStart[k]!
      qHi[qTail] = groupStart[k + 1]!
      qDepth[qTail] = depth + 1
      qTail++
    }
  }

  // Trim to the cells in use, padded so that base[s] + any label stays inside the arrays.
  const len = Math.max(maxCell + 1, maxBase + labelCount + 1)

  const baseFit = yield* copiedArray(Int32Array, base, len, 0)
  const checkFit = yield* copiedArray(Int32Array, check, len, -1)
  const failFit = yield* copiedArray(Int32Array, fail, len, 0)
  const reportFit = yield* copiedArray(Int32Array, report, len, -1)
  const ownFit = yield* copiedArray(Int32Array, own, len, -1)
  return new AutomatonMatcher({
    charMap,
    base: baseFit,
    check: checkFit,
    fail: failFit,
    report: reportFit,
    own: ownFit,
    next,
    length,
    size: distinct,
    states,
  })
}

/**
 * The typed-array Aho-Corasick engine behind the {@link MatcherEngine} interface.
 *
 * @example
 * ```ts
 * const matcher = automatonEngine.build(['spam', 'scam'])
 * matcher.scan('no spam here') // [{ start: 3, end: 7, term: 0 }]
 * ```
 */
export const automatonEngine: MatcherEngine = Object.freeze({ name: 'automaton', build: buildAutomaton, steps: automatonSteps })
