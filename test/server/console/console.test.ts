// The console's HTTP side: off by default and then unreachable; a credential compared in constant time,
// failed attempts limited; strict headers; try, batch, pipeline, reload and live over the API.
import t from 'tap'
import Fastify from 'fastify'
import { request as httpRequest } from 'node:http'
import { configSchema, type PresendConfig } from '../../../server/config.js'
import { buildServer, type PresendServer } from '../../../server/app.js'
import { consolePlugin, presendPlugin } from '../../../server/index.js'
import { createPipeline } from '../../../core/pipeline/index.js'
import { c2cRequest, groupRequest } from '../../../core/testing/index.js'
import { drop } from '../../../core/plugin.js'
import { inline } from '../../core/fixtures/helpers.js'

const TOKEN = 'console-secret-1'
const blocklist = new URL('../fixtures/app/blocklist.mjs', import.meta.url).pathname
const C2C = 'C2C.CallbackBeforeSendMsg'

function config(extra: Record<string, unknown> = {}): PresendConfig {
  return configSchema.parse({
    plugins: [
      { use: 'profanity', options: { lists: [], words: ['darn', 'heck'], action: 'mask' } },
      { use: 'links', options: { action: 'reject' } },
      { use: 'keyword-rewrite', options: { rules: [{ match: 'red packet', replace: '🧧' }] } },
    ],
    console: { enabled: true, token: TOKEN },
    ...extra,
  }) as PresendConfig
}

async function make(t: { teardown(fn: () => unknown): void }, cfg = config(), baseDir?: string): Promise<PresendServer> {
  const app = await buildServer(cfg, { logger: false, defaultMetrics: false, ...(baseDir === undefined ? {} : { baseDir }) })
  t.teardown(() => app.close())
  return app
}

async function login(app: PresendServer, token = TOKEN, path = '/console'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `${path}/api/login`, payload: { token } })
  return (res.headers['set-cookie'] as string).split(';')[0] as string
}

t.test('off by default: nothing of the console is reachable', async (t) => {
  const app = await make(t, configSchema.parse({ auth: { token: TOKEN } }) as PresendConfig)
  for (const url of ['/console', '/console/', '/console/console.js', '/console/console.css', '/console/api/meta', '/console/api/live']) {
    t.equal((await app.inject({ url })).statusCode, 404, url)
  }
  t.equal((await app.inject({ method: 'POST', url: '/console/api/login', payload: { token: TOKEN } })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/console/api/inspect', payload: { text: 'x' } })).statusCode, 404)
})

t.test('needs a credential to be enabled at all', async (t) => {
  await t.rejects(buildServer(configSchema.parse({ console: { enabled: true } }) as PresendConfig, { logger: false }), { code: 'PRESEND_CONSOLE_NO_CREDENTIAL' })
  const app = await make(t, configSchema.parse({ auth: { token: 'callback-token' }, console: { enabled: true } }) as PresendConfig)
  t.equal((await app.inject({ method: 'POST', url: '/console/api/login', payload: { token: 'callback-token' } })).statusCode, 204, 'the callback token signs in when console.token is unset')
  t.throws(() => configSchema.parse({ console: { enabled: true, path: '/c/' } }), 'a path ending in "/" is refused')
})

t.test('the page and its assets, under a strict policy', async (t) => {
  const app = await make(t)
  const redirect = await app.inject({ url: '/console' })
  t.equal(redirect.statusCode, 302)
  t.equal(redirect.headers.location, '/console/')
  const page = await app.inject({ url: '/console/' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'/)
  t.notMatch(page.headers['content-security-policy'], /unsafe-inline/)
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.notMatch(page.body, /<script>|style=|on(click|submit|load)=/, 'nothing inline for the policy to allow')
  t.match(page.body, /<label for="token">/)
  t.match((await app.inject({ url: '/console/console.js' })).headers['content-type'], /javascript/)
  t.match((await app.inject({ url: '/console/console.css' })).headers['content-type'], /text\/css/)
  t.match((await app.inject({ url: '/console/api/meta' })).headers['content-security-policy'], /default-src 'none'/, 'on the API too')
})

t.test('sign-in: the credential, sessions, bearer tokens, and a limit on failures', async (t) => {
  const app = await make(t, config({ console: { enabled: true, token: TOKEN } }))
  t.equal((await app.inject({ url: '/console/api/meta' })).statusCode, 401)
  t.match((await app.inject({ url: '/console/api/meta' })).json(), { code: 'PRESEND_CONSOLE_UNAUTHORIZED' })
  t.equal((await app.inject({ url: '/console/api/meta', headers: { cookie: 'presend_console=forged' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/console/api/meta', headers: { cookie: 'other=1' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/console/api/meta', headers: { authorization: 'Basic x' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/console/api/login', payload: { nope: 1 } })).statusCode, 400)
  const cookie = await login(app)
  t.match(cookie, /^presend_console=[\w-]{40,}$/)
  const ok = await app.inject({ url: '/console/api/meta', headers: { cookie: `other=1; ${cookie}` } })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { commands: [C2C], reload: true, messageText: false })
  t.equal((await app.inject({ url: '/console/api/meta', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200, 'a script may send the token itself')
  t.equal((await app.inject({ method: 'POST', url: '/console/api/logout', headers: { cookie } })).statusCode, 204)
  t.equal((await app.inject({ url: '/console/api/meta', headers: { cookie } })).statusCode, 401, 'signed out')

  for (let i = 0; i < 4; i++) t.equal((await app.inject({ method: 'POST', url: '/console/api/login', payload: { token: `wrong${i}` } })).statusCode, 401)
  t.equal((await app.inject({ url: '/console/api/meta', headers: { authorization: 'Bearer wrong' } })).statusCode, 401, 'a wrong bearer counts too')
  const limited = await app.inject({ method: 'POST', url: '/console/api/login', payload: { token: TOKEN } })
  t.equal(limited.statusCode, 429, 'even the right token waits once the limit is reached')
  t.match(limited.json(), { code: 'PRESEND_CONSOLE_RATE_LIMITED' })
  t.ok(Number(limited.headers['retry-after']) > 0)
  const bearer = await app.inject({ url: '/console/api/meta', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(bearer.statusCode, 429)
  t.ok(Number(bearer.headers['retry-after']) > 0)
})

t.test('try a message: decision, reply, trace with hits in the original text, and the edited text', async (t) => {
  const app = await make(t)
  const cookie = await login(app)
  const inspect = (payload: unknown) => app.inject({ method: 'POST', url: '/console/api/inspect', headers: { cookie }, payload: payload as object })
  const text = 'a red packet, darn it'
  const res = await inspect({ text, command: 'Group.CallbackBeforeSendMsg', groupType: 'Work', from: 'alice', platform: 'iOS' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { command: 'Group.CallbackBeforeSendMsg', decision: 'allow', changed: true, texts: [{ index: 0, kind: 'text', text }] })
  t.same(body.trace.map((e: { plugin: string; outcome: string }) => `${e.plugin}:${e.outcome}`), ['profanity:edit', 'links:allow', 'keyword-rewrite:edit'])
  t.equal((await inspect({ text, platform: '' })).statusCode, 200, 'no platform chosen')
  const hits = body.trace.flatMap((e: { hits?: Array<{ start: number; end: number }> }) => e.hits ?? [])
  t.same(hits.map((h: { start: number; end: number }) => text.slice(h.start, h.end)), ['darn', 'red packet'])
  t.equal(body.edited[0].text, 'a 🧧, **** it')
  t.match(body.reply, { ErrorCode: 0, MsgBody: [{ MsgContent: { Text: 'a 🧧, **** it' } }] })

  const refused = (await inspect({ body: c2cRequest({ text: 'see spam.example.com' }) })).json()
  t.match(refused, { decision: 'reject', decidedBy: 'links', edited: undefined })
  const friend = (await inspect({ text: 'add me, darn', command: 'Sns.CallbackPrevFriendAdd' })).json()
  t.match(friend, { decision: 'reject', texts: [{ kind: 'friend-wording', text: 'add me, darn' }] })
  t.equal((await inspect({})).statusCode, 400)
  t.match((await inspect({ text: 'x', command: 'Nope' })).json(), { code: 'PRESEND_BAD_REQUEST', message: /command "Nope"/ })
  t.equal((await inspect({ body: { CallbackCommand: C2C } })).statusCode, 400, 'a body that fails the protocol: a 4xx')
  t.equal((await inspect({ text: 'x', extra: 1 })).statusCode, 400)
  const notJson = await app.inject({ method: 'POST', url: '/console/api/inspect', headers: { cookie, 'content-type': 'application/json' }, payload: '{"text":' })
  t.match({ status: notJson.statusCode, body: notJson.json() }, { status: 400, body: { code: 'PRESEND_BAD_REQUEST' } })
})

t.test('batch: per plugin, refused, masked, passed, with counts', async (t) => {
  const app = await make(t)
  const cookie = await login(app)
  const res = await app.inject({ method: 'POST', url: '/console/api/batch', headers: { cookie }, payload: { lines: ['hello', 'darn', 'go to spam.example.com', 'heck, a red packet'], command: C2C, platform: 'Web' } })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(body.totals, { reject: 1, drop: 0, edit: 2, allow: 1 })
  t.match(body.plugins, [
    { plugin: 'profanity', edit: 2, allow: 2, notReached: 0 },
    { plugin: 'links', reject: 1, allow: 3 },
    { plugin: 'keyword-rewrite', edit: 1, allow: 2, notReached: 1 },
  ])
  t.match(body.lines[2], { line: 2, decision: 'reject', decidedBy: 'links', outcomes: { 'keyword-rewrite': 'not-reached' } })
  t.equal((await app.inject({ method: 'POST', url: '/console/api/batch', headers: { cookie }, payload: { lines: [] } })).statusCode, 400)
})

t.test('pipeline view with secrets redacted, and reload', async (t) => {
  const dir = t.testdir({ 'words.txt': 'darn\n' })
  const cfg = config({
    plugins: [
      { use: blocklist, name: 'words', options: { file: 'words.txt', token: 'plugin-secret', nested: { password: 'p' } }, only: { commands: ['c2c'] } },
    ],
  })
  const app = await make(t, cfg, dir)
  const cookie = await login(app)
  const view = (await app.inject({ url: '/console/api/pipeline', headers: { cookie } })).json()
  t.match(view, { names: ['words'], onFault: 'allow', reload: true, plugins: [{ use: blocklist, name: 'words', only: { commands: ['c2c'] } }] })
  t.equal(view.plugins[0].options.token, '[redacted]')
  t.equal(view.plugins[0].options.nested.password, '[redacted]')
  t.notMatch(JSON.stringify(view), /plugin-secret/)
  const reloaded = await app.inject({ method: 'POST', url: '/console/api/reload', headers: { cookie }, payload: {} })
  t.match(reloaded.json(), { ok: true, pipeline: { names: ['words'] } })
  t.ok(Date.parse(reloaded.json().pipeline.loadedAt) >= Date.parse(view.loadedAt))
  const moved = await app.presend.reload({ ...cfg, console: { ...cfg.console, path: '/elsewhere' } })
  t.ok(moved.ok, 'a reload cannot move the console (a restart does); it still reloads the pipeline')
  t.equal((await app.inject({ url: '/console/api/pipeline', headers: { cookie } })).statusCode, 200)
})

t.test('a failed reload says why, and the old pipeline keeps serving', async (t) => {
  const cfg = config()
  const app = await make(t, cfg)
  const cookie = await login(app)
  // The next reload builds from the configuration in force: make it unbuildable.
  ;(app.presend.config.plugins as unknown[]).push({ use: 'no-such-plugin-anywhere' })
  const res = await app.inject({ method: 'POST', url: '/console/api/reload', headers: { cookie }, payload: {} })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { ok: false, code: 'PRESEND_UNKNOWN_PLUGIN', pipeline: { names: ['profanity', 'links', 'keyword-rewrite'] } })
})

/** Read `count` Server-Sent Events of a stream over real HTTP, then close it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SSE payloads, checked field by field with t.match below
function readEvents(port: number, cookie: string, count: number, onOpen: () => void, path = '/console'): Promise<Array<{ event: string; data: any }>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', path: `${path}/api/live`, headers: { cookie } }, (res) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
      const events: Array<{ event: string; data: any }> = []
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) })
          if (events.length === 1 && event === 'snapshot') onOpen()
          if (events.length === count) {
            req.destroy()
            resolve(events)
          }
        }
      })
      res.on('end', () => resolve(events))
      t.match(res.headers['content-type'], /text\/event-stream/)
      t.match(res.headers['content-security-policy'], /default-src 'none'/)
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('live: refused, dropped and edited callbacks stream as they happen, text redacted by default', async (t) => {
  const app = await make(t, config({ console: { enabled: true, token: TOKEN }, plugins: [
    { use: 'profanity', options: { lists: [], words: ['darn'], action: 'mask' } },
    { use: 'links', options: { action: 'reject' } },
  ] }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const cookie = await login(app)
  const post = (text: string) => app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: JSON.stringify(c2cRequest({ text })) })
  const events = await readEvents(port, cookie, 3, () => {
    void post('hello').then(() => post('darn')).then(() => post('x.example.com'))
  })
  t.same(events.map((e) => e.event), ['snapshot', 'decision', 'decision'])
  t.match(events[1]?.data.event, { decision: 'edit', command: C2C, texts: undefined, hits: [{ plugin: 'profanity', rule: 'darn', slot: 0, start: 0, end: 4 }] })
  t.match(events[2]?.data.event, { decision: 'reject', decidedBy: 'links' })
  t.same(events[2]?.data.chart.plugins.profanity.reduce((a: number, b: number) => a + b, 0), 1)
  const again = await readEvents(port, cookie, 1, () => undefined)
  t.equal(again[0]?.data.events.length, 2, 'the ring keeps them for the next viewer')
  t.equal((await app.inject({ url: '/console/api/live' })).statusCode, 401)
})

t.test('mounted with the public Fastify plugin: its own token, no reload, text kept when allowed', async (t) => {
  const app = Fastify({ trustProxy: true })
  t.teardown(() => app.close())
  const pipeline = await createPipeline({ plugins: [inline('bin', () => drop('binned'))] })
  await app.register(presendPlugin, { pipeline, path: '/cb' })
  await app.register(consolePlugin, { path: '/ops/console', token: TOKEN, messageText: true, liveSize: 1, heartbeatSeconds: 0.01 })
  await t.rejects(
    (async () => {
      const other = Fastify()
      t.teardown(() => other.close())
      await other.register(presendPlugin, { pipeline: await createPipeline({ plugins: [] }) })
      await other.register(consolePlugin, {})
      await other.ready()
    })(),
    { code: 'PRESEND_CONSOLE_NO_CREDENTIAL' },
  )
  const bad = Fastify()
  t.teardown(() => bad.close())
  await bad.register(presendPlugin, { pipeline: await createPipeline({ plugins: [] }) })
  await t.rejects(
    (async () => {
      await bad.register(consolePlugin, { path: 'console/', token: TOKEN })
      await bad.ready()
    })(),
    { code: 'PRESEND_INVALID_SERVER_OPTIONS' },
  )
  const cookie = (await app.inject({ method: 'POST', url: '/ops/console/api/login', payload: { token: TOKEN }, headers: { 'x-forwarded-proto': 'https' } })).headers['set-cookie'] as string
  t.match(cookie, /; Path=\/ops\/console; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/, 'Secure over HTTPS')
  const c = cookie.split(';')[0] as string
  const meta = (await app.inject({ url: '/ops/console/api/meta', headers: { cookie: c } })).json()
  t.match(meta, { reload: false, messageText: true })
  t.match((await app.inject({ method: 'POST', url: '/ops/console/api/reload', headers: { cookie: c }, payload: {} })).json(), { code: 'PRESEND_BAD_REQUEST' })
  t.match((await app.inject({ url: '/ops/console/api/pipeline', headers: { cookie: c } })).json(), { names: ['bin'], plugins: undefined, reload: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const post = (text: string) => app.inject({ method: 'POST', url: '/cb?CallbackCommand=Group.CallbackBeforeSendMsg', payload: JSON.stringify(groupRequest({ text })) })
  await post('first')
  const events = await readEvents(port, c, 2, () => void post('second'), '/ops/console')
  t.same(events[0]?.data.events.map((e: { texts: string[] }) => e.texts), [['first']])
  t.match(events[1]?.data.event, { decision: 'drop', texts: ['second'] })
  await pipeline.close()
  const closed = await app.inject({ method: 'POST', url: '/ops/console/api/inspect', headers: { cookie: c }, payload: { text: 'x' } })
  t.match({ status: closed.statusCode, body: closed.json() }, { status: 400, body: { code: 'PRESEND_PIPELINE_CLOSED' } }, 'an error without a status: a 4xx with its code')
})

t.test('a reload that fails with a plain error', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(presendPlugin, { pipeline: await createPipeline({ plugins: [] }), token: TOKEN })
  await app.register(consolePlugin, { reload: async () => ({ ok: false, error: new Error('disk on fire') }) })
  const headers = { authorization: `Bearer ${TOKEN}` }
  const res = await app.inject({ method: 'POST', url: '/console/api/reload', headers, payload: {} })
  t.equal(res.statusCode, 422)
  t.match(res.json(), { ok: false, code: undefined, message: 'disk on fire' })
})
