// Fuzzing the callback route of the bundled server (fast-check, fixed seed): malformed JSON, wrong types,
// missing and extra fields, huge strings and arrays, deep nesting, prototype keys, unknown MsgTypes, invalid
// UTF-8 and lone surrogates, garbled queries and wrong Signs. Never a 5xx, never a hang: always a JSON reply
// inside Tencent's 2 s; a valid message is never corrupted; no prototype is polluted.
import t from 'tap'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { request as httpRequest } from 'undici'
import { computeSign } from '../../server/auth.js'
import type { PresendServer } from '../../server/app.js'
import {
  commandPlacement,
  contentType,
  expectedReply,
  malformedBody,
  rawBody,
  validRequest,
  COMMANDS,
  type Command,
} from './fixtures/arbitraries.js'
import { checkEnvelope, makeServer, PLUGINS_TS, prototypeSnapshot } from './fixtures/helpers.js'

/** Fixed, so a failure reproduces; fast-check prints the path to the counterexample. */
const SEED = 20261127
const RUNS = { valid: 900, malformed: 900, raw: 500, query: 500, http: 300 }
const TOKEN = 'fuzz-token'
const APP_ID = 1400000001

const before = prototypeSnapshot()
let cases = 0
let requests = 0
/** Replies by status, and valid requests by expected outcome: proof the generators reach every path. */
const seen: Record<string, number> = {}
const count = (key: string) => void (seen[key] = (seen[key] ?? 0) + 1)

const mask = { use: `${PLUGINS_TS}#mask` }
const open = await makeServer({ plugins: [mask] })
const authed = await makeServer({ plugins: [mask], auth: { token: TOKEN }, sdkAppId: APP_ID })
t.teardown(async () => {
  await open.close()
  await authed.close()
})

type Sent = { statusCode: number; contentType: unknown; body: string; elapsedMs: number }

async function inject(app: PresendServer, url: string, payload: string | Buffer, type?: string): Promise<Sent> {
  const started = performance.now()
  const res = await app.inject({ method: 'POST', url, payload, headers: type === undefined ? {} : { 'content-type': type } })
  requests++
  count(`status ${res.statusCode}`)
  return { statusCode: res.statusCode, contentType: res.headers['content-type'], body: res.body, elapsedMs: performance.now() - started }
}

function queryFor(command: Command, placement: string): string {
  return placement === 'body' ? '/' : `/?SdkAppid=${APP_ID}&CallbackCommand=${command}&contenttype=json&ClientIP=1.2.3.4&OptPlatform=iOS`
}

function bodyFor(request: Record<string, unknown>, placement: string): string {
  if (placement !== 'query') return JSON.stringify(request)
  const { CallbackCommand: _c, ...rest } = request
  return JSON.stringify(rest)
}

// Queued, not awaited at the top level: the file also runs imported by test/reliability-load.test.ts (see test/folder.ts).
function property(name: string, arb: fc.Arbitrary<unknown>, numRuns: number, run: (value: never) => Promise<void>) {
  return t.test(name, async (t) => {
    const started = performance.now()
    const stats = await fc.check(fc.asyncProperty(arb, async (v) => {
      cases++
      await run(v as never)
    }), { seed: SEED, numRuns, endOnFailure: false })
    if (stats.failed) t.fail(fc.defaultReportMessage(stats) ?? 'failed')
    else t.pass(`${stats.numRuns} cases, seed ${SEED}`)
    t.comment(`${name}: ${Math.round(performance.now() - started)} ms`)
  })
}

property('a valid request gets exactly the predicted reply: only masked words change', fc.tuple(validRequest, commandPlacement, contentType), RUNS.valid, async ([v, placement, type]: [{ command: Command; request: Record<string, unknown> }, string, string | undefined]) => {
  const res = await inject(open, queryFor(v.command, placement), bodyFor(v.request, placement), type)
  const reply = checkEnvelope(res.statusCode, res.contentType, res.body, res.elapsedMs)
  assert.equal(res.statusCode, 200)
  const expected = expectedReply(v.request)
  count(expected.ErrorCode === 1 ? 'valid: rejected' : expected.MsgBody === undefined ? 'valid: unchanged' : 'valid: masked')
  assert.deepStrictEqual(reply, expected)
})

property('a malformed body gets a JSON 200/400/413, never a 5xx', fc.tuple(malformedBody, commandPlacement, contentType), RUNS.malformed, async ([m, placement, type]: [{ command: Command; text: string }, string, string | undefined]) => {
  const res = await inject(open, queryFor(m.command, placement), m.text, type)
  const reply = checkEnvelope(res.statusCode, res.contentType, res.body, res.elapsedMs)
  if (res.statusCode === 200) assert.ok([0, 1, 2].includes(reply.ErrorCode as number), res.body.slice(0, 200))
  if (Buffer.byteLength(m.text) > 16384) assert.equal(res.statusCode, 413, 'over the body limit')
})

property('raw bytes (invalid UTF-8, lone surrogates, random) get a JSON reply, never a 5xx', fc.tuple(rawBody, commandPlacement, contentType), RUNS.raw, async ([r, placement, type]: [{ command: Command; bytes: Buffer }, string, string | undefined]) => {
  const res = await inject(open, queryFor(r.command, placement), r.bytes, type)
  const reply = checkEnvelope(res.statusCode, res.contentType, res.body, res.elapsedMs)
  if (res.statusCode === 200 && Array.isArray(reply.MsgBody)) {
    // Whatever the decoder made of the bytes, a masked reply never carries the masked word.
    for (const e of reply.MsgBody as Array<{ MsgType: string; MsgContent?: { Text?: unknown } }>) {
      if (e.MsgType === 'TIMTextElem') assert.ok(!String(e.MsgContent?.Text).includes('darn'), JSON.stringify(e))
    }
  }
})

const queryPiece = fc.oneof(
  fc.constantFrom('%', '%zz', '%E0%A4%A', '&&', '=', '==x', 'a[b]=c', 'SdkAppid[]=1', 'Sign', 'RequestTime=', '__proto__=1', 'constructor[prototype][x]=1', '%00=%00', '+=+'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 10 }).map((s) => s.replace(/[#\s]/g, '')),
)
const signKind = fc.constantFrom('valid', 'valid-upper', 'wrong-same-length', 'wrong-first-char', 'wrong-last-char', 'short', 'long', 'non-hex', 'missing', 'twice')
const timeKind = fc.constantFrom('now', 'now', 'old', 'future', 'garbage', 'missing', 'float')
const appKind = fc.constantFrom('right', 'right', 'wrong', 'missing', 'garbage')

property('garbled or missing query parameters and wrong or missing Signs: 401/403 or the right reply, never a 5xx', fc.record({
  v: validRequest,
  sign: signKind,
  time: timeKind,
  app: appKind,
  junk: fc.array(queryPiece, { maxLength: 4 }),
  command: fc.oneof(fc.constantFrom(...COMMANDS), fc.constant(undefined), fc.string({ maxLength: 12 }).map(encodeURIComponent)),
}), RUNS.query, async ({ v, sign, time, app, junk, command }: { v: { command: Command; request: Record<string, unknown> }; sign: string; time: string; app: string; junk: string[]; command: string | undefined }) => {
  const now = Math.floor(Date.now() / 1000)
  const requestTime = { now: String(now), old: String(now - 3600), future: String(now + 3600), garbage: 'yesterday', missing: undefined, float: `${now}.5` }[time]
  const good = computeSign(TOKEN, requestTime ?? '')
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1)
  const signValue = {
    valid: good,
    'valid-upper': good.toUpperCase(),
    'wrong-same-length': computeSign('not-the-token', requestTime ?? ''),
    'wrong-first-char': flip(good, 0),
    'wrong-last-char': flip(good, 63),
    short: good.slice(0, 40),
    long: `${good}00`,
    'non-hex': `${good.slice(0, 63)}g`,
    missing: undefined,
    twice: good,
  }[sign]
  const parts: string[] = []
  if (app !== 'missing') parts.push(`SdkAppid=${{ right: APP_ID, wrong: 1400000002, garbage: 'x%20y' }[app]}`)
  if (command !== undefined) parts.push(`CallbackCommand=${command}`)
  if (requestTime !== undefined) parts.push(`RequestTime=${requestTime}`)
  if (signValue !== undefined) parts.push(`Sign=${signValue}`)
  if (sign === 'twice') parts.push(`Sign=${good}`)
  parts.push(...junk)
  const res = await inject(authed, `/?${parts.join('&')}`, JSON.stringify(v.request))
  const reply = checkEnvelope(res.statusCode, res.contentType, res.body, res.elapsedMs)
  const junkTouchesAuth = junk.some((p) => /^(SdkAppid|Sign|RequestTime)(\[|=|$)/i.test(decodeURIComponentSafe(p)))
  if (junkTouchesAuth) return
  const authentic = app === 'right' && time === 'now' && (sign === 'valid' || sign === 'valid-upper')
  if (app !== 'right') assert.equal(res.statusCode, 403)
  else if (!authentic) assert.equal(res.statusCode, 401, `${sign}/${time}: ${res.body}`)
  else {
    assert.equal(res.statusCode, 200, res.body)
    // The body's own CallbackCommand decides when the query's is not a before-send command.
    if (command === v.command || command === undefined) assert.deepStrictEqual(reply, expectedReply(v.request))
  }
})

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

t.test('over real HTTP (loopback): valid, malformed and raw bodies keep every invariant', async (t) => {
  const address = await open.listen({ host: '127.0.0.1', port: 0 })
  const arb = fc.oneof(
    validRequest.map((v) => ({ kind: 'valid' as const, command: v.command, payload: JSON.stringify(v.request) as string | Buffer, request: v.request })),
    malformedBody.map((m) => ({ kind: 'malformed' as const, command: m.command, payload: m.text as string | Buffer, request: undefined })),
    rawBody.map((r) => ({ kind: 'raw' as const, command: r.command, payload: r.bytes as string | Buffer, request: undefined })),
  )
  const stats = await fc.check(
    fc.asyncProperty(arb, async (c) => {
      cases++
      const started = performance.now()
      const res = await httpRequest(`${address}/?CallbackCommand=${c.command}`, {
        method: 'POST',
        body: c.payload,
        signal: AbortSignal.timeout(5000),
      })
      const body = await res.body.text()
      requests++
      const reply = checkEnvelope(res.statusCode, res.headers['content-type'], body, performance.now() - started)
      if (c.kind === 'valid') assert.deepStrictEqual(reply, expectedReply(c.request!))
    }),
    { seed: SEED, numRuns: RUNS.http },
  )
  if (stats.failed) t.fail(fc.defaultReportMessage(stats) ?? 'failed')
  else t.pass(`${stats.numRuns} cases over HTTP`)
})

t.test('afterwards: no prototype polluted, and the server still answers', async (t) => {
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(([] as unknown as Record<string, unknown>).polluted, undefined)
  t.same(prototypeSnapshot(), before, 'built-in prototypes have exactly the keys they had before the run')
  const health = await open.inject({ method: 'GET', url: '/healthz' })
  t.equal(health.statusCode, 200)
  t.comment(`route fuzz: ${cases} cases, ${requests} requests, seed ${SEED}; ${JSON.stringify(seen)}`)
  for (const key of ['status 200', 'status 400', 'status 401', 'status 403', 'status 413', 'valid: rejected', 'valid: unchanged', 'valid: masked']) {
    t.ok((seen[key] ?? 0) > 0, `the generators reached ${key}`)
  }
})
