// Real HTTP: the server listening on 127.0.0.1, talked to with undici; graceful close under load.
import t from 'tap'
import { connect } from 'node:net'
import { request } from 'undici'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { buildServer } from '../../server/app.js'
import { computeSign } from '../../server/auth.js'
import { c2cRequest } from '../../core/testing/index.js'
import { gate } from './fixtures/app/filters.js'

const fixture = new URL('./fixtures/app/blocklist.mjs', import.meta.url).pathname
const C2C = 'C2C.CallbackBeforeSendMsg'

async function listening(t: { testdir(f: Record<string, string>): string }, extra: Record<string, unknown> = {}) {
  const dir = t.testdir({ 'words.txt': 'darn\n' })
  const config = configSchema.parse({ plugins: [{ use: fixture, options: { file: 'words.txt' } }], ...extra }) as PresendConfig
  const app = await buildServer(config, { baseDir: dir, logger: false })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, address }
}

t.test('a signed callback over HTTP, with no Content-Type header', async (t) => {
  const { app, address } = await listening(t, { auth: { token: 'xxxxyyyy' } })
  t.teardown(() => app.close())
  const now = String(Math.floor(Date.now() / 1000))
  const query = `SdkAppid=1400000000&CallbackCommand=${C2C}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web&RequestTime=${now}&Sign=${computeSign('xxxxyyyy', now)}`
  const res = await request(`${address}/?${query}`, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'oh darn' })) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(await res.body.json(), { ActionStatus: 'OK', ErrorInfo: 'listed word', ErrorCode: 1 })
  const unsigned = await request(`${address}/?CallbackCommand=${C2C}`, { method: 'POST', body: '{}' })
  t.equal(unsigned.statusCode, 401)
  t.match(await unsigned.body.json(), { Code: 'PRESEND_UNAUTHORIZED' })
  const health = await request(`${address}/healthz`)
  t.same(await health.body.json(), { status: 'ok' })
})

t.test('close answers the in-flight request; a request sent after close on its connection gets 503', async (t) => {
  const { app, address } = await listening(t)
  const slow = gate()
  ;(globalThis as Record<string, unknown>).__presendGate = slow
  const { port } = new URL(address)
  // A raw socket, so the second request goes out on the same connection while the first is in flight.
  const socket = connect(Number(port), '127.0.0.1')
  t.teardown(() => socket.destroy())
  // The server may reset the socket once it has answered during shutdown; what was received is what counts.
  socket.on('error', () => {})
  let received = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
  const payload = JSON.stringify(c2cRequest({ text: 'slow darn' }))
  socket.write(`POST /?CallbackCommand=${C2C} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`)
  await slow.reached
  const closed = app.close()
  await new Promise((r) => setTimeout(r, 50))
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
  await new Promise((r) => setTimeout(r, 50))
  slow.open()
  await closed
  await new Promise((r) => (socket.closed ? r(undefined) : socket.on('close', r)))
  const responses = received.split(/(?=HTTP\/1\.1 )/)
  t.match(responses[0], /^HTTP\/1\.1 200 OK/)
  t.match(responses[0], /\{"ActionStatus":"OK","ErrorInfo":"listed word","ErrorCode":1\}$/, 'the accepted request is answered')
  t.match(responses[1], /^HTTP\/1\.1 503 /, 'a request after close began gets 503')
  await t.rejects(request(`${address}/healthz`), 'no longer listening')
})
