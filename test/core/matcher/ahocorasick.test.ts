import t from 'tap'
import { automatonEngine, defaultEngine } from '../../../core/matcher/index.js'
import { ahoCorasickEngine } from '../../fixtures/ahocorasick-engine.js'

t.test('finds every occurrence, overlapping ones included, ordered by end then start', async (t) => {
  const m = ahoCorasickEngine.build(['he', 'she', 'hers', 'his'])
  t.equal(m.size, 4)
  t.same(m.scan('ushers'), [
    { start: 1, end: 4, term: 1 },
    { start: 2, end: 4, term: 0 },
    { start: 2, end: 6, term: 2 },
  ])
  t.same(m.scan('nothing here?'), [
    { start: 8, end: 10, term: 0 },
  ])
  t.same(m.scan(''), [])
})

t.test('UTF-16 offsets around surrogate pairs', async (t) => {
  const m = ahoCorasickEngine.build(['傻逼', '😀'])
  t.same(m.scan('😀傻逼'), [
    { start: 0, end: 2, term: 1 },
    { start: 2, end: 4, term: 0 },
  ])
})

t.test('duplicate terms give a hit per index', async (t) => {
  const m = ahoCorasickEngine.build(['ab', 'ab', 'b'])
  t.equal(m.size, 2)
  t.same(m.scan('ab'), [
    { start: 0, end: 2, term: 0 },
    { start: 0, end: 2, term: 1 },
    { start: 1, end: 2, term: 2 },
  ])
})

t.test('empty and non-string terms are refused', async (t) => {
  t.throws(() => ahoCorasickEngine.build(['a', '']), { name: 'TypeError', message: /term \[1\] is ""/ })
  t.throws(() => ahoCorasickEngine.build([42 as unknown as string]), { message: /non-empty string/ })
})

t.test('an empty term list matches nothing', async (t) => {
  const m = ahoCorasickEngine.build([])
  t.equal(m.size, 0)
  t.same(m.scan('anything'), [])
})

t.test('the default engine is the typed-array automaton; ahocorasick stays available as the reference', async (t) => {
  t.equal(defaultEngine, automatonEngine)
  t.equal(defaultEngine.name, 'automaton')
  t.not(defaultEngine, ahoCorasickEngine)
})
