// The callback route mounted by the presend Fastify plugin, exercised with app.inject().
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { createPipeline, type Pipeline } from '../../core/pipeline/index.js'
import { OK_REPLY } from '../../core/protocol/index.js'
import { c2cRequest, groupRequest, officialAccountRequest } from '../../core/testing/index.js'
import { computeSign } from '../../server/auth.js'
import { presendPlugin, type PresendPluginOptions } from '../../server/fastify-plugin.js'
import { closer, gate, words } from './fixtures/app/filters.js'

const C2C = 'C2C.CallbackBeforeSendMsg'
const GROUP = 'Group.CallbackBeforeSendMsg'
const OA = 'OfficialAccount.CallbackBeforeSendMsg'

function url(command: string | null, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ SdkAppid: '1400000000', ...(command ? { CallbackCommand: command } : {}), contenttype: 'json', ClientIP: '1.2.3.4', OptPlatform: 'iOS', ...extra })
  return `/?${q}`
}

async function build(
  t: { teardown(fn: () => unknown): void },
  opts: Partial<PresendPluginOptions> & { onFault?: 'allow' | 'reject'; pipeline?: Pipeline } = {},
): Promise<FastifyInstance> {
  const { onFault, ...rest } = opts
  const pipeline = opts.pipeline ?? (await createPipeline({ plugins: [words()], onFault }))
  const app = Fastify({ logger: false })
  await app.register(presendPlugin, { ...rest, pipeline })
  t.teardown(() => app.close())
  return app
}

function post(app: FastifyInstance, body: unknown, command: string | null = C2C, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: url(command, extra),
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })
}

t.test('before-send commands run the pipeline and answer its reply', async (t) => {
  const app = await build(t)
  const cases: Array<[string, ReturnType<typeof c2cRequest>, unknown]> = [
    [C2C, c2cRequest({ text: 'hello' }), OK_REPLY],
    [C2C, c2cRequest({ text: 'a bad word' }), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'bad word' }],
    [GROUP, groupRequest({ text: 'spam spam' }), { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' }],
    [OA, officialAccountRequest({ text: 'oh darn it' }), { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'oh **** it' } }] }],
  ]
  for (const [command, body, reply] of cases) {
    const res = await post(app, body, command)
    t.equal(res.statusCode, 200, command)
    t.match(res.headers['content-type'], /^application\/json/)
    t.same(res.json(), reply, `${command}: ${JSON.stringify(reply)}`)
  }
})

t.test('an edited MsgBody keeps unknown fields of every element', async (t) => {
  const app = await build(t)
  const body = c2cRequest({
    body: [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'darn', Extra: 1 }, Top: 'kept' },
      { MsgType: 'TIMNewElem', MsgContent: { Deep: { a: [1, 2] } } },
    ],
  })
  const res = await post(app, body)
  t.same(res.json().MsgBody, [
    { MsgType: 'TIMTextElem', MsgContent: { Text: '****', Extra: 1 }, Top: 'kept' },
    { MsgType: 'TIMNewElem', MsgContent: { Deep: { a: [1, 2] } } },
  ])
})

t.test('custom reject codes and the query meta reach the pipeline', async (t) => {
  const seen: unknown[] = []
  const { definePlugin, allow } = await import('../../core/plugin.js')
  const { z } = await import('zod')
  const spy = definePlugin({ name: 'spy', options: z.object({}), create: () => ({ check: (_m, ctx) => (seen.push([ctx.sdkAppId, ctx.clientIp, ctx.platform]), allow()) }) })
  const pipeline = await createPipeline({ plugins: [spy, [words(), { code: 120005 }]] })
  const app = await build(t, { pipeline })
  t.same((await post(app, c2cRequest({ text: 'bad' }))).json(), { ActionStatus: 'OK', ErrorCode: 120005, ErrorInfo: 'bad word' })
  t.same(seen, [[1400000000, '1.2.3.4', 'iOS']])
  await post(app, c2cRequest({ text: 'x' }), C2C, { SdkAppid: 'not-digits' })
  t.same(seen[1], [undefined, '1.2.3.4', 'iOS'], 'a non-numeric SdkAppid is not passed on')
})

t.test('the command falls back to the body; the body may leave it to the query', async (t) => {
  const app = await build(t)
  t.same((await post(app, c2cRequest({ text: 'bad' }), null)).json().ErrorCode, 1, 'no CallbackCommand in the query')
  const { CallbackCommand: _, ...noCommand } = c2cRequest({ text: 'bad' })
  t.same((await post(app, noCommand, C2C)).json().ErrorCode, 1, 'no CallbackCommand in the body')
})

t.test('other commands answer OK at once; handlers answer theirs', async (t) => {
  const calls: unknown[] = []
  const app = await build(t, {
    handlers: {
      'Group.CallbackAfterSendMsg': async (body, ctx) => {
        calls.push([body.GroupId, ctx.command, ctx.sdkAppId, ctx.clientIp, ctx.platform, ctx.query.contenttype, typeof ctx.log.info])
      },
      'Sns.CallbackPrevFriendAdd': () => ({ ErrorCode: 38001, ErrorInfo: 'no' }),
      'Group.CallbackBeforeCreateGroup': () => ({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', MsgBody: [{ MsgType: 'X' }], CloudCustomData: 'c' }),
      'State.StateChange': () => {
        throw new Error('handler bug')
      },
    },
  })
  for (const command of ['C2C.CallbackAfterSendMsg', 'Group.CallbackAfterNewMemberJoin', 'Made.Up']) {
    const res = await post(app, { CallbackCommand: command, anything: [1] }, command)
    t.equal(res.statusCode, 200)
    t.equal(res.body, '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}', command)
  }
  t.same((await post(app, [1, 2], 'Made.Up')).json(), OK_REPLY, 'any JSON for a command nobody handles')
  t.same((await post(app, {}, null)).json(), OK_REPLY, 'no command anywhere')

  t.same((await post(app, { GroupId: '@TGS#1' }, 'Group.CallbackAfterSendMsg')).json(), OK_REPLY)
  t.same(calls, [['@TGS#1', 'Group.CallbackAfterSendMsg', 1400000000, '1.2.3.4', 'iOS', 'json', 'function']])
  t.same((await post(app, {}, 'Sns.CallbackPrevFriendAdd')).json(), { ActionStatus: 'OK', ErrorCode: 38001, ErrorInfo: 'no' })
  t.same((await post(app, {}, 'Group.CallbackBeforeCreateGroup')).json(), {
    ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', MsgBody: [{ MsgType: 'X' }], CloudCustomData: 'c',
  })
  t.same((await post(app, {}, 'State.StateChange')).json(), OK_REPLY, 'a throwing handler: fault policy allow')
  t.same((await post(app, 'true', 'Sns.CallbackPrevFriendAdd')).json(), { ...OK_REPLY, ResultItem: [] }, 'a handler never sees a non-object body; a friend request gets its verdict list')
})

t.test('handler failures and non-object bodies follow a reject fault policy', async (t) => {
  const app = await build(t, { onFault: 'reject', handlers: { 'A.B': () => Promise.reject(new Error('x')) } })
  t.same((await post(app, {}, 'A.B')).json().ErrorCode, 1)
  t.same((await post(app, '"text"', 'A.B')).json().ErrorCode, 1)
})

t.test('the body is JSON whatever the Content-Type says, or with none', async (t) => {
  const app = await build(t)
  const payload = JSON.stringify(c2cRequest({ text: 'bad' }))
  for (const type of ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'json', '']) {
    const res = await app.inject({ method: 'POST', url: url(C2C), payload, headers: { 'content-type': type } })
    t.equal(res.statusCode, 200, `content-type ${JSON.stringify(type)}`)
    t.equal(res.json().ErrorCode, 1)
  }
  const res = await app.inject({ method: 'POST', url: url(C2C), payload })
  t.equal(res.statusCode, 200, 'no content-type header')
  t.equal(res.json().ErrorCode, 1)
})

t.test('invalid JSON is a 400 saying what was wrong, with or without a content type', async (t) => {
  const app = await build(t)
  for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }, {}] as Array<Record<string, string>>) {
    const res = await app.inject({ method: 'POST', url: url(C2C), payload: '{"CallbackCommand": ', headers })
    t.equal(res.statusCode, 400, JSON.stringify(headers))
    t.match(res.json(), { ActionStatus: 'FAIL', ErrorCode: 400, Code: 'PRESEND_INVALID_JSON', ErrorInfo: /^The request body is not valid JSON: / })
  }
  const empty = await app.inject({ method: 'POST', url: url(C2C), payload: '', headers: { 'content-type': 'application/json' } })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { Code: 'PRESEND_INVALID_JSON', ErrorInfo: /body is empty/ })
  const none = await app.inject({ method: 'POST', url: url(C2C) })
  t.equal(none.statusCode, 400, 'no body and no content type')
  t.match(none.json(), { Code: 'PRESEND_INVALID_JSON', ErrorInfo: /body is empty/ })
})

t.test('a body over the limit is a 413 JSON reply', async (t) => {
  const app = await build(t, { bodyLimit: 2048 })
  const big = c2cRequest({ text: 'x'.repeat(3000) })
  const res = await post(app, big)
  t.equal(res.statusCode, 413)
  t.same(res.json(), {
    ActionStatus: 'FAIL', ErrorCode: 413, Code: 'PRESEND_BODY_TOO_LARGE',
    ErrorInfo: 'The request body is larger than 2048 bytes (server.bodyLimit); raise the limit if your messages need it.',
  })
  const def = await build(t)
  t.equal((await post(def, c2cRequest({ text: 'x'.repeat(12 * 1024) }))).statusCode, 200, 'a 12 KB message fits the default')
  t.equal((await post(def, c2cRequest({ text: 'x'.repeat(17 * 1024) }))).statusCode, 413, '17 KB does not')
})

t.test('other malformed requests are a 400 JSON reply, never a 5xx', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: url(C2C), payload: '{}', headers: { 'content-length': '10' } })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { ActionStatus: 'FAIL', ErrorCode: 400, Code: 'PRESEND_BAD_REQUEST' })
})

t.test('a body the pipeline cannot read follows the fault policy', async (t) => {
  const bad = [
    { ...c2cRequest(), MsgBody: 'not an array' },
    { ...c2cRequest(), MsgBody: undefined },
    [1, 2],
  ]
  const allowApp = await build(t)
  const rejectApp = await build(t, { onFault: 'reject' })
  for (const body of bad) {
    t.same((await post(allowApp, body)).json(), OK_REPLY, `allow: ${JSON.stringify(body).slice(0, 60)}`)
    const res = await post(rejectApp, body)
    t.equal(res.statusCode, 200)
    t.match(res.json(), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: /rejected by fault policy/ })
  }
  t.same((await post(allowApp, groupRequest({ text: 'bad' }), C2C)).json(), OK_REPLY, "a body command that differs from the query's")
})

t.test('a plugin fault follows the pipeline policy', async (t) => {
  t.same((await post(await build(t), c2cRequest({ text: 'boom' }))).json(), OK_REPLY)
  t.match((await post(await build(t, { onFault: 'reject' }), c2cRequest({ text: 'boom' }))).json(), { ErrorCode: 1 })
})

t.test('an unexpected pipeline failure is answered by the fault policy, not a 5xx', async (t) => {
  const real = await createPipeline({ plugins: [], onFault: 'reject' })
  // Broken both ways runNow can fail: a promise that rejects, and a throw before any promise.
  const rejects = () => Promise.reject(new Error('bug'))
  const throws = () => {
    throw new Error('bug')
  }
  for (const [how, runNow] of [['rejects', rejects], ['throws', throws]] as const) {
    const broken: Pipeline = { names: [], deadlineMs: 1500, onFault: 'reject', run: rejects, runNow, close: () => real.close() }
    const app = await build(t, { pipeline: broken })
    const res = await post(app, c2cRequest())
    t.equal(res.statusCode, 200, `runNow ${how}`)
    t.match(res.json(), { ErrorCode: 1 })
  }
})

t.test('an unexpected error thrown in the route scope is answered by the fault policy', async (t) => {
  const app = Fastify({ logger: false })
  await app.register(presendPlugin, { pipeline: await createPipeline({ plugins: [] }) })
  app.addHook('preHandler', async () => {
    throw new Error('a hook elsewhere failed')
  })
  t.teardown(() => app.close())
  const res = await post(app, c2cRequest())
  t.equal(res.statusCode, 200)
  t.same(res.json(), OK_REPLY)
})

t.test('auth: Sign and RequestTime checked when a token is set', async (t) => {
  const token = 'xxxxyyyy'
  const app = await build(t, { token })
  const now = String(Math.floor(Date.now() / 1000))
  const sign = computeSign(token, now)
  const ok = await post(app, c2cRequest({ text: 'bad' }), C2C, { RequestTime: now, Sign: sign })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().ErrorCode, 1, 'the pipeline ran')
  t.equal((await post(app, c2cRequest(), C2C, { RequestTime: now, Sign: sign.toUpperCase() })).statusCode, 200, 'upper-case hex')

  const missing = await post(app, c2cRequest())
  t.equal(missing.statusCode, 401)
  t.match(missing.json(), { ActionStatus: 'FAIL', ErrorCode: 401, Code: 'PRESEND_UNAUTHORIZED', ErrorInfo: /^Sign and RequestTime missing/ })
  const wrong = await post(app, c2cRequest(), C2C, { RequestTime: now, Sign: computeSign('other', now) })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.json().ErrorInfo, /Sign does not match/)
  const old = String(Number(now) - 3600)
  const skewed = await post(app, c2cRequest(), C2C, { RequestTime: old, Sign: computeSign(token, old) })
  t.equal(skewed.statusCode, 401)
  t.match(skewed.json().ErrorInfo, /RequestTime \d+ is 360\d s from this server's clock/)
  t.equal((await post(app, 'not json', C2C)).statusCode, 401, 'auth is checked before the body is read')

  const docTime = '1669872112'
  const narrow = await build(t, { token, maxSkewSeconds: 1 })
  const doc = await post(narrow, c2cRequest(), C2C, { RequestTime: docTime, Sign: '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061' })
  t.match(doc.json().ErrorInfo, /at most 1 s allowed/, "the doc's example signs correctly but is years old")
})

t.test('sdkAppId: a request for another app is 403', async (t) => {
  const app = await build(t, { sdkAppId: 1400000000 })
  t.equal((await post(app, c2cRequest())).statusCode, 200)
  const res = await post(app, c2cRequest(), C2C, { SdkAppid: '888888' })
  t.equal(res.statusCode, 403)
  t.match(res.json(), { ActionStatus: 'FAIL', ErrorCode: 403, Code: 'PRESEND_FORBIDDEN_APP', ErrorInfo: /"888888"/ })
})

t.test('setAuth changes the checks for the next requests', async (t) => {
  const app = await build(t)
  t.equal((await post(app, c2cRequest())).statusCode, 200)
  app.presend.setAuth({ token: 'secret' })
  t.equal(app.presend.auth.token, 'secret')
  t.equal((await post(app, c2cRequest())).statusCode, 401)
  app.presend.setAuth({ token: undefined, sdkAppId: 42 })
  t.equal((await post(app, c2cRequest())).statusCode, 403)
  t.throws(() => app.presend.setAuth({ token: '' }), { code: 'PRESEND_INVALID_SERVER_OPTIONS', message: /token must be a non-empty string/ })
  t.throws(() => app.presend.setAuth({ maxSkewSeconds: 0 }), { message: /maxSkewSeconds must be a positive whole number/ })
  t.throws(() => app.presend.setAuth({ sdkAppId: -1 }), { message: /sdkAppId must be your app's SDKAppID/ })
})

t.test('options are checked at registration', async (t) => {
  const pipeline = await createPipeline({ plugins: [] })
  const cases: Array<[Partial<PresendPluginOptions>, RegExp]> = [
    [{ pipeline: undefined }, /^pipeline must be a pipeline/],
    [{ path: 'im' }, /^path must start with "\/"; got "im"/],
    [{ bodyLimit: 0 }, /^bodyLimit must be a positive number of bytes/],
    [{ logIntervalMs: 0.5 }, /^logIntervalMs must be a positive number of milliseconds/],
    [{ handlers: { [C2C]: () => undefined } }, /^handlers\["C2C.CallbackBeforeSendMsg"\]: the pipeline decides/],
    [{ handlers: { 'A.B': 'nope' as never } }, /^handlers\["A.B"\] must be a function/],
    [{ token: 5 as never }, /^token must be a non-empty string/],
  ]
  for (const [opts, message] of cases) {
    const app = Fastify({ logger: false })
    await t.rejects(async () => {
      await app.register(presendPlugin, { pipeline, ...opts } as PresendPluginOptions)
    }, { code: 'PRESEND_INVALID_SERVER_OPTIONS', message }, String(message))
    await app.close()
  }
})

t.test('the route mounts at `path` and leaves the rest of the app alone', async (t) => {
  const app = Fastify({ logger: false })
  await app.register(presendPlugin, { pipeline: await createPipeline({ plugins: [words()] }), path: '/im/callback' })
  app.post('/other', async (request) => ({ got: request.body }))
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: `/im/callback?CallbackCommand=${C2C}`, payload: JSON.stringify(c2cRequest({ text: 'bad' })) })
  t.equal(res.json().ErrorCode, 1)
  t.equal((await app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: '{}' })).statusCode, 404)
  const other = await app.inject({ method: 'POST', url: '/other', payload: 'not json', headers: { 'content-type': 'application/json' } })
  t.equal(other.statusCode, 400, "the app's own JSON parser still serves its routes")
  t.equal(other.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
  t.equal((await app.inject({ method: 'POST', url: '/other', payload: 'hi', headers: { 'content-type': 'text/plain' } })).json().got, 'hi')
})

t.test('swap: the new pipeline serves at once, the old one closes after its runs finish', async (t) => {
  const log: string[] = []
  const slow = gate()
  const first = await createPipeline({ plugins: [words(slow), closer(log, 'first')] })
  const app = await build(t, { pipeline: first })
  t.equal(app.presend.pipeline, first)
  const inflight = post(app, c2cRequest({ text: 'slow but bad' }))
  await slow.reached
  const second = await createPipeline({ plugins: [closer(log, 'second')] })
  const swapped = app.presend.swap(second)
  t.equal(app.presend.pipeline, second, 'in service at once')
  t.same((await post(app, c2cRequest({ text: 'bad' }))).json(), OK_REPLY, 'new requests use the new pipeline')
  t.same(log, [], 'the old pipeline is not closed while a run uses it')
  slow.open()
  t.equal((await inflight).json().ErrorCode, 1, 'the in-flight request is answered by the old pipeline')
  await swapped
  t.same(log, ['first closed'])
  await app.presend.swap(second)
  t.same(log, ['first closed'], 'swapping in the pipeline in service does nothing')
  await t.rejects(app.presend.swap({} as Pipeline), { code: 'PRESEND_INVALID_SERVER_OPTIONS' })
  await app.close()
  t.same(log, ['first closed', 'second closed'], 'app close closes the pipeline in service')
  const late = await createPipeline({ plugins: [closer(log, 'late')] })
  await app.presend.swap(late)
  t.same(log, ['first closed', 'second closed', 'late closed'], 'a pipeline swapped in after close is closed, not leaked')
})

t.test('a pipeline that fails to close is logged, not thrown', async (t) => {
  const lines: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (l: string) => void lines.push(l) } } })
  const pipeline = await createPipeline({ plugins: [] })
  await app.register(presendPlugin, { pipeline: { ...pipeline, names: [], onFault: 'allow', deadlineMs: 1, run: pipeline.run.bind(pipeline), runNow: pipeline.runNow.bind(pipeline), close: () => Promise.reject(new Error('stuck')) } })
  await app.close()
  t.match(lines.join(''), /a retired pipeline failed to close/)
})

t.test('metrics: requests, decisions, plugin verdicts, faults and durations', async (t) => {
  const registry = new Registry()
  const app = await build(t, { metrics: registry, handlers: { 'A.B': () => undefined }, token: undefined })
  for (const text of ['hello', 'bad', 'spam', 'darn', 'boom']) await post(app, c2cRequest({ text }))
  await post(app, {}, 'A.B')
  await post(app, {}, 'Unknown.X')
  await post(app, { bad: true })
  await post(app, 'nope')
  const text = await registry.metrics()
  t.match(text, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="allow"\} 3/)
  t.match(text, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="reject"\} 1/)
  t.match(text, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="drop"\} 1/)
  t.match(text, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="invalid"\} 1/)
  t.match(text, /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="bad_json"\} 1/)
  t.match(text, /presend_requests_total\{command="A.B",decision="handled"\} 1/)
  t.match(text, /presend_requests_total\{command="other",decision="ok"\} 1/)
  t.match(text, /presend_plugin_verdicts_total\{plugin="words",outcome="edit"\} 1/)
  t.match(text, /presend_plugin_verdicts_total\{plugin="words",outcome="allow"\} 1/)
  t.match(text, /presend_plugin_faults_total\{plugin="words"\} 1/)
  t.match(text, /presend_plugin_duration_seconds_count\{plugin="words"\} 5/)
  t.match(text, /presend_request_duration_seconds_count\{command="C2C.CallbackBeforeSendMsg"\} 5/)
})

t.test('metrics: every refusal and fault path is counted, commands bounded to known ones', async (t) => {
  const registry = new Registry()
  const app = await build(t, {
    metrics: registry,
    token: 'tok',
    bodyLimit: 1024,
    handlers: { 'A.B': () => ({ CloudCustomData: 'x' }), 'A.Throw': () => { throw new Error('x') } },
  })
  const now = String(Math.floor(Date.now() / 1000))
  const signed = { RequestTime: now, Sign: computeSign('tok', now) }
  await post(app, {}, 'Made.Up.Command')
  await post(app, {}, null)
  t.same((await post(app, {}, 'A.B', signed)).json(), { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, CloudCustomData: 'x' })
  await post(app, [1], 'A.B', signed)
  await post(app, {}, 'A.Throw', signed)
  await post(app, [1], null, signed)
  await post(app, 'not json', 'A.B', signed)
  await post(app, { pad: 'x'.repeat(2000) }, 'A.B', signed)
  await app.inject({ method: 'POST', url: url('A.B', signed) })
  await app.inject({ method: 'POST', url: url('A.B', signed), payload: '{}', headers: { 'content-length': '10' } })
  const text = await registry.metrics()
  t.match(text, /presend_requests_total\{command="other",decision="unauthorized"\} 2/, 'unknown and missing commands are "other"')
  t.match(text, /presend_requests_total\{command="A.B",decision="handled"\} 1/)
  t.match(text, /presend_requests_total\{command="A.B",decision="invalid"\} 1/)
  t.match(text, /presend_requests_total\{command="A.Throw",decision="error"\} 1/)
  t.match(text, /presend_requests_total\{command="other",decision="ok"\} 1/)
  t.match(text, /presend_requests_total\{command="A.B",decision="bad_json"\} 2/)
  t.match(text, /presend_requests_total\{command="A.B",decision="too_large"\} 1/)
  t.match(text, /presend_requests_total\{command="A.B",decision="bad_request"\} 1/)
})

t.test('metrics: unexpected failures count as errors', async (t) => {
  const registry = new Registry()
  const real = await createPipeline({ plugins: [] })
  const rejects = () => Promise.reject(new Error('bug'))
  const broken: Pipeline = { names: [], deadlineMs: 1500, onFault: 'allow', run: rejects, runNow: rejects, close: () => real.close() }
  const app = Fastify({ logger: false })
  await app.register(presendPlugin, { pipeline: broken, metrics: registry })
  app.addHook('preHandler', async (request) => {
    if ((request.query as Record<string, string>).fail) throw new Error('a hook elsewhere failed')
  })
  t.teardown(() => app.close())
  await post(app, c2cRequest())
  await post(app, c2cRequest(), C2C, { fail: '1' })
  t.match(await registry.metrics(), /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="error"\} 2/)
})

t.test('two routes can share one registry', async (t) => {
  const registry = new Registry()
  const pipeline = await createPipeline({ plugins: [words()] })
  const a = await build(t, { pipeline, metrics: registry })
  const b = await build(t, { pipeline: await createPipeline({ plugins: [words()] }), metrics: registry })
  await post(a, c2cRequest())
  await post(b, c2cRequest())
  t.match(await registry.metrics(), /presend_requests_total\{command="C2C.CallbackBeforeSendMsg",decision="allow"\} 2/)
})
