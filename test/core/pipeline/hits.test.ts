// Hits: what a plugin found, reported on its verdict and given in the trace in the text Tencent sent, even
// after earlier plugins changed that text.
import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { mapHits } from '../../../core/pipeline/hits.js'
import { allow, drop, edit, reject, replaceText, type Hit } from '../../../core/plugin.js'
import { c2cRequest } from '../../../core/testing/index.js'
import keywordRewrite from '../../../plugins/keyword-rewrite/index.js'
import links from '../../../plugins/links/index.js'
import profanity from '../../../plugins/profanity/index.js'
import { inline } from '../fixtures/helpers.js'

const hit: Hit = { rule: 'r', slot: 0, start: 1, end: 2 }

t.test('the verdict builders carry hits only when given', async (t) => {
  t.notOk('hits' in edit([replaceText(0, 0, 1, 'x')]))
  t.same(edit([replaceText(0, 0, 1, 'x')], 'why', [hit]).hits, [hit])
  t.notOk('hits' in edit([], 'why', [hit]), 'no edits: a plain allow')
  t.notOk('hits' in reject())
  t.same(reject({ hits: [hit] }).hits, [hit])
  t.notOk('hits' in drop())
  t.same(drop('x', [hit]).hits, [hit])
})

t.test('mapHits: back through replacements that grew, shrank, or cover the hit', async (t) => {
  const slot = 0
  const grew = [replaceText({ index: slot, element: 0 } as never, 0, 2, 'abcd')] // "xy" -> "abcd": +2
  t.same(mapHits([{ rule: 'r', slot, start: 5, end: 7 }], [grew]), [{ rule: 'r', slot, start: 3, end: 5 }], 'after the edit: shifted back')
  t.same(mapHits([{ rule: 'r', slot, start: 1, end: 3 }], [grew]), [{ rule: 'r', slot, start: 0, end: 2 }], 'inside the replacement: the replaced span')
  t.same(mapHits([{ rule: 'r', slot, start: 4, end: 6 }], [grew]), [{ rule: 'r', slot, start: 2, end: 4 }], 'just after it')
  const later = [replaceText({ index: slot, element: 0 } as never, 10, 12, '')]
  t.same(mapHits([{ rule: 'r', slot, start: 1, end: 3 }], [later]), [{ rule: 'r', slot, start: 1, end: 3 }], 'before every edit: as is')
  const stripped = [replaceText({ index: slot, element: 0 } as never, 2, 4, '')]
  t.same(mapHits([{ rule: 'r', slot, start: 2, end: 3 }], [stripped]), [{ rule: 'r', slot, start: 2, end: 5 }], 'at a stripped span: starts before it')
  const other = [replaceText({ index: 1, element: 1 } as never, 0, 2, 'abcd')]
  t.same(mapHits([hit], [other, [replaceText(0, 0, 1, 'zz')]]), [hit], 'edits of other slots, and element edits, move nothing')
  t.same(mapHits([hit], undefined), [hit])
  const two = [replaceText({ index: slot, element: 0 } as never, 6, 8, ''), replaceText({ index: slot, element: 0 } as never, 0, 1, 'ab')]
  t.same(mapHits([{ rule: 'r', slot, start: 9, end: 10 }], [two]), [{ rule: 'r', slot, start: 10, end: 11 }], 'one verdict\'s edits, in any order')
})

t.test('the trace gives each plugin its hits in the original text', async (t) => {
  const pipeline = await createPipeline({
    plugins: [
      [keywordRewrite, { rules: [{ match: 'red packet', replace: '🧧' }, { regex: 'bo+m', replace: 'x' }] }],
      [profanity, { lists: [], words: ['darn'], action: 'mask' }],
      [links, { action: 'replace' }],
    ],
  })
  const text = 'a red packet, darn, boom: spam.example.com'
  const result = await pipeline.run(c2cRequest({ text }))
  const [rewrite, prof, link] = result.trace
  t.same(rewrite?.hits, [
    { rule: 'rule 0: red packet', slot: 0, start: 2, end: 12 },
    { rule: 'rule 1: regex', slot: 0, start: 20, end: 24 },
  ])
  t.same(prof?.hits, [{ rule: 'darn', slot: 0, start: text.indexOf('darn'), end: text.indexOf('darn') + 4 }])
  t.same(link?.hits, [{ rule: 'spam.example.com', slot: 0, start: text.indexOf('spam'), end: text.length }])
  for (const h of [...(rewrite?.hits ?? []), ...(prof?.hits ?? []), ...(link?.hits ?? [])]) t.ok(text.slice(h.start, h.end).length > 0)
  await pipeline.close()
})

t.test('reject and drop verdicts report their hits', async (t) => {
  for (const action of ['reject', 'drop'] as const) {
    const p = await createPipeline({ plugins: [[profanity, { lists: [], words: ['darn'], action }]] })
    t.same((await p.run(c2cRequest({ text: 'oh darn' }))).trace[0]?.hits, [{ rule: 'darn', slot: 0, start: 3, end: 7 }], `profanity ${action}`)
    await p.close()
    const l = await createPipeline({ plugins: [[links, { action }]] })
    t.same((await l.run(c2cRequest({ text: 'see a.example.com' }))).trace[0]?.hits, [{ rule: 'a.example.com', slot: 0, start: 4, end: 17 }], `links ${action}`)
    await l.close()
  }
  const quiet = await createPipeline({ plugins: [inline('quiet', () => ({ ...allow(), hits: [] }))] })
  t.notOk('hits' in ((await quiet.run(c2cRequest())).trace[0] ?? {}), 'an empty list is left out')
  await quiet.close()
})
