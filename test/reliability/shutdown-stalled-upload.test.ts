// Regression: SIGTERM while a client holds a half-sent body (trickling, so no inactivity timeout would end it). The request was never accepted (its body never
// arrived), but its open connection held `app.close()` with no end (Fastify set no requestTimeout then, and Node stops enforcing one once the server closes):
// `presend serve` hung on shutdown. Every accepted request is still answered (a slow plugin's request sent alongside is), and
// the process is done within a few seconds: once server.shutdownGraceMs (5 s by default, 1 s here) has passed.
import t from 'tap'
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { request } from 'undici'
import { main } from '../../server/cli/main.js'
import { c2cRequest } from '../../core/testing/index.js'
import { FIXTURES, sleep, stalledUpload, within } from './fixtures/helpers.js'

t.test('SIGTERM with a stalled upload open: in-flight requests answered, serve resolves 0 within seconds', async (t) => {
  const dir = t.testdir({
    'presend.config.json': JSON.stringify({
      server: { shutdownGraceMs: 1000 },
      plugins: [{ use: path.join(FIXTURES, 'slow.mjs'), options: { ms: 300, announce: false } }],
    }),
  })
  const signals = new EventEmitter()
  let out = ''
  const stdout = { write: (chunk: string) => void (out += chunk) }
  const done = main(['serve', '--config', path.join(dir, 'presend.config.json'), '--port', '0', '--host', '127.0.0.1'], {
    env: {},
    cwd: dir,
    stdout,
    stderr: stdout,
    signals,
  })
  let url: string | undefined
  for (let i = 0; i < 400 && url === undefined; i++) {
    url = /"url":"([^"]+)"/.exec(out)?.[1]
    if (url === undefined) await sleep(25)
  }
  t.ok(url, 'serving')
  const { port } = new URL(url!)

  // A client that sends the headers and part of the body, then trickles a byte a second, never done. Node
  // stops enforcing the request timeout once the server is closing, so only serve's own bound (server.shutdownGraceMs) cuts it.
  const stalled = stalledUpload(Number(port))
  const trickle = setInterval(() => stalled.writable && stalled.write(' '), 1000)
  t.teardown(() => clearInterval(trickle))
  // And an accepted request, held 300 ms by the slow plugin.
  const inFlight = request(`${url}?CallbackCommand=C2C.CallbackBeforeSendMsg`, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'hi' })) })
  await sleep(100)

  const signalled = performance.now()
  signals.emit('SIGTERM', 'SIGTERM')
  const res = await inFlight
  t.equal(res.statusCode, 200, 'the accepted request is answered')
  t.same(await res.body.json(), { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  const code = await within(done, 15000, 'hung' as const)
  stalled.destroy()
  t.equal(code, 0, 'serve resolved with exit code 0 instead of waiting on the stalled client')
  t.ok(performance.now() - signalled < 10000, 'within seconds of the signal')
  t.match(out, /"afterMs":1000,.*closing connections that are still open/, 'the log says it cut the stalled connection after server.shutdownGraceMs')
})
