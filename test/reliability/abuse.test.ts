// Abuse: unsafe regular expressions refused at load; message text never in logs unless asked; Sign compared
// in constant time; a body over the limit answered 413 JSON, not a crash.
import t from 'tap'
import { readFileSync } from 'node:fs'
import * as crypto from 'node:crypto'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { c2cRequest, groupRequest } from '../../core/testing/index.js'
import { isPresendError } from '../../core/errors.js'
import { computeSign } from '../../server/auth.js'
import { checkEnvelope, makeServer, PLUGINS_TS } from './fixtures/helpers.js'

const use = (name: string) => `${PLUGINS_TS}#${name}`
const C2C = 'C2C.CallbackBeforeSendMsg'

t.test('option regexes run on RE2: backtracking patterns serve in linear time, constructs RE2 cannot run are refused', async (t) => {
  for (const pattern of ['(a)\\1', 'spam(?=\\d)', '(?<=(a+))b']) {
    let caught: unknown
    try {
      const app = await makeServer({ plugins: [{ use: use('pattern'), name: 'no-spam', options: { pattern } }] })
      await app.close()
    } catch (err) {
      caught = err
    }
    t.ok(isPresendError(caught, 'PRESEND_UNSAFE_REGEX'), `${pattern}: the server does not start`)
    t.match((caught as Error).message, /^no-spam: options\.pattern: the regular expression .* (is refused: it uses|cannot run on the linear-time engine)/)
  }
  let invalid: unknown
  await makeServer({ plugins: [{ use: use('pattern'), options: { pattern: '([a-z]' } }] }).catch((err: unknown) => (invalid = err))
  t.ok(isPresendError(invalid, 'PRESEND_INVALID_REGEX'), 'invalid syntax too')

  // On reload, a pattern RE2 cannot run is refused and the running pipeline keeps serving.
  const app = await makeServer({ plugins: [{ use: use('pattern'), options: { pattern: '^spam\\d+$|(?:[0-9]|\\d)+$' } }] })
  t.teardown(() => app.close())
  const result = await app.presend.reload({ ...app.presend.config, plugins: [{ use: use('pattern'), options: { pattern: '^(a|aa)+$|(b)\\1' } }] })
  t.equal(result.ok, false)
  t.ok(!result.ok && isPresendError(result.error, 'PRESEND_UNSAFE_REGEX'))
  const send = (text: string) => app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}`, payload: JSON.stringify(c2cRequest({ text })) })
  t.equal((await send('spam42')).json().ErrorCode, 1, 'the old pattern still rejects')
  // The report's input: on V8's RegExp, "1"×27 + "x" against (?:[0-9]|\d)+$ held the server for 10.8 s. On RE2
  // it answers, and a /healthz alongside it too.
  const [reply, health] = await Promise.all([send(`${'1'.repeat(27)}x`), app.inject({ method: 'GET', url: '/healthz' })])
  t.equal(reply.json().ErrorCode, 0)
  t.equal(health.statusCode, 200)
})

/** A string no log line may contain, in any element, field or error of the run. */
const SECRET = 'Zq7-SECRET-message-text-⚑'
const SECRET_ASCII = 'Zq7-SECRET'

async function runLoggedTraffic(messageText: boolean) {
  const lines: string[] = []
  const app = await makeServer(
    {
      plugins: [
        { use: use('logs-text') },
        { use: use('mask') },
        { use: use('throws') },
        { use: use('hangs'), timeoutMs: 30 },
        { use: use('pattern'), options: { pattern: 'badword' } },
      ],
      logging: { level: 'debug', requests: true, messageText },
      auth: {},
    },
    { stream: { write: (line: string) => void lines.push(line) } },
  )
  const q = `/?CallbackCommand=${C2C}&SdkAppid=1400000001&ClientIP=1.2.3.4`
  const payloads: Array<string | Buffer> = [
    JSON.stringify(c2cRequest({ text: `hello ${SECRET} darn` })),
    JSON.stringify(c2cRequest({ text: `${SECRET} badword` })),
    JSON.stringify(groupRequest({ text: SECRET, cloudCustomData: SECRET })),
    // Schema failures, with the text in every string position the schema checks.
    JSON.stringify({ ...c2cRequest({ text: SECRET }), From_Account: undefined }),
    JSON.stringify({ ...c2cRequest(), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 42, Desc: SECRET } }] }),
    JSON.stringify({ ...c2cRequest(), MsgBody: [{ MsgType: 'TIMFaceElem', MsgContent: { Index: SECRET } }] }),
    JSON.stringify({ ...c2cRequest(), MsgBody: SECRET }),
    JSON.stringify({ ...c2cRequest({ text: SECRET }), EventTime: SECRET }),
    // A caller-controlled body command that differs from the query's: only a short prefix is logged.
    JSON.stringify({ ...c2cRequest(), CallbackCommand: `${'x'.repeat(100)}${SECRET}` }),
    // Not JSON, and too large.
    `{"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"${SECRET}"}}`,
    `${SECRET}`,
    JSON.stringify(c2cRequest({ text: `${SECRET} `.repeat(2000) })),
  ]
  const replies = []
  for (const payload of payloads) replies.push(await app.inject({ method: 'POST', url: q, payload }))
  await app.close()
  return { lines, replies }
}

t.test('message text never reaches the logs unless logging.messageText is on', async (t) => {
  const off = await runLoggedTraffic(false)
  t.ok(off.replies.every((r) => r.statusCode < 500), 'no 5xx on the way')
  t.ok(off.lines.some((l) => l.includes('"msg":"callback answered"')), 'request lines were logged')
  t.ok(off.lines.some((l) => /threw: this plugin always throws/.test(l)), 'the fault was logged')
  t.ok(off.lines.some((l) => /timed out after 30 ms/.test(l)), 'the timeout was logged')
  t.ok(off.lines.some((l) => l.includes('PRESEND_INVALID_REQUEST')), 'the schema failures were logged')
  t.ok(off.lines.some((l) => l.includes('[redacted]')), "the plugin's own attempt to log text was redacted")
  const leaks = off.lines.filter((l) => l.includes(SECRET_ASCII))
  t.same(leaks, [], `none of ${off.lines.length} log lines carries the message text`)

  // The same run with messageText on: the capture does see the text, so the check above can fail.
  const on = await runLoggedTraffic(true)
  t.ok(on.lines.some((l) => l.includes(SECRET_ASCII)), 'with logging.messageText on, the text is logged')
  t.comment(`log check: ${off.replies.length} requests, ${off.lines.length} log lines, ${leaks.length} with the text; control run ${on.lines.filter((l) => l.includes(SECRET_ASCII)).length} lines with it`)
})

t.test('Sign: equal-length wrong signatures are refused alike; the comparison goes through timingSafeEqual', async (t) => {
  const token = 'tok-abuse'
  const app = await makeServer({ plugins: [{ use: use('mask') }], auth: { token } })
  t.teardown(() => app.close())
  const now = String(Math.floor(Date.now() / 1000))
  const good = computeSign(token, now)
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1)
  const send = (sign: string) =>
    app.inject({ method: 'POST', url: `/?CallbackCommand=${C2C}&RequestTime=${now}&Sign=${sign}`, payload: JSON.stringify(c2cRequest({ text: 'hi' })) })
  t.equal((await send(good)).statusCode, 200, 'the right Sign passes')
  t.equal((await send(good.toUpperCase())).statusCode, 200, 'hex case does not matter')
  const wrong = [flip(good, 0), flip(good, 31), flip(good, 63), computeSign('other', now), '0'.repeat(64), good.slice(0, 63), `${good}0`, 'x'.repeat(64)]
  const bodies = new Set<string>()
  for (const sign of wrong) {
    const res = await send(sign)
    t.equal(res.statusCode, 401)
    bodies.add(res.body)
  }
  t.equal(bodies.size, 1, 'every wrong Sign gets the same answer: nothing tells where it differs')

  // A runtime proof that the check delegates the comparison to crypto.timingSafeEqual, with the computed
  // signature: auth.ts loaded with a spying node:crypto.
  const calls: Array<[string, string]> = []
  const { checkAuth } = await t.mockImport<typeof import('../../server/auth.js')>('../../server/auth.js', {
    'node:crypto': {
      ...crypto,
      timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
        calls.push([Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString(), Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString()])
        return crypto.timingSafeEqual(a, b)
      },
    },
  })
  const settings = { token, maxSkewSeconds: 60, sdkAppId: undefined }
  t.equal(checkAuth({ Sign: good, RequestTime: now }, settings), undefined)
  t.equal(checkAuth({ Sign: flip(good, 63), RequestTime: now }, settings)?.statusCode, 401)
  t.same(calls, [
    [good, good],
    [flip(good, 63), good],
  ], 'both 64-character signatures were compared by timingSafeEqual')

  // And at the source: the Sign's value is never compared with ==, ===, != or !== (only its type is), nor
  // with a string method. What no test proves: that V8 runs the remaining code (a regex test of the
  // attacker's own string, a hex decode) in time independent of the secret — it depends only on the input.
  const source = readFileSync(new URL('../../server/auth.ts', import.meta.url), 'utf8').replace(/typeof \w+ [!=]== '\w+'/g, 'TYPE_CHECK')
  t.match(source, /import \{[^}]*timingSafeEqual[^}]*\} from 'node:crypto'/)
  t.notMatch(source, /\bsign\s*[!=]=/i, 'no equality test on the Sign value')
  t.notMatch(source, /[!=]==?\s*sign\b/i)
  t.notMatch(source, /computeSign\([^)]*\)\s*[!=]=|[!=]=\s*computeSign\(|\.(localeCompare|startsWith|endsWith|includes|indexOf)\((?:sign|computeSign)/i)
})

t.test('a body over the limit gets 413 JSON over real HTTP, announced or streamed, and the server keeps serving', async (t) => {
  const app = await makeServer({ plugins: [{ use: use('mask') }], server: { bodyLimit: 16384 } })
  t.teardown(() => app.close())
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const big = Buffer.alloc(1024 * 1024, 'a')
  const sized = await request(`${url}/?CallbackCommand=${C2C}`, { method: 'POST', body: big })
  const sizedBody = await sized.body.text()
  const reply = checkEnvelope(sized.statusCode, sized.headers['content-type'], sizedBody, 0)
  t.equal(sized.statusCode, 413)
  t.equal(reply.Code, 'PRESEND_BODY_TOO_LARGE')

  // Chunked, with no Content-Length: the limit is enforced while reading.
  const chunks = function* () {
    for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, 'b')
  }
  const streamed = await request(`${url}/?CallbackCommand=${C2C}`, { method: 'POST', body: Readable.from(chunks()) }).catch((err: Error) => err)
  if (streamed instanceof Error) {
    // The server may answer and close before the client finishes sending; then the client sees a reset.
    t.match(streamed.message, /other side closed|socket|reset|EPIPE/i, 'the upload was cut off')
  } else {
    const body = await streamed.body.text()
    t.equal(streamed.statusCode, 413)
    t.equal(checkEnvelope(streamed.statusCode, streamed.headers['content-type'], body, 0).Code, 'PRESEND_BODY_TOO_LARGE')
  }

  const ok = await request(`${url}/?CallbackCommand=${C2C}`, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'still here, darn' })) })
  t.equal(ok.statusCode, 200)
  t.match(await ok.body.json(), { ErrorCode: 0, MsgBody: [{ MsgContent: { Text: 'still here, ****' } }] }, 'the next request is served')
})
