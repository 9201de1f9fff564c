// Connection limits (issue 18, item 3): idle connections used to pile up until the process ran out of file
// descriptors (20,800 idle keep-alive sockets in 28 s) and then no callback could connect, with nothing logged.
// Now server.maxConnections caps them: a new connection replaces the one idle longest, so callbacks keep being
// answered; keep-alive and headers limits are short, and a connection is renewed after maxRequestsPerSocket; each limit hit is logged once per interval.
// Real HTTP on loopback with small limits.
import t from 'tap'
import net from 'node:net'
import { Client } from 'undici'
import { c2cRequest } from '../../core/testing/index.js'
import { makeServer, PLUGINS_TS, sleep, within } from './fixtures/helpers.js'

const CALLBACK = '/?CallbackCommand=C2C.CallbackBeforeSendMsg'

function logSink() {
  const lines: Array<Record<string, unknown>> = []
  return { lines, logger: { level: 'info', stream: { write: (l: string) => void lines.push(JSON.parse(l)) } } }
}

/** A raw connection that sends `data` (maybe nothing) and records what comes back and when it closes. */
function rawConnection(port: number, data = '') {
  const socket = net.connect(port, '127.0.0.1')
  const state = { received: '', closed: false, socket }
  socket.on('error', () => {})
  socket.on('data', (chunk: Buffer) => void (state.received += chunk.toString('latin1')))
  socket.on('close', () => void (state.closed = true))
  const connected = new Promise<typeof state>((resolve) => socket.on('connect', () => {
    if (data !== '') socket.write(data)
    resolve(state)
  }))
  return connected
}

const closedPromise = (socket: net.Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.on('close', () => resolve())))

t.test('more idle connections than the cap: the idle ones make way and every callback is answered', async (t) => {
  const { lines, logger } = logSink()
  const app = await makeServer({ plugins: [{ use: `${PLUGINS_TS}#mask` }], server: { maxConnections: 8 }, logging: { repeatIntervalMs: 100 } }, logger)
  t.teardown(() => app.close())
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  // Tencent's side: one keep-alive connection that sends a callback between every two idle connections opened.
  const tencent = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 })
  t.teardown(() => tencent.close())
  const idle: Array<Awaited<ReturnType<typeof rawConnection>>> = []
  let answered = 0
  for (let i = 0; i < 40; i++) {
    // Like the attack: half send one unauthenticated GET /healthz and stay; half connect and send nothing.
    idle.push(await rawConnection(Number(port), i % 2 === 0 ? 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' : ''))
    const res = await tencent.request({ path: CALLBACK, method: 'POST', body: JSON.stringify(c2cRequest({ text: `oh darn ${i}` })) })
    const reply = (await res.body.json()) as { ErrorCode: number; MsgBody: Array<{ MsgContent: { Text: string } }> }
    if (res.statusCode === 200 && reply.MsgBody[0]?.MsgContent.Text === `oh **** ${i}`) answered++
  }
  t.equal(answered, 40, 'every callback answered while 40 idle connections came in against a cap of 8')
  // A fresh connection for a callback is accepted at the cap too.
  const fresh = new Client(`http://127.0.0.1:${port}`)
  const res = await fresh.request({ path: CALLBACK, method: 'POST', body: JSON.stringify(c2cRequest({ text: 'new darn' })) })
  t.equal(res.statusCode, 200)
  await res.body.dump()
  await fresh.close()
  await sleep(50)
  const stillOpen = idle.filter((c) => !c.closed).length
  t.ok(stillOpen <= 7, `at most cap - 1 idle connections still open (${stillOpen} of 40)`)
  t.ok(idle.slice(0, 20).every((c) => c.closed), 'the oldest idle connections were closed first')
  for (const c of idle) c.socket.destroy()
  await sleep(150)
  const capLines = lines.filter((l) => l.code === 'PRESEND_CONNECTION_LIMIT' && l.limit === 'maxConnections')
  t.match(capLines[0], { level: 40, maxConnections: 8, msg: /closed the one idle longest/ })
  // 42 connections (40 idle, Tencent's, the fresh one) against a cap of 8: 34 closes.
  t.ok(capLines.length < 34, `logged once per interval, not once per connection (${capLines.length} lines for 34 closes)`)
  t.equal(capLines.reduce((n, l) => n + ((l.repeated as number | undefined) ?? 1), 0), 34, 'every close counted: a line at once counts 1, a summary its count')
})

t.test('at the cap with every connection busy, a new connection is refused and the busy ones answered', async (t) => {
  const { lines, logger } = logSink()
  const app = await makeServer({ plugins: [{ use: `${PLUGINS_TS}#slow`, options: { ms: 600 } }], server: { maxConnections: 2 } }, logger)
  t.teardown(() => app.close())
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const body = JSON.stringify(c2cRequest({ text: 'hi' }))
  const busy = await Promise.all([0, 1].map(() => rawConnection(Number(port), `POST ${CALLBACK} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`)))
  await sleep(200)
  const refused = await rawConnection(Number(port))
  t.equal(await within(closedPromise(refused.socket).then(() => 'closed'), 3000, 'open'), 'closed', 'the new connection is closed')
  t.equal(refused.received, '')
  await Promise.all(busy.map((c) => within(new Promise<void>((r) => c.socket.on('data', () => r())), 3000, undefined)))
  for (const c of busy) t.match(c.received, /^HTTP\/1\.1 200 /, 'the busy connections are answered')
  for (const c of busy) c.socket.destroy()
  t.match(lines.find((l) => l.code === 'PRESEND_CONNECTION_LIMIT'), { limit: 'maxConnections', msg: /every one is busy with a request; refused a new connection/ })
})

t.test('an idle keep-alive connection closes after server.keepAliveTimeoutMs, not 72 s', async (t) => {
  const app = await makeServer({ plugins: [], server: { keepAliveTimeoutMs: 1000 } })
  t.teardown(() => app.close())
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const c = await rawConnection(Number(port), 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal(await within(closedPromise(c.socket).then(() => 'closed'), 10000, 'open'), 'closed')
  t.match(c.received, /^HTTP\/1\.1 200 .*[Kk]eep-[Aa]live: timeout=1\b/s)
})

t.test('server.maxRequestsPerSocket: the last reply says Connection: close and the server closes the socket', async (t) => {
  const app = await makeServer({ plugins: [], server: { maxRequestsPerSocket: 2 } })
  t.teardown(() => app.close())
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const get = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'
  // A client that ignores the header, as autocannon does: it would send a third request on the same socket.
  const c = await rawConnection(Number(port), get)
  const reply = async (n: number) => {
    while (c.received.split(/(?=HTTP\/1\.1 )/).length < n && !c.closed) await sleep(5)
  }
  await within(reply(1), 5000, undefined)
  t.notMatch(c.received, /[Cc]onnection: close/, 'the first reply keeps the connection')
  c.socket.write(get)
  await within(closedPromise(c.socket), 5000, undefined)
  t.ok(c.closed, 'the server closed the connection after the last reply')
  const replies = c.received.split(/(?=HTTP\/1\.1 )/)
  t.equal(replies.length, 2)
  t.match(replies[1], /^HTTP\/1\.1 200 .*[Cc]onnection: close/s, 'no 503: the last reply is a 200 that says Connection: close')
  // The client reconnects and is answered.
  const again = await rawConnection(Number(port), get)
  await within(new Promise<void>((r) => again.socket.once('data', () => r())), 5000, undefined)
  t.match(again.received, /^HTTP\/1\.1 200 /)
  again.socket.destroy()
})

t.test('server.headersTimeoutMs: a client that stalls in its headers gets 408 and is closed, logged', async (t) => {
  const { lines, logger } = logSink()
  const app = await makeServer({ plugins: [], server: { headersTimeoutMs: 200, requestTimeoutMs: 400 } }, logger)
  t.teardown(() => app.close())
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const c = await rawConnection(Number(port), 'GET /healthz HTTP/1.1\r\nHo')
  t.equal(await within(closedPromise(c.socket).then(() => 'closed'), 10000, 'open'), 'closed')
  t.match(c.received, /^HTTP\/1\.1 408 /)
  t.match(lines.find((l) => l.code === 'PRESEND_CONNECTION_LIMIT'), { limit: 'requestTimeout', level: 40 })
})
