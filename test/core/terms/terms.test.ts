import t from 'tap'
import { compileTerms, compileTermsAsync, parsePattern, termSteps } from '../../../core/terms.js'
import { runSliced, runToEnd } from '../../../core/slices.js'
import { automatonEngine } from '../../../core/matcher/automaton.js'
import { isPresendError } from '../../../core/errors.js'
import type { MatcherEngine } from '../../../core/matcher/types.js'
import { list, readCases } from '../text/fixtures/cases.js'

t.test('fixture cases', async (t) => {
  for (const c of readCases(new URL('./fixtures/terms.txt', import.meta.url))) {
    const { terms, allow, text = '', hits, options } = c.fields
    const set = compileTerms(
      list(terms).map((pattern) => ({ pattern })),
      { allow: list(allow), normalize: options === undefined ? undefined : JSON.parse(options) },
    )
    const found = set.find(text)
    t.same(
      found.map((h) => text.slice(h.start, h.end)),
      list(hits),
      `${c.title} (line ${c.line})`,
    )
  }
})

t.test('hits carry the pattern, the entry index and its data', async (t) => {
  const set = compileTerms([{ pattern: 'ass' }, { pattern: '*fuck*', data: { category: 'severe' } }])
  t.equal(set.size, 2)
  t.same(set.find('what the F.U.C.K, assassin ass'), [
    { start: 9, end: 16, pattern: '*fuck*', index: 1, data: { category: 'severe' } },
    { start: 27, end: 30, pattern: 'ass', index: 0, data: undefined },
  ])
})

t.test('a tie goes to the entry listed first', async (t) => {
  const set = compileTerms([{ pattern: 'red packet', data: 1 }, { pattern: 'red  packet', data: 2 }])
  t.same(set.find('red packet').map((h) => h.data), [1])
})

t.test('parsePattern reads the AutoMod wildcards', async (t) => {
  t.same(parsePattern('word'), { text: 'word', boundStart: true, boundEnd: true })
  t.same(parsePattern('word*'), { text: 'word', boundStart: true, boundEnd: false })
  t.same(parsePattern('*word'), { text: 'word', boundStart: false, boundEnd: true })
  t.same(parsePattern(' *word* '), { text: 'word', boundStart: false, boundEnd: false })
})

t.test('bad patterns fail at compile time with PRESEND_INVALID_TERM', async (t) => {
  for (const pattern of ['', '*', '**', ' * ', '\u200b']) {
    try {
      compileTerms([{ pattern }])
      t.fail(`${JSON.stringify(pattern)} compiled`)
    } catch (err) {
      t.ok(isPresendError(err, 'PRESEND_INVALID_TERM'), `${JSON.stringify(pattern)}: code`)
      t.match(String(err), /terms\[0\] .* is empty once its asterisks/, `${JSON.stringify(pattern)}: sentence`)
    }
  }
  t.throws(() => compileTerms([{ pattern: 42 as unknown as string }]), /terms\[0\] 42 is not a string/)
  t.throws(() => compileTerms([], { allow: ['ok', ''] }), /allow\[1\] "" is empty/)
})

t.test('no entries, empty text', async (t) => {
  t.same(compileTerms([]).find('anything'), [])
  t.same(compileTerms([{ pattern: 'a' }]).find(''), [])
  t.same(compileTerms([{ pattern: 'zzz' }]).find('nothing here'), [])
})

t.test('allow phrases alone match nothing', async (t) => {
  t.same(compileTerms([], { allow: ['fine'] }).find('fine'), [])
})

t.test('the engine can be swapped', async (t) => {
  const built: string[][] = []
  const engine: MatcherEngine = {
    name: 'spy',
    build(terms) {
      built.push([...terms])
      return { size: terms.length, scan: () => [{ start: 0, end: 3, term: 0 }] }
    },
  }
  const set = runToEnd(termSteps([{ pattern: 'ASS' }], {}, engine))
  t.same(built, [['as']])
  t.same(set.find('ass').map((h) => h.pattern), ['ASS'])
})

t.test('a term normalised with a leading space keeps its runs aligned', async (t) => {
  // U+00A8 (diaeresis) folds to " \u0308" under NFKC: the leading space is trimmed from the term.
  const set = compileTerms([{ pattern: '\u00a8ass' }])
  t.same(set.find('ass').map((h) => h.pattern), ['\u00a8ass'])
})

t.test('compileTermsAsync: the same set as compileTerms, built in slices', async (t) => {
  const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`)
  const entries = words.map((pattern, i) => ({ pattern: i % 3 === 0 ? `${pattern}*` : pattern, data: i }))
  // More than a thousand allow phrases and keys: the loops over both break.
  const allow = words.slice(0, 1100).map((w) => `${w} ok`)
  const text = `${words.slice(0, 40).join(' ')} ${allow[5]} ${words[2999]}ing`
  const whole = compileTerms(entries, { allow })
  const sliced = await compileTermsAsync(entries, { allow })
  t.equal(sliced.size, whole.size)
  t.same(sliced.find(text), whole.find(text))
  t.ok(sliced.find(text).length > 30)
  // An engine without steps builds in one block.
  const engine: MatcherEngine = { name: 'plain', build: (keys) => automatonEngine.build(keys) }
  t.same((await runSliced(termSteps(entries, { allow }, engine))).find(text), whole.find(text))
  await t.rejects(compileTermsAsync([{ pattern: 'fine' }, { pattern: '**' }]), { code: 'PRESEND_INVALID_TERM' })
})
