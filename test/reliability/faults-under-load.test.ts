// Faults under load: a plugin that throws, one that hangs past its budget, one that is slow but within it.
// Load comes from this test (undici, bounded in time, loopback). Every request is answered inside Tencent's
// 2 s with the fault policy applied (allow → ErrorCode 0, reject → 1), and nothing is ever non-2xx.
import t from 'tap'
import assert from 'node:assert/strict'
import { Agent, request } from 'undici'
import { c2cRequest, groupRequest, officialAccountRequest } from '../../core/testing/index.js'
import { checkEnvelope, makeServer, PLUGINS_TS, TENCENT_BUDGET_MS } from './fixtures/helpers.js'

const use = (name: string) => `${PLUGINS_TS}#${name}`
const DURATION_MS = 1500
const CONNECTIONS = 24

const builders = [c2cRequest, groupRequest, officialAccountRequest]
const COMMAND = ['C2C.CallbackBeforeSendMsg', 'Group.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeSendMsg']

interface LoadResult {
  sent: number
  non2xx: number
  errors: number
  maxMs: number
}

/**
 * Keep `CONNECTIONS` requests in flight for `DURATION_MS`; check every reply with `expect(text)`.
 * A failed check is collected (not thrown) so one report shows every failure kind.
 */
async function load(url: string, expect: (text: string) => Record<string, unknown>): Promise<LoadResult & { failures: string[] }> {
  const dispatcher = new Agent({ connections: CONNECTIONS, pipelining: 1 })
  const result = { sent: 0, non2xx: 0, errors: 0, maxMs: 0, failures: [] as string[] }
  const until = performance.now() + DURATION_MS
  let i = 0
  const worker = async () => {
    while (performance.now() < until) {
      const n = i++
      const text = n % 2 === 0 ? `hello darn ${n}` : `plain ${n}`
      const kind = n % 3
      const started = performance.now()
      try {
        const res = await request(`${url}/?CallbackCommand=${COMMAND[kind]}`, {
          method: 'POST',
          body: JSON.stringify(builders[kind]!({ text })),
          dispatcher,
          signal: AbortSignal.timeout(5000),
        })
        const body = await res.body.text()
        const elapsed = performance.now() - started
        result.sent++
        result.maxMs = Math.max(result.maxMs, elapsed)
        if (res.statusCode < 200 || res.statusCode > 299) result.non2xx++
        try {
          const reply = checkEnvelope(res.statusCode, res.headers['content-type'], body, elapsed)
          assert.deepStrictEqual(reply, expect(text))
        } catch (err) {
          if (result.failures.length < 5) result.failures.push((err as Error).message)
        }
      } catch (err) {
        result.errors++
        if (result.failures.length < 5) result.failures.push(`request failed: ${(err as Error).message}`)
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, worker))
  await dispatcher.close()
  return result
}

const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
const REJECTED = { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'presend: a plugin failed and the fault policy is reject' }
const masked = (text: string) => ({ ...OK, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text.replace('darn', '****') } }] })
/** After an allow-policy fault the run goes on, so the mask plugin still acts. */
const maskedOrOk = (text: string) => (text.includes('darn') ? masked(text) : OK)

const scenarios: Array<{ name: string; config: Record<string, unknown>; expect: (text: string) => Record<string, unknown>; rejectInfo?: boolean }> = [
  {
    name: 'throws, hangs past its 300 ms budget, and slow-within-budget, all under the allow policy',
    config: {
      pipeline: { onFault: 'allow' },
      plugins: [
        { use: use('slow'), options: { ms: 40 }, timeoutMs: 500 },
        { use: use('throws') },
        { use: use('hangs'), timeoutMs: 300 },
        { use: use('mask') },
      ],
    },
    expect: maskedOrOk,
  },
  {
    name: 'a plugin that throws, under the reject policy',
    config: { pipeline: { onFault: 'reject' }, plugins: [{ use: use('slow'), options: { ms: 20 } }, { use: use('throws') }, { use: use('mask') }] },
    expect: () => REJECTED,
    rejectInfo: true,
  },
  {
    name: 'a plugin that hangs past its own budget, reject policy set on that plugin only',
    config: { plugins: [{ use: use('hangs'), timeoutMs: 250, onFault: 'reject' }, { use: use('mask') }] },
    expect: () => REJECTED,
    rejectInfo: true,
  },
  {
    name: 'a plugin that hangs until the whole 1500 ms pipeline deadline (the default), allow policy',
    // The mask plugin runs first; the hang then spends the whole deadline and faults; the edits made before stand.
    config: { plugins: [{ use: use('mask') }, { use: use('hangs') }] },
    expect: maskedOrOk,
  },
  {
    name: 'slow but within budget: no fault, every reply the normal one, even under the reject policy',
    config: { pipeline: { onFault: 'reject' }, plugins: [{ use: use('slow'), options: { ms: 150 }, timeoutMs: 1000 }, { use: use('mask') }] },
    expect: maskedOrOk,
  },
]

let totalSent = 0
for (const scenario of scenarios) {
  t.test(scenario.name, async (t) => {
    const app = await makeServer(scenario.config)
    t.teardown(() => app.close())
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    let rejectInfo: string | undefined
    if (scenario.rejectInfo) {
      // The exact ErrorInfo of a fault-policy reject is the route's wording; learn it once, then require it everywhere.
      const probe = await app.inject({ method: 'POST', url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg', payload: JSON.stringify(c2cRequest({ text: 'probe' })) })
      rejectInfo = probe.json().ErrorInfo
      t.equal(probe.json().ErrorCode, 1, 'the fault policy rejects')
      t.match(rejectInfo, /\S/, 'with a reason')
    }
    const expect = (text: string) => {
      const e = scenario.expect(text)
      return rejectInfo === undefined ? e : { ...e, ErrorInfo: rejectInfo }
    }
    const r = await load(url, expect)
    totalSent += r.sent
    t.same(r.failures, [], 'every reply is the expected one, inside the 2 s budget')
    t.equal(r.errors, 0, 'no request failed')
    t.equal(r.non2xx, 0, 'no non-2xx reply')
    t.ok(r.sent >= CONNECTIONS, `sent ${r.sent} requests`)
    t.ok(r.maxMs < TENCENT_BUDGET_MS, `slowest reply inside Tencent's 2 s`)
    t.comment(`${scenario.name}: ${r.sent} requests, 0 failures, slowest ${Math.round(r.maxMs)} ms`)
  })
}

t.test('totals', async (t) => {
  t.ok(totalSent > 0)
  t.comment(`faults under load: ${totalSent} requests in ${scenarios.length} scenarios`)
})
