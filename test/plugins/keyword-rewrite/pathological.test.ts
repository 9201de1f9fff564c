// Adversarial messages at Tencent's 12 KB limit (UTF-8): long repeats of hits, near misses, separators,
// confusables, invisible characters and emoji. Each run must finish far inside Tencent's 2 s budget, with
// the exact expected result. The pipeline is built once, as in production; only runs are timed.
import t from 'tap'
import { createPipeline, type Pipeline } from '../../../core/pipeline/index.js'
import { textElement } from '../../../core/plugin.js'
import { c2cRequest, deepFreeze } from '../../../core/testing/index.js'
import keywordRewrite from '../../../plugins/keyword-rewrite/index.js'

const LIMIT = 12 * 1024
/** `unit` repeated as often as fits in `bytes` of UTF-8. */
const fill = (unit: string, bytes = LIMIT) => unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)))

// `perUnit`: rewrites per repeated unit; `whole`: the repeats form one word, rewritten by one wildcard hit.
const cases: Array<{ name: string; unit: string; hit: boolean; perUnit?: number; whole?: boolean }> = [
  { name: '红包 back to back', unit: '红包', hit: true },
  { name: '"red packet " repeated', unit: 'red packet ', hit: true },
  { name: 'Cyrillic look-alikes of a hit', unit: 'rеd расkеt ', hit: true },
  { name: 'emoji between hits', unit: '😀红包', hit: true },
  { name: 'zero-width spaces inside every hit', unit: '红\u200b包 ', hit: true },
  { name: 'traditional and simplified alternating', unit: '紅包红包', hit: true, perUnit: 2 },
  { name: 'run-together "hongbao": one long word, one wildcard hit', unit: 'hongbao', hit: true, whole: true },
  { name: 'near misses: "red " repeated', unit: 'red ', hit: false },
  { name: 'a single repeated letter', unit: 'r', hit: false },
  { name: 'dotted single letters, joined into one long word', unit: 'r.e.d.p.a.c.k.e.t.x.', hit: true, whole: true },
  { name: 'dotted single letters of no keyword', unit: 'r.e.d.p.a.x.', hit: false },
  { name: 'half a keyword repeated', unit: '红', hit: false },
]

let pipeline: Pipeline
t.before(async () => {
  const started = performance.now()
  pipeline = await createPipeline({
    plugins: [[keywordRewrite, { preset: 'red-packet', rules: [{ match: '*packet*', replace: 'P', cloudCustomData: { hit: true } }] }]],
    onFault: 'reject',
  })
  t.comment(`pipeline built in ${(performance.now() - started).toFixed(1)} ms`)
})
t.teardown(() => pipeline.close())

for (const c of cases) {
  t.test(c.name, async (t) => {
    // Two text elements of 6 KB each: 12 KB in all, and both elements must be scanned.
    const text = fill(c.unit, LIMIT / 2)
    const request = deepFreeze(c2cRequest({ body: [textElement(text), textElement(text)] }))
    const started = performance.now()
    const result = await pipeline.run(request)
    const ms = performance.now() - started
    t.comment(`${c.name}: ${Buffer.byteLength(text) * 2} bytes, ${text.length * 2} UTF-16 units in ${ms.toFixed(1)} ms`)
    t.equal(result.faults, 0)
    t.equal(result.decision, 'allow')
    t.equal(result.changed, c.hit)
    const out = result.body.map((e) => (e.MsgContent as { Text: string }).Text)
    t.equal(out.length, 2)
    t.equal(out[0], out[1], 'both elements rewritten alike')
    const units = text.split(c.unit).length - 1
    const rewrites = [...(out[0] as string).matchAll(/🧧|P/gu)].length
    t.equal(rewrites, !c.hit ? 0 : c.whole === true ? 1 : units * (c.perUnit ?? 1), 'every hit rewritten, nothing else')
    t.ok(ms < 1000, `finishes far inside the 2 s budget (${ms.toFixed(0)} ms)`)
  })
}
