// buildServer(): the bundled server as an unstarted app — route, healthz, metrics, logging, reload, close.
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { buildServer, type PresendServer } from '../../server/app.js'
import { c2cRequest } from '../../core/testing/index.js'
import { computeSign } from '../../server/auth.js'
import { sleep, stalledUpload } from '../reliability/fixtures/helpers.js'
import { gate } from './fixtures/app/filters.js'

const fixture = new URL('./fixtures/app/blocklist.mjs', import.meta.url).pathname
const C2C = 'C2C.CallbackBeforeSendMsg'

/** A folder with words.txt and a config that runs the blocklist plugin over it. */
function setup(t: Tap, words = 'darn\n', extra: Record<string, unknown> = {}, pluginOptions: Record<string, unknown> = {}) {
  const dir = t.testdir({ 'words.txt': words })
  const config = configSchema.parse({
    plugins: [{ use: fixture, options: { file: 'words.txt', ...pluginOptions } }],
    ...extra,
  }) as PresendConfig
  return { dir, config }
}

type Tap = { testdir(files: Record<string, string>): string; teardown(fn: () => unknown): void }

function logSink() {
  const lines: Array<Record<string, unknown>> = []
  return { lines, logger: { stream: { write: (l: string) => void lines.push(JSON.parse(l)) } } }
}

async function make(t: Tap, config: PresendConfig, dir: string, logger: boolean | Record<string, unknown> = false, defaultMetrics?: boolean): Promise<PresendServer> {
  const app = await buildServer(config, { baseDir: dir, logger, ...(defaultMetrics === undefined ? {} : { defaultMetrics }) })
  t.teardown(() => app.close())
  return app
}

function send(app: PresendServer, text: string, query = `CallbackCommand=${C2C}`) {
  return app.inject({ method: 'POST', url: `/?${query}`, payload: JSON.stringify(c2cRequest({ text })) })
}

t.test('serves the callback with the configured pipeline', async (t) => {
  const { dir, config } = setup(t)
  const app = await make(t, config, dir)
  t.same((await send(app, 'oh darn')).json(), { ActionStatus: 'OK', ErrorInfo: 'listed word', ErrorCode: 1 })
  t.same((await send(app, 'hello')).json(), { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  t.same(app.presend.pipeline.names, ['blocklist'])
  t.equal(app.presend.config, config)
})

t.test('server.path, auth and sdkAppId come from the config', async (t) => {
  const { dir, config } = setup(t, 'darn\n', { server: { path: '/cb' }, auth: { token: 'tok' }, sdkAppId: 1400000001 })
  const app = await make(t, config, dir)
  const now = String(Math.floor(Date.now() / 1000))
  const q = (extra: string) => `CallbackCommand=${C2C}&SdkAppid=1400000001${extra}`
  const ok = await app.inject({ method: 'POST', url: `/cb?${q(`&RequestTime=${now}&Sign=${computeSign('tok', now)}`)}`, payload: JSON.stringify(c2cRequest({ text: 'darn' })) })
  t.equal(ok.json().ErrorCode, 1)
  t.equal((await app.inject({ method: 'POST', url: `/cb?${q('')}`, payload: '{}' })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: `/cb?CallbackCommand=${C2C}&SdkAppid=1`, payload: '{}' })).statusCode, 403)
})

t.test('GET /healthz answers ok', async (t) => {
  const { dir, config } = setup(t)
  const app = await make(t, config, dir)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('GET /metrics: Prometheus text after traffic; default process metrics on', async (t) => {
  const { dir, config } = setup(t, 'darn\n', { metrics: { path: '/prom' } })
  const app = await make(t, config, dir)
  await send(app, 'hello')
  await send(app, 'darn')
  await app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: '{' })
  const res = await app.inject({ method: 'GET', url: '/prom' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0.0.4/)
  t.match(res.body, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="allow"\} 1/)
  t.match(res.body, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="reject"\} 1/)
  t.match(res.body, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="bad_json"\} 1/)
  t.match(res.body, /presend_plugin_verdicts_total\{plugin="blocklist",outcome="reject"\} 1/)
  t.match(res.body, /presend_plugin_faults_total\{plugin="blocklist"\} 0/, 'plugin series exist before any fault')
  t.match(res.body, /process_cpu_user_seconds_total/)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'only at the configured path')
})

t.test('metrics can be turned off, and the default process metrics alone', async (t) => {
  const { dir, config } = setup(t, 'darn\n', { metrics: { enabled: false } })
  const app = await make(t, config, dir)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404)
  t.equal(app.presend.metrics, undefined)
  const second = setup(t)
  const lean = await make(t, second.config, second.dir, false, false)
  await send(lean, 'x')
  const body = (await lean.inject({ method: 'GET', url: '/metrics' })).body
  t.match(body, /presend_requests_total/)
  t.notMatch(body, /process_cpu_user_seconds_total/)
})

t.test('reload picks up a changed word list and counts it', async (t) => {
  const { dir, config } = setup(t)
  const app = await make(t, config, dir)
  t.equal((await send(app, 'heck')).json().ErrorCode, 0)
  writeFileSync(`${dir}/words.txt`, 'heck\n')
  const result = await app.presend.reload()
  t.same(result, { ok: true, plugins: ['blocklist'] })
  t.equal((await send(app, 'heck')).json().ErrorCode, 1, 'the new list is in force')
  t.equal((await send(app, 'darn')).json().ErrorCode, 0, 'the old list is gone')
  t.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /presend_reloads_total\{result="success"\} 1/)
})

t.test('a failed reload keeps the old pipeline serving and says why', async (t) => {
  const { dir, config } = setup(t)
  const sink = logSink()
  const app = await make(t, config, dir, { ...sink.logger, level: 'warn' })
  const before = app.presend.pipeline
  const broken = configSchema.parse({ plugins: [{ use: './no-such-filter.mjs' }] }) as PresendConfig
  const result = await app.presend.reload(broken)
  t.equal(result.ok, false)
  t.match(result, { error: { code: 'PRESEND_UNKNOWN_PLUGIN' } })
  t.equal(app.presend.pipeline, before)
  t.equal(app.presend.config, config, 'the config in force is unchanged')
  t.equal((await send(app, 'darn')).json().ErrorCode, 1, 'still serving with the old list')
  t.ok(sink.lines.some((l) => l.level === 50 && /^reload failed; the previous pipeline keeps serving/.test(String(l.msg))))
  writeFileSync(`${dir}/words.txt`, '')
  t.match(await app.presend.reload({ ...config, plugins: [{ use: fixture, options: { file: 'gone.txt' } }] }), { ok: false })
  t.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /presend_reloads_total\{result="failure"\} 2/)
})

t.test('reload applies auth changes and warns about keys that need a restart', async (t) => {
  const { dir, config } = setup(t)
  const sink = logSink()
  const app = await make(t, config, dir, { ...sink.logger, level: 'info' })
  const next = { ...config, auth: { token: 'new-token', maxSkewSeconds: 30 }, sdkAppId: 7, server: { ...config.server, port: 9999 } }
  t.match(await app.presend.reload(next), { ok: true })
  t.same(app.presend.auth, { token: 'new-token', maxSkewSeconds: 30, sdkAppId: 7 })
  t.equal(app.presend.config, next)
  t.equal((await send(app, 'x', `CallbackCommand=${C2C}&SdkAppid=7`)).statusCode, 401)
  const warn = sink.lines.find((l) => l.level === 40)
  t.match(warn, { keys: ['server.port'], msg: 'reload cannot change server.port; restart the server to apply them' })
  t.ok(sink.lines.some((l) => l.msg === 'reloaded the pipeline'))
  const more = { ...next, logging: { ...next.logging, level: 'debug' }, metrics: { enabled: false, path: '/m', cacheMs: 0 }, operations: { host: '::1', port: 9 } }
  await app.presend.reload(more)
  t.match(sink.lines.filter((l) => l.level === 40).at(-1), {
    keys: ['logging.level', 'metrics.enabled', 'metrics.path', 'metrics.cacheMs', 'operations.host', 'operations.port'],
  })
})

t.test('a config whose pipeline cannot be built fails buildServer with the reason', async (t) => {
  const config = configSchema.parse({ plugins: [{ use: './nowhere.mjs' }] }) as PresendConfig
  await t.rejects(buildServer(config, { baseDir: t.testdir({}), logger: false }), { code: 'PRESEND_UNKNOWN_PLUGIN' })
})

t.test('logging: no per-request lines by default, message text redacted', async (t) => {
  const { dir, config } = setup(t, 'darn\n', {}, { logText: true })
  const sink = logSink()
  const app = await make(t, config, dir, sink.logger)
  await send(app, 'my secret text')
  t.notOk(sink.lines.some((l) => l.msg === 'incoming request' || l.msg === 'callback answered'), 'no request lines')
  const saw = sink.lines.find((l) => l.msg === 'blocklist saw a message')
  t.match(saw, { plugin: 'blocklist', text: '[redacted]' })
  t.notOk(JSON.stringify(sink.lines).includes('my secret text'))
  // Request loggers are made on first use: a line a request logs still carries its own request id.
  await app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: '{oops' })
  await app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: '{oops' })
  const refused = sink.lines.filter((l) => l.msg === 'callback request refused')
  t.equal(refused.length, 2)
  t.match(refused, [{ reqId: /^req-\d+$/, code: 'PRESEND_INVALID_JSON' }, { reqId: /^req-\d+$/ }])
  t.not(refused[0]!.reqId, refused[1]!.reqId, 'each request its own id')
})

t.test('logging: text in a child logger\'s bindings and in nested objects is redacted too', async (t) => {
  const { dir, config } = setup(t, 'darn\n')
  const sink = logSink()
  const app = await make(t, config, dir, sink.logger)
  app.log.child({ text: 'bound secret' }).info({ request: { MsgBody: [{ MsgContent: { Text: 'nested secret' } }] } }, 'line')
  const line = sink.lines.find((l) => l.msg === 'line')
  t.match(line, { text: '[redacted]', request: { MsgBody: '[redacted]' } })
  t.notOk(JSON.stringify(sink.lines).includes('secret'))
})

t.test('logging.requests: one line per callback and Fastify request lines, text only with messageText', async (t) => {
  const { dir, config } = setup(t, 'darn\n', { logging: { requests: true } })
  const sink = logSink()
  const app = await make(t, config, dir, sink.logger)
  await send(app, 'oh darn')
  t.match(sink.lines.find((l) => l.msg === 'callback answered'), {
    command: C2C, decision: 'reject', decidedBy: 'blocklist', changed: false, faults: 0, trace: ['blocklist:reject'],
  })
  const incoming = sink.lines.find((l) => l.msg === 'incoming request')
  t.match(incoming, { reqId: /^req-\d+$/ })
  t.equal(sink.lines.find((l) => l.msg === 'callback answered')?.reqId, incoming?.reqId, 'the request lines share its id')
  t.notOk(JSON.stringify(sink.lines).includes('oh darn'))

  const second = setup(t, 'darn\n', { logging: { requests: true, messageText: true } }, { logText: true })
  const sink2 = logSink()
  const app2 = await make(t, second.config, second.dir, sink2.logger)
  await app2.inject({
    method: 'POST',
    url: `/?CallbackCommand=${C2C}`,
    payload: JSON.stringify(c2cRequest({ body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'oh darn' } }, { MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } }] })),
  })
  t.match(sink2.lines.find((l) => l.msg === 'callback answered'), { texts: ['oh darn'] })
  t.match(sink2.lines.find((l) => l.msg === 'blocklist saw a message'), { text: 'oh darn' })
  // A callback without a MsgBody (a group being created): its line has no message texts.
  await app2.inject({
    method: 'POST',
    url: '/?CallbackCommand=Group.CallbackBeforeCreateGroup',
    payload: JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateGroup', Operator_Account: 'a', Type: 'Public', Name: 'book club' }),
  })
  t.same(sink2.lines.filter((l) => l.msg === 'callback answered').at(-1)?.texts, [])
})

t.test('baseDir defaults to the working directory', async (t) => {
  const app = await buildServer(configSchema.parse({ plugins: [] }) as PresendConfig, { logger: false })
  t.teardown(() => app.close())
  t.same(app.presend.pipeline.names, [])
})

t.test('logger: { file } writes the log to that file, as Fastify\'s own option does', async (t) => {
  const { dir, config } = setup(t)
  const file = path.join(dir, 'presend.log')
  const app = await make(t, config, dir, { file })
  await app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: '{oops' })
  await app.close()
  // pino opens and writes the file asynchronously, as it does for Fastify's own `file`: wait for the line.
  let text = ''
  for (let tries = 0; tries < 100 && !text.includes('PRESEND_INVALID_JSON'); tries++) {
    await sleep(20)
    text = existsSync(file) ? readFileSync(file, 'utf8') : ''
  }
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  t.match(lines.find((l) => l.code === 'PRESEND_INVALID_JSON'), { reqId: /^req-\d+$/, msg: 'callback request refused' })
})

t.test('logger: true logs at the configured level', async (t) => {
  const { dir, config } = setup(t, 'darn\n', { logging: { level: 'silent' } })
  const app = await make(t, config, dir, true)
  t.equal(app.log.level, 'silent')
})

t.test('close: the in-flight request is answered, then the pipeline closes', async (t) => {
  const { dir, config } = setup(t)
  const app = await make(t, config, dir)
  const slow = gate()
  ;(globalThis as Record<string, unknown>).__presendGate = slow
  const inflight = send(app, 'slow darn')
  await slow.reached
  const closing = app.close()
  await new Promise((r) => setTimeout(r, 20))
  t.notOk(app.presend.pipeline.names.length === 0)
  await t.resolves(app.presend.pipeline.run(c2cRequest()), 'the pipeline is still open while a request uses it')
  slow.open()
  t.equal((await inflight).json().ErrorCode, 1, 'answered by the pipeline')
  await closing
  await t.rejects(app.presend.pipeline.run(c2cRequest()), { code: 'PRESEND_PIPELINE_CLOSED' }, 'closed after the app')
})

t.test('a half-sent or trickled request cannot hold a socket: a whole request must arrive within 5 s, its headers within 3 s', async (t) => {
  const app = await buildServer(configSchema.parse({ plugins: [] }), { logger: false })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.equal(app.server.requestTimeout, 5000, 'from its first byte to its last')
  t.equal(app.server.headersTimeout, 3000, 'the headers within 3 s (server.headersTimeoutMs)')
  t.equal(app.server.timeout, 0, 'no per-socket inactivity timer (it re-arms on every read and write)')
})

t.test('a client that hangs up mid-body: logged as gone and counted as aborted, not as a bad request', async (t) => {
  const { dir, config } = setup(t)
  const sink = logSink()
  const app = await make(t, config, dir, sink.logger, false)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const socket = stalledUpload(Number(new URL(address).port))
  await sleep(50)
  socket.destroy()
  let gone: Record<string, unknown> | undefined
  for (let i = 0; i < 100 && gone === undefined; i++) {
    gone = sink.lines.find((l) => l.code === 'PRESEND_CLIENT_GONE')
    if (gone === undefined) await sleep(20)
  }
  t.match(gone, { level: 30, msg: /connection closed before the request arrived whole/ }, 'logged at info, saying what happened')
  t.notOk(sink.lines.some((l) => l.code === 'PRESEND_BAD_REQUEST' || (l.level as number) >= 50), 'not as a malformed request, and no error line')
  const metrics = await app.inject({ url: '/metrics' })
  t.match(metrics.body, /presend_requests_total\{command="C2C\.CallbackBeforeSendMsg",decision="aborted"\} 1/)
})
