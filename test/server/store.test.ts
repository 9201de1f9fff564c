// The server's shared store: config and environment, metrics, `presend validate`, and presend servers on a
// real redis-server (started by the test on a free loopback port): two instances enforce one limit, a
// Redis killed under load costs no 5xx and no answer past the plugin's timeout + 50 ms, Redis back brings
// the limits back.
import t from 'tap'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'
import { Histogram, Registry } from 'prom-client'
import { c2cRequest } from '../../core/requests.js'
import { buildServer, type PresendServer } from '../../server/app.js'
import { configSchema, loadConfig, type PresendConfig } from '../../server/config.js'
import { createStoreMetrics } from '../../server/metrics.js'
import { createStoreFromConfig } from '../../server/store.js'
import { runMain } from './fixtures/run-main.js'
import { startRedis } from '../fixtures/redis-server.js'

const redis = await startRedis()
t.teardown(() => redis.stop())

const PLUGIN_TIMEOUT_MS = 100
/** The limits' window: fixed windows, so a count starts again at each multiple of it since the epoch. */
const WINDOW_MS = 60_000

/**
 * Wait, if the current window has less than `room` ms left, for the next one: a test that counts messages
 * then sees all of them in one window (one that crossed a boundary read a reset count as a failure).
 */
async function clearOfWindowEnd(room = 5000): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS)
  if (left < room) await sleep(left + 10)
}

function config(extra: Record<string, unknown> = {}, max = 5): PresendConfig {
  return configSchema.parse({
    server: { host: '127.0.0.1', port: 0 },
    logging: { level: 'silent' },
    plugins: [{ use: 'rate-limit', options: { limits: [{ per: 'sender', max, windowMs: WINDOW_MS }], code: 120001 }, timeoutMs: PLUGIN_TIMEOUT_MS }],
    ...extra,
  }) as PresendConfig
}

async function start(c: PresendConfig): Promise<{ app: PresendServer; url: string }> {
  const app = await buildServer(c, { defaultMetrics: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const { port } = app.server.address() as { port: number }
  return { app, url: `http://127.0.0.1:${port}` }
}

const dispatcher = new Agent({ connections: 16 })
t.teardown(() => dispatcher.close())

async function send(url: string, from: string): Promise<{ status: number; code: number; ms: number }> {
  const started = performance.now()
  const res = await request(`${url}/?CallbackCommand=C2C.CallbackBeforeSendMsg`, { method: 'POST', body: JSON.stringify(c2cRequest({ from })), dispatcher })
  const body = (await res.body.json()) as { ErrorCode: number }
  return { status: res.statusCode, code: body.ErrorCode, ms: performance.now() - started }
}

t.test('config: store defaults, store.redis, PRESEND_REDIS_URL beats the file, a bad URL is named', async (t) => {
  t.same(configSchema.parse({}).store, { keyPrefix: 'presend:', timeoutMs: 50 })
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ store: { redis: 'redis://file:6379' } }) })
  t.equal((await loadConfig({ cwd: dir, env: {} })).config.store.redis, 'redis://file:6379')
  t.equal((await loadConfig({ cwd: dir, env: { PRESEND_REDIS_URL: 'rediss://env:6380' } })).config.store.redis, 'rediss://env:6380')
  await t.rejects(loadConfig({ cwd: dir, env: { PRESEND_REDIS_URL: 'localhost:6379' } }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: /Invalid config in PRESEND_REDIS_URL: store\.redis: expected a Redis URL such as "redis:\/\/127\.0\.0\.1:6379"/,
  })
  const memory = createStoreFromConfig(configSchema.parse({}).store)
  t.equal(memory.kind, 'memory')
})

t.test('store metrics: round trips, errors by kind, up', async (t) => {
  const registry = new Registry()
  const m = createStoreMetrics(registry)
  createStoreMetrics(registry)
  m.op(0.0001, undefined)
  m.op(0.05, 'timeout')
  m.op(0, 'unavailable')
  m.op(0.001, 'error')
  m.state('open')
  let text = await registry.metrics()
  t.match(text, 'presend_store_duration_seconds_count 3\n')
  t.match(text, 'presend_store_errors_total{kind="timeout"} 1\n')
  t.match(text, 'presend_store_errors_total{kind="unavailable"} 1\n')
  t.match(text, 'presend_store_errors_total{kind="error"} 1\n')
  t.match(text, 'presend_store_up 0\n')
  m.state('closed')
  text = await registry.metrics()
  t.match(text, 'presend_store_up 1\n')
})

t.test('store metrics refuse a registry whose presend_store_duration_seconds is not presend\'s', async (t) => {
  const registry = new Registry()
  new Histogram({ name: 'presend_store_duration_seconds', help: 'mine', registers: [registry] })
  t.throws(() => createStoreMetrics(registry), { code: 'PRESEND_INVALID_SERVER_OPTIONS', message: /presend_store_duration_seconds that presend did not create/ })
})

t.test('two servers on one Redis enforce one limit together', async (t) => {
  await clearOfWindowEnd()
  const shared = config({ store: { redis: redis.url, keyPrefix: 'two:', timeoutMs: 200 } }, 4)
  const a = await start(shared)
  const b = await start(shared)
  const codes: number[] = []
  for (let i = 0; i < 6; i++) codes.push((await send(i % 2 === 0 ? a.url : b.url, 'alice')).code)
  t.same(codes, [0, 0, 0, 0, 120001, 120001], 'the 5th message is refused whichever instance receives it')
  t.equal((await send(b.url, 'bob')).code, 0, 'another sender')
  const memory = await start(config({}, 2))
  t.same([(await send(memory.url, 'c')).code, (await send(memory.url, 'c')).code, (await send(memory.url, 'c')).code], [0, 0, 120001], 'the memory store on one instance')
  const reloaded = await a.app.presend.reload()
  t.equal(reloaded.ok, true)
  t.equal((await send(a.url, 'alice')).code, 120001, 'a reload keeps the shared store and its counts')
  const moved = await a.app.presend.reload({ ...shared, store: { ...shared.store, keyPrefix: 'elsewhere:' } })
  t.equal(moved.ok, true)
  t.equal((await send(a.url, 'alice')).code, 120001, 'the store is set at start: a reload warns that a new keyPrefix needs a restart')
})

t.test('Redis killed under load: fault policy, no 5xx, bounded latency; Redis back: limits again', async (t) => {
  await clearOfWindowEnd(10_000)
  const server = await startRedis()
  t.teardown(() => server.stop())
  const c = config({ store: { redis: server.url, timeoutMs: 50 } }, 3)
  const app = await buildServer(c, { defaultMetrics: false })
  t.teardown(() => app.close())
  // The server's own time per request (first byte to reply sent): what Tencent waits for, without this
  // process's client in it.
  const serverMs: number[] = []
  app.addHook('onRequest', async (req) => {
    ;(req as unknown as { t0: number }).t0 = performance.now()
  })
  app.addHook('onResponse', async (req) => {
    serverMs.push(performance.now() - (req as unknown as { t0: number }).t0)
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  t.same([(await send(url, 'x')).code, (await send(url, 'x')).code, (await send(url, 'x')).code, (await send(url, 'x')).code], [0, 0, 0, 120001])

  // Load from 4 concurrent senders; Redis dies in the middle.
  const results: Array<{ status: number; code: number; ms: number }> = []
  let stop = false
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) results.push(await send(url, `load-${w}-${i}`))
  }
  const workers = Array.from({ length: 4 }, (_, w) => worker(w))
  await new Promise((r) => setTimeout(r, 300))
  const killedAt = results.length
  const serverKilledAt = serverMs.length
  // This process also runs the load, on a machine other tests share: a stall of its event loop delays every
  // answer whatever presend does, so the bound allows for the longest stall seen.
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  await server.kill()
  await new Promise((r) => setTimeout(r, 400))
  stop = true
  await Promise.all(workers)
  lag.disable()
  const stallMs = lag.max / 1e6
  const afterKill = results.slice(killedAt)
  t.ok(afterKill.length > 20, `answered ${afterKill.length} requests while Redis was dead`)
  t.equal(results.filter((r) => r.status >= 500).length, 0, 'no 5xx')
  t.equal(results.filter((r) => r.status !== 200).length, 0, 'every answer a 200')
  t.ok(afterKill.every((r) => r.code === 0), 'fail-open: the fault policy (allow) answered')
  const slowest = Math.max(...serverMs.slice(serverKilledAt))
  t.ok(slowest < PLUGIN_TIMEOUT_MS + 50 + stallMs, `slowest answer ${slowest.toFixed(1)} ms < plugin timeout ${PLUGIN_TIMEOUT_MS} + 50 ms (+ ${stallMs.toFixed(1)} ms the event loop stalled)`)
  const metrics = await app.inject({ url: '/metrics' })
  t.match(metrics.body, /presend_store_errors_total\{kind="unavailable"\} [1-9]/, 'the open breaker answered most of them at once')
  t.match(metrics.body, 'presend_store_up 0')

  await server.restart()
  const until = performance.now() + 4000
  let codes: number[] = []
  while (performance.now() < until) {
    codes = []
    for (let i = 0; i < 4; i++) codes.push((await send(url, 'y')).code)
    if (codes[3] === 120001) break
    await new Promise((r) => setTimeout(r, 100))
  }
  t.equal(codes.at(-1), 120001, 'Redis back: the limit holds again')
  t.match((await app.inject({ url: '/metrics' })).body, 'presend_store_up 1')
})

t.test('a server whose Redis is down at start serves anyway, by the fault policy, and says so', async (t) => {
  const lines: string[] = []
  const c = config({ store: { redis: 'redis://127.0.0.1:1' }, logging: { level: 'warn' } })
  const app = await buildServer(c, { defaultMetrics: false, logger: { stream: { write: (l: string) => lines.push(l) } } })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg', payload: c2cRequest({ from: 'z' }) })
  t.match(res.json(), { ErrorCode: 0 }, 'fail-open')
  t.match(lines.join(''), /Redis at redis:\/\/127\.0\.0\.1:1 is unreachable: connect ECONNREFUSED.*; serving anyway/)
})

t.test('presend validate: an unreachable Redis is a warning, a reachable one answers', async (t) => {
  const run = (redisUrl: string) =>
    runMain(['validate'], t.testdir({ 'presend.config.json': JSON.stringify({ plugins: [{ use: 'rate-limit' }], store: { redis: redisUrl } }) }))
  const down = await run('redis://user:pw@127.0.0.1:1')
  t.equal(down.code, 0, 'not an error')
  t.match(down.stdout, /store: {4}redis redis:\/\/user:\*\*\*@127\.0\.0\.1:1\nWARNING: Redis at .* is unreachable: .*; plugins on the store will answer by their fault policy until it answers\n/)
  const up = await run(redis.url)
  t.match(up.stdout, `store:    redis ${redis.url} (answers)\n`)
})
