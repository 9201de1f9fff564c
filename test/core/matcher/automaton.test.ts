// The typed-array Aho-Corasick engine: exact hits on known cases, input validation, the construction
// paths large lists take, and a differential property test against the `ahocorasick` package.
import t from 'tap'
import fc from 'fast-check'
import { createRequire } from 'node:module'
import { AutomatonMatcher, automatonEngine, automatonSteps, buildAutomaton } from '../../../core/matcher/automaton.js'
import { isPresendError } from '../../../core/errors.js'
import type { MatchHit } from '../../../core/matcher/types.js'

// The raw package is the reference, loaded untyped on purpose: this test must not depend on any
// wrapper around it, nor on the declaration file another module ships for it.
const require = createRequire(import.meta.url)
const AhoCorasick = require('ahocorasick') as new (keywords: string[]) => { search(text: string): Array<[number, string[]]> }

/** What the reference finds, as [start, end, term] triples sorted like the interface promises. */
function reference(terms: string[], text: string): Array<[number, number, string]> {
  if (terms.length === 0) return []
  const out: Array<[number, number, string]> = []
  for (const [last, words] of new AhoCorasick(terms).search(text)) {
    for (const word of words) out.push([last + 1 - word.length, last + 1, word])
  }
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
}

/** Our hits as the same triples, in our own order (asserted sorted separately). */
function ours(terms: string[], hits: MatchHit[]): Array<[number, number, string]> {
  return hits.map((h) => [h.start, h.end, terms[h.term]!])
}

function sortedTriples(list: Array<[number, number, string]>): Array<[number, number, string]> {
  return [...list].sort((a, b) => a[1] - b[1] || a[0] - b[0] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
}

/** Hits must be ordered by end, then start, then term index. */
function isOrdered(hits: MatchHit[]): boolean {
  for (let i = 1; i < hits.length; i++) {
    const a = hits[i - 1]!
    const b = hits[i]!
    if (a.end > b.end || (a.end === b.end && (a.start > b.start || (a.start === b.start && a.term >= b.term)))) return false
  }
  return true
}

t.test('finds every occurrence, overlapping ones included, ordered by end then start', async (t) => {
  const m = buildAutomaton(['he', 'she', 'hers', 'his'])
  t.ok(m instanceof AutomatonMatcher)
  t.equal(m.size, 4)
  t.same(m.scan('ushers his'), [
    { start: 1, end: 4, term: 1 },
    { start: 2, end: 4, term: 0 },
    { start: 2, end: 6, term: 2 },
    { start: 7, end: 10, term: 3 },
  ])
  t.same(m.scan(''), [], 'empty text')
  t.same(m.scan('nothing to see'), [], 'no hits')
})

t.test('terms that are prefixes, suffixes and repeats of each other', async (t) => {
  const terms = ['a', 'aa', 'aaa', 'ab', 'b', 'bab']
  const hits = buildAutomaton(terms).scan('aaab ab bab')
  t.ok(isOrdered(hits))
  t.same(ours(terms, hits), reference(terms, 'aaab ab bab'))
  t.same(
    buildAutomaton(['aa']).scan('aaaa'),
    [
      { start: 0, end: 2, term: 0 },
      { start: 1, end: 3, term: 0 },
      { start: 2, end: 4, term: 0 },
    ],
    'self-overlapping occurrences',
  )
})

t.test('a character no term contains sends the scan back to the root', async (t) => {
  const m = buildAutomaton(['ab', 'abc'])
  t.same(m.scan('axb'), [])
  t.same(m.scan('a🎉bc'), [])
  t.same(m.scan('aabc'), [
    { start: 1, end: 3, term: 0 },
    { start: 1, end: 4, term: 1 },
  ])
})

t.test('offsets are UTF-16 code units: emoji and other non-BMP characters', async (t) => {
  const terms = ['🧧', '红包', 'red 🧧', '𠮷野']
  const text = 'a red 🧧 红包 and 𠮷野家'
  const hits = buildAutomaton(terms).scan(text)
  t.same(hits, [
    { start: 2, end: 8, term: 2 },
    { start: 6, end: 8, term: 0 },
    { start: 9, end: 11, term: 1 },
    { start: 16, end: 19, term: 3 },
  ])
  for (const h of hits) t.equal(text.slice(h.start, h.end), terms[h.term], `hit ${h.start}-${h.end} covers its term`)
})

t.test('duplicate terms: each index gets its hit, size counts distinct terms', async (t) => {
  const m = buildAutomaton(['spam', 'pam', 'spam', 'spam'])
  t.equal(m.size, 2)
  t.same(m.scan('spam'), [
    { start: 0, end: 4, term: 0 },
    { start: 0, end: 4, term: 2 },
    { start: 0, end: 4, term: 3 },
    { start: 1, end: 4, term: 1 },
  ])
})

t.test('an empty list builds a matcher that finds nothing', async (t) => {
  const m = buildAutomaton([])
  t.equal(m.size, 0)
  t.equal(m.states, 1, 'just the root')
  t.same(m.scan('anything at all 🎉'), [])
})

t.test('bad terms are rejected with PRESEND_INVALID_TERM naming the index', async (t) => {
  const rejects = (terms: unknown, pattern: RegExp, name: string): void => {
    let error: unknown
    try {
      buildAutomaton(terms as string[])
    } catch (err) {
      error = err
    }
    t.ok(isPresendError(error, 'PRESEND_INVALID_TERM'), `${name}: PresendError with the code`)
    t.match((error as Error).message, pattern, `${name}: the message names the problem`)
  }
  rejects(['ok', ''], /term \[1\] is an empty string.*remove empty terms/, 'empty string')
  rejects(['ok', 'fine', 3], /term \[2\] is number, not a string/, 'number')
  rejects([null], /term \[0\] is null, not a string/, 'null')
  rejects('spam', /needs an array of terms, got string/, 'not an array')
})

t.test('the engine and the memory it reports', async (t) => {
  t.equal(automatonEngine.name, 'automaton')
  const m = automatonEngine.build(['spam', 'scam'])
  t.same(m.scan('no spam here'), [{ start: 3, end: 7, term: 0 }])
  t.ok(m instanceof AutomatonMatcher)
  const a = m as AutomatonMatcher
  t.equal(a.states, 8, 'root, s, sp, spa, spam, sc, sca, scam')
  t.ok(a.byteLength >= 65536 * 4, 'the byte count includes the code-unit map')
})

/** A seeded linear congruential generator of floats in [0, 1). */
function lcg(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 2 ** 32
  }
}

t.test('large lists: wide alphabets, deep and bushy tries, growth of the arrays', async (t) => {
  // 20k terms over ~3k distinct code units: the construction's growth, retirement and search-wrap
  // paths all run, and every term must still be found in a text made of it.
  const rand = lcg(12345)
  const terms: string[] = []
  for (let i = 0; i < 20_000; i++) {
    let w = ''
    const len = 1 + Math.floor(rand() * 8)
    const wide = rand() < 0.4
    for (let j = 0; j < len; j++) w += String.fromCharCode(wide ? 0x4e00 + Math.floor(rand() * 3000) : 97 + Math.floor(rand() * 26))
    terms.push(w)
  }
  terms.push('\u0000', '\uffff', '\ud83d', '\ude00') // the extremes of the code-unit range, and lone surrogates
  const m = buildAutomaton(terms)
  t.ok(m.states > 20_000)
  let missing = 0
  for (let i = 0; i < terms.length; i += 7) {
    const term = terms[i]!
    if (!m.scan(term).some((h) => h.start === 0 && h.end === term.length && terms[h.term] === term)) missing++
  }
  t.equal(missing, 0, 'every sampled term is found in itself')
  const text = terms.slice(0, 300).join(' ') + ' \u0000 \uffff 😀'
  t.same(sortedTriples(ours(terms, m.scan(text))), reference(terms, text), 'same hits as the reference on a long text')
})

t.test('pathological input finishes far inside the 2 s budget', async (t) => {
  const terms = Array.from({ length: 20 }, (_, i) => 'a'.repeat(i + 1)).concat(['ab'])
  const m = buildAutomaton(terms)
  const text = 'a'.repeat(12 * 1024)
  const t0 = performance.now()
  const hits = m.scan(text)
  const ms = performance.now() - t0
  t.equal(hits.length, 20 * text.length - 190, 'every overlapping run of a')
  t.ok(ms < 1000, `12 KB of repeats with 245k hits scanned in ${ms.toFixed(1)} ms`)
  t.ok(isOrdered(hits))
})

// --- Differential property test against the `ahocorasick` package -----------------------------

// Few units make overlaps, shared prefixes and suffixes, and repeats likely; they include non-BMP
// characters (surrogate pairs) and a lone high surrogate, since matching is over code units.
const units = ['a', 'b', 'c', 'é', '中', '文', '😀', '😁', '𠮷', '\ud83d', ' ']
const small = fc.array(fc.constantFrom(...units), { minLength: 1, maxLength: 5 }).map((u) => u.join(''))

t.test('same hits as the ahocorasick package on random terms and texts (small alphabet)', async (t) => {
  fc.assert(
    fc.property(
      fc.array(small, { maxLength: 25 }),
      fc.array(fc.constantFrom(...units), { maxLength: 80 }).map((u) => u.join('')),
      (terms, text) => {
        const hits = buildAutomaton(terms).scan(text)
        return isOrdered(hits) && hits.every((h) => text.slice(h.start, h.end) === terms[h.term]) &&
          JSON.stringify(ours(terms, hits)) === JSON.stringify(reference(terms, text))
      },
    ),
    { numRuns: 500 },
  )
  t.pass('500 random cases agree')
})

t.test('same hits as the ahocorasick package on any Unicode, terms cut from the text', async (t) => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })), { maxLength: 20 }),
      fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), { maxLength: 5 }),
      (text, cuts, extra) => {
        // Terms are slices of the text (so hits are certain; a slice may split a surrogate pair),
        // plus a few random strings, duplicates kept.
        const terms = cuts
          .map(([at, len]) => text.slice(at % Math.max(1, text.length), (at % Math.max(1, text.length)) + len))
          .filter((s) => s.length > 0)
          .concat(extra)
        const hits = buildAutomaton(terms).scan(text)
        // The sorted comparison tolerates the tie order of equal spans, which the ordering check pins.
        return isOrdered(hits) && JSON.stringify(sortedTriples(ours(terms, hits))) === JSON.stringify(reference(terms, text))
      },
    ),
    { numRuns: 300 },
  )
  t.pass('300 random cases agree')
})

t.test('automatonSteps: the same matcher built in slices, breaks in every long loop', async (t) => {
  // 70k terms: more terms, characters and cells than the 65,536 between two breaks of the cheap loops.
  const rand = lcg(777)
  const terms: string[] = []
  for (let i = 0; i < 70_000; i++) {
    let w = ''
    for (let j = 3 + Math.floor(rand() * 6); j > 0; j--) w += String.fromCharCode(97 + Math.floor(rand() * 26))
    terms.push(w)
  }
  let breaks = 0
  const steps = automatonSteps(terms)
  let r = steps.next()
  for (; r.done !== true; r = steps.next()) breaks++
  const sliced = r.value
  const whole = buildAutomaton(terms)
  t.ok(breaks > 10, `${breaks} breaks`)
  t.equal(sliced.states, whole.states)
  t.equal(sliced.size, whole.size)
  t.equal(sliced.byteLength, whole.byteLength)
  const text = terms.slice(0, 500).join(' ')
  t.same(sliced.scan(text), whole.scan(text), 'same hits')
  t.equal(automatonEngine.steps, automatonSteps, 'the engine offers its steps')
  t.throws(() => automatonSteps(['ok', '']).next(), { code: 'PRESEND_INVALID_TERM' }, 'validation on the first step')
})
