// The built-in plugins (profanity with its bundled lists, links, keyword-rewrite with the red-packet preset)
// fuzzed with any text — evasions, links, keywords, emoji, lone surrogates — in any body: they never fault
// (no throw, no timeout), never touch a non-text element, never mutate their input, and every run ends far
// inside Tencent's 2 s. Their exact outputs are their own tests' business; these are the invariants.
import t from 'tap'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { createPipelineFromConfig } from '../../server/resolve.js'
import { parseRequest } from '../../core/protocol/index.js'
import { deepFreeze } from '../../core/testing/index.js'
import type { BeforeSendRequest, MsgElement } from '../../core/protocol/index.js'
import { wildRequest } from './fixtures/arbitraries.js'
import { FIXTURES, TENCENT_BUDGET_MS } from './fixtures/helpers.js'

const SEED = 20261127
const RUNS = 1000

const pipelines = {
  edit: configSchema.parse({
    plugins: [
      { use: 'profanity', options: { action: 'mask' } },
      { use: 'links', options: { action: 'replace' } },
      { use: 'keyword-rewrite', options: { preset: 'red-packet' } },
    ],
  }) as PresendConfig,
  decide: configSchema.parse({
    plugins: [
      { use: 'links', options: { action: 'reject' } },
      { use: 'profanity', options: { action: 'drop' } },
    ],
  }) as PresendConfig,
}

const nonText = (body: readonly MsgElement[]) => body.filter((e) => e.MsgType !== 'TIMTextElem')
const outcomes: Record<string, number> = {}

for (const [name, config] of Object.entries(pipelines)) {
  t.test(`${name}: ${config.plugins.map((p) => `${p.use} (${(p.options as { action?: string; preset?: string }).action ?? (p.options as { preset?: string }).preset})`).join(', ')}`, async (t) => {
    const pipeline = await createPipelineFromConfig(config, { baseDir: FIXTURES })
    t.teardown(() => pipeline.close())
    const stats = await fc.check(
      fc.asyncProperty(wildRequest, async (v) => {
        const request = deepFreeze(parseRequest(JSON.parse(JSON.stringify(v.request))) as BeforeSendRequest)
        const before = JSON.stringify(request)
        const started = performance.now()
        const result = await pipeline.run(request)
        const elapsed = performance.now() - started
        assert.equal(result.faults, 0, `a plugin faulted: ${JSON.stringify(result.trace)}`)
        assert.ok(['allow', 'reject', 'drop'].includes(result.decision))
        assert.equal(JSON.stringify(request), before, 'the input is unchanged')
        assert.ok(elapsed < TENCENT_BUDGET_MS / 4, `ran ${Math.round(elapsed)} ms`)
        outcomes[`${name}: ${result.decision}${result.changed ? ' (changed)' : ''}`] = (outcomes[`${name}: ${result.decision}${result.changed ? ' (changed)' : ''}`] ?? 0) + 1
        if (result.decision === 'allow') {
          assert.deepStrictEqual(nonText(result.body), nonText(request.MsgBody), 'non-text elements identical, in order')
          if (result.changed) assert.deepStrictEqual(result.reply.MsgBody, result.body)
          else assert.equal(result.reply.MsgBody, undefined)
        }
      }),
      { seed: SEED, numRuns: RUNS },
    )
    if (stats.failed) t.fail(fc.defaultReportMessage(stats) ?? 'failed')
    else t.pass(`${stats.numRuns} cases, seed ${SEED}`)
  })
}

t.test('the generators reached every outcome', async (t) => {
  for (const key of ['edit: allow', 'edit: allow (changed)', 'decide: allow', 'decide: reject', 'decide: drop']) t.ok((outcomes[key] ?? 0) > 0, key)
  t.comment(`built-in fuzz: ${RUNS * Object.keys(pipelines).length} cases; ${JSON.stringify(outcomes)}`)
})
