import t from 'tap'
import { compileNormalizer, forgetLastNormalization, normalize, NORMALIZER_NAMES } from '../../../core/text/index.js'
import { readCases } from './fixtures/cases.js'

const cases = readCases(new URL('./fixtures/normalize.txt', import.meta.url))

t.test('fixture cases', async (t) => {
  for (const c of cases) {
    const { in: input = '', out, options, map } = c.fields
    const n = compileNormalizer(options === undefined ? {} : JSON.parse(options)).normalize(input)
    t.equal(n.text, out, `${c.title} (line ${c.line})`)
    t.equal(n.start.length, n.text.length, `${c.title}: one start per code unit`)
    t.equal(n.end.length, n.text.length, `${c.title}: one end per code unit`)
    if (map !== undefined) {
      const m = /^(\d+)\.\.(\d+) => (\d+)\.\.(\d+)$/.exec(map)
      t.ok(m, `${c.title}: map syntax`)
      t.same(n.toOriginal(Number(m![1]), Number(m![2])), { start: Number(m![3]), end: Number(m![4]) }, `${c.title}: map`)
    }
  }
})

t.test('spans are monotonic and inside the original', async (t) => {
  for (const c of cases) {
    const input = c.fields['in'] ?? ''
    const n = normalize(input)
    for (let i = 0; i < n.text.length; i++) {
      t.ok(n.start[i]! < n.end[i]! && n.end[i]! <= input.length, `${c.title}: span ${i}`)
      if (i > 0) t.ok(n.start[i]! >= n.start[i - 1]! && n.end[i]! >= n.end[i - 1]!, `${c.title}: order ${i}`)
    }
  }
})

t.test('runs record the length of each collapsed run', async (t) => {
  t.same([...normalize('fuuuck').runs!], [1, 3, 1, 1])
  t.same([...normalize('😀😀😀').runs!], [3, 3])
  t.same([...normalize('fuck').runs!], [1, 1, 1, 1])
  t.equal(normalize('fuuuck', { repeats: false }).runs, undefined)
})

t.test('options resolve every switch, unknown ones ignored', async (t) => {
  const n = compileNormalizer({ leet: false })
  t.same(Object.keys(n.options), [...NORMALIZER_NAMES])
  t.equal(n.options.leet, false)
  t.equal(n.options.caseFold, true)
  t.ok(Object.isFrozen(n))
})

t.test('normalize() caches the compiled chain per options', async (t) => {
  t.equal(normalize('ＡＢＣ').text, 'abc')
  t.equal(normalize('ＡＢＣ').text, 'abc')
  t.equal(normalize('ＡＢＣ', { compat: false }).text, 'ａｂｃ')
})

t.test('normalisers with the same switches are one, and share the last normalisation of the same text', async (t) => {
  const a = compileNormalizer()
  const b = compileNormalizer({ leet: true })
  const noLeet = compileNormalizer({ leet: false })
  t.equal(a, b, 'same switches: the same compiled normaliser')
  const first = a.normalizeTransient('Sh1t, sooo good')
  t.equal(first.text, 'shit, so god')
  t.equal(b.normalizeTransient('Sh1t, sooo good'), first, 'same switches, same text: the same result, not computed again')
  const other = noLeet.normalizeTransient('Sh1t, sooo good')
  t.not(other, first, 'other switches compute their own')
  t.equal(other.text, 'sh1t, so god')
  const again = a.normalizeTransient('Sh1t, sooo good')
  t.equal(again, first, 'another normaliser works in its own workspace: this one still holds its result')
  t.same([...again.runs!.subarray(0, again.text.length)], [1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 2, 1], 'with its own maps')
  t.equal(a.normalizeTransient('Sh1t, so good').text, 'shit, so god', 'another text computes')
  const before = a.normalizeTransient('ＡＢＣ')
  forgetLastNormalization()
  const after = a.normalizeTransient('ＡＢＣ')
  t.not(after, before, 'a new message: computed again')
  t.equal(after.text, 'abc')
  t.same(a.normalize('ＡＢＣ'), noLeet.normalize('ＡＢＣ'), 'normalize() copies the result out')
})

t.test('a transient result read after the next normalisation says so, instead of giving the maps of another text', async (t) => {
  const norm = compileNormalizer()
  const first = norm.normalizeTransient('sooo good')
  t.equal(first.toOriginal(1, 2).end, 4, 'read at once: its own maps')
  const second = norm.normalizeTransient('baaad')
  t.same([...second.runs!.subarray(0, 3)], [1, 3, 1])
  t.throws(() => first.start, /read after the next one started.*normalize\(\), which copies/)
  t.throws(() => first.toOriginal(0, 1), /read after the next one started/)
  const kept = norm.normalize('sooo good')
  norm.normalizeTransient('baaad')
  t.same(kept.toOriginal(1, 2), { start: 1, end: 4 }, 'a copied result keeps its maps')
})

t.test('outputs longer than the pooled span arrays grow them', async (t) => {
  const n = normalize('㍿'.repeat(1000))
  t.equal(n.text, '株式会社'.repeat(1000))
  t.same(n.toOriginal(3996, 4000), { start: 999, end: 1000 })
})

t.test('results keep their own maps across calls', async (t) => {
  const a = normalize('ＡＢＣ')
  normalize('xyz'.repeat(50))
  t.same([...a.start], [0, 1, 2])
  t.same([...a.end], [1, 2, 3])
})

t.test('empty text', async (t) => {
  const n = normalize('')
  t.equal(n.text, '')
  t.same([...n.runs!], [])
})

t.test('repeats: a lone surrogate is a code point of its own', async (t) => {
  const lone = normalize('\ud800\ud800\ud800x')
  t.equal(lone.text, '\ud800x')
  t.same([...lone.runs!], [3, 1])
  // A lone high surrogate followed by a pair starting with the same unit is not a repeat.
  const mixed = normalize('\ud83d\ud83d\ude00')
  t.equal(mixed.text, '\ud83d\ud83d\ude00')
  t.same([...mixed.runs!], [1, 1, 1])
})

t.test('a lone low surrogate is a character of its own, not the second half of the letter before it', async (t) => {
  // It once made a leetspeak run reach back over a run already folded, writing that run twice.
  const n = normalize('@a\udc007')
  t.equal(n.text, 'a\udc007')
  t.same([...n.start], [0, 2, 3])
  t.same([...n.end], [2, 3, 4])
  t.equal(normalize('sh1t\udc00sh1t').text, 'shit\udc00shit')
})
