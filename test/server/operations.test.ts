// Operations endpoints off the hot path (issue 18, item 4): /metrics was open on the callback port even with a
// callback token, showed plugin names, versions and memory, and a scrape flood starved callbacks. Now it asks
// for a bearer token wherever one is configured (compared in constant time), a rendered scrape is reused for
// metrics.cacheMs, and /healthz and /metrics can move to their own listener. Real HTTP on loopback.
import t from 'tap'
import { request } from 'undici'
import { c2cRequest } from '../../core/testing/index.js'
import { buildServer, type PresendServer } from '../../server/app.js'
import { computeSign } from '../../server/auth.js'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { bearerMatches } from '../../server/operations.js'
import { sleep } from '../reliability/fixtures/helpers.js'
import { gate } from './fixtures/app/filters.js'

const fixture = new URL('./fixtures/app/blocklist.mjs', import.meta.url).pathname
const CALLBACK = '/?CallbackCommand=C2C.CallbackBeforeSendMsg'

async function serve(t: Tap, extra: Record<string, unknown>, lines?: Array<Record<string, unknown>>) {
  const dir = t.testdir({ 'words.txt': 'darn\n' })
  const config = configSchema.parse({ plugins: [{ use: fixture, options: { file: 'words.txt' } }], ...extra }) as PresendConfig
  const logger = lines === undefined ? false : { stream: { write: (l: string) => void lines.push(JSON.parse(l)) } }
  const app = await buildServer(config, { baseDir: dir, logger, defaultMetrics: false })
  t.teardown(() => app.close())
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, url }
}
type Tap = { testdir(files: Record<string, string>): string; teardown(fn: () => unknown): void }

async function get(url: string, authorization?: string) {
  const res = await request(url, authorization === undefined ? {} : { headers: { authorization } })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

t.test('on the callback port, /metrics needs the callback token as a bearer token', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const { url } = await serve(t, { auth: { token: 'callback-secret' } }, lines)
  const none = await get(`${url}/metrics`)
  t.equal(none.status, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer')
  t.match(JSON.parse(none.body), { ActionStatus: 'FAIL', ErrorCode: 401, Code: 'PRESEND_METRICS_UNAUTHORIZED', ErrorInfo: /Authorization: Bearer <token>/ })
  t.notMatch(none.body, /presend_/, 'nothing of the metrics leaks')
  for (const wrong of ['Bearer callback-secreT', 'Bearer ', 'Basic callback-secret', 'callback-secret', 'Bearer callback-secret-and-more']) {
    t.equal((await get(`${url}/metrics`, wrong)).status, 401, wrong)
  }
  const ok = await get(`${url}/metrics`, 'Bearer callback-secret')
  t.equal(ok.status, 200)
  t.match(ok.body, /presend_requests_total/)
  t.equal((await get(`${url}/healthz`)).status, 200, '/healthz stays open (a load balancer has no token)')
  await sleep(20)
  t.equal(lines.filter((l) => l.code === 'PRESEND_METRICS_UNAUTHORIZED').length, 1, 'refused scrapes logged once per interval')
})

t.test('metrics.token replaces the callback token for scrapes; no token at all leaves /metrics open', async (t) => {
  const { url } = await serve(t, { auth: { token: 'callback-secret' }, metrics: { token: 'scrape-secret' } })
  t.equal((await get(`${url}/metrics`, 'Bearer callback-secret')).status, 401)
  t.equal((await get(`${url}/metrics`, 'bearer scrape-secret')).status, 200, 'the scheme is case-insensitive')
  const open = await serve(t, {})
  t.equal((await get(`${open.url}/metrics`)).status, 200)
})

t.test('operations.port: /healthz and /metrics on their own listener, not on the callback port', async (t) => {
  // The in-flight callback's connection turns idle after its answer and holds the close for keepAliveTimeoutMs.
  const { app, url } = await serve(t, { auth: { token: 'callback-secret' }, operations: { port: 0 }, server: { keepAliveTimeoutMs: 1000 } })
  const operations = (app as PresendServer).presend.operations
  t.ok(operations)
  const at = await operations!.listen({ host: '127.0.0.1', port: 0 })
  t.equal((await get(`${url}/healthz`)).status, 404)
  t.equal((await get(`${url}/metrics`, 'Bearer callback-secret')).status, 404)
  t.same(JSON.parse((await get(`${at}/healthz`)).body), { status: 'ok' })
  const scrape = await get(`${at}/metrics`)
  t.equal(scrape.status, 200, 'no callback token needed on the operations listener')
  t.match(scrape.body, /presend_requests_total/)
  // While the server drains an in-flight callback, the operations /healthz says so; then it closes with it.
  const slow = gate()
  ;(globalThis as Record<string, unknown>).__presendGate = slow
  const now = String(Math.floor(Date.now() / 1000))
  const signed = `${url}${CALLBACK}&RequestTime=${now}&Sign=${computeSign('callback-secret', now)}`
  const inflight = request(signed, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'slow' })) })
  await slow.reached
  const closing = app.close()
  await sleep(50)
  const draining = await get(`${at}/healthz`)
  t.equal(draining.status, 503)
  t.same(JSON.parse(draining.body), { status: 'closing' })
  slow.open()
  t.equal((await inflight).statusCode, 200)
  await closing
  await t.rejects(get(`${at}/healthz`), 'closed with the server')
})

t.test('operations.port with metrics.token: the token is needed there too', async (t) => {
  const { app } = await serve(t, { operations: { port: 0 }, metrics: { token: 'scrape-secret' } })
  const at = await app.presend.operations!.listen({ host: '127.0.0.1', port: 0 })
  t.equal((await get(`${at}/metrics`)).status, 401)
  t.equal((await get(`${at}/metrics`, 'Bearer scrape-secret')).status, 200)
})

t.test('a scrape is rendered once per metrics.cacheMs: a flood of scrapes costs one rendering', async (t) => {
  // 1 s, not less: twenty scrapes over HTTP must all land inside one cache period on a loaded machine.
  const { app, url } = await serve(t, { metrics: { cacheMs: 1000 } })
  const count = () => /presend_requests_total\{command="C2C\.CallbackBeforeSendMsg",decision="allow"\} (\d+)/.exec(scrapeBody)?.[1]
  let scrapeBody = (await get(`${url}/metrics`)).body
  t.equal(count(), undefined, 'no callbacks yet')
  const registry = app.presend.metrics!
  t.ok(registry)
  await request(`${url}${CALLBACK}`, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'hello' })) }).then((r) => r.body.dump())
  // Concurrent scrapes right after: all get the same cached text.
  const bodies = await Promise.all(Array.from({ length: 20 }, () => get(`${url}/metrics`).then((r) => r.body)))
  t.equal(new Set(bodies).size, 1, 'twenty concurrent scrapes, one text')
  scrapeBody = bodies[0] as string
  const cachedCount = count()
  await sleep(1100)
  scrapeBody = (await get(`${url}/metrics`)).body
  t.equal(count(), '1', 'after cacheMs the next scrape is rendered afresh')
  t.ok(cachedCount === undefined || cachedCount === '1')
  const fresh = await serve(t, { metrics: { cacheMs: 0 } })
  await request(`${fresh.url}${CALLBACK}`, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'hello' })) }).then((r) => r.body.dump())
  scrapeBody = (await get(`${fresh.url}/metrics`)).body
  t.equal(count(), '1', 'cacheMs 0 renders every scrape')
})

t.test('bearerMatches', async (t) => {
  t.equal(bearerMatches('Bearer abc', 'abc'), true)
  t.equal(bearerMatches('BEARER  abc ', 'abc'), true)
  t.equal(bearerMatches(undefined, 'abc'), false)
  t.equal(bearerMatches('Bearer abcd', 'abc'), false)
})
