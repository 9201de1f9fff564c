// Shutdown under load, on the real binary: requests are inside the server (a slow-but-within-budget plugin
// holds each for a while, and logs when it starts) when SIGTERM arrives. Every accepted request is answered
// with the right reply, then the process exits 0.
import t from 'tap'
import path from 'node:path'
import { Agent, request } from 'undici'
import { c2cRequest } from '../../core/testing/index.js'
import { checkEnvelope, FIXTURES, killIfRunning, startServe, traffic } from './fixtures/helpers.js'

const IN_FLIGHT = 40
const HOLD_MS = 500

t.test('SIGTERM with requests in flight: every accepted request answered, then exit 0', async (t) => {
  const dir = t.testdir({
    'words.txt': 'blocked\n',
    'presend.config.json': JSON.stringify({
      plugins: [
        { use: path.join(FIXTURES, 'slow.mjs'), options: { ms: HOLD_MS } },
        { use: path.join(FIXTURES, 'wordlist.mjs'), options: { file: 'words.txt' } },
      ],
    }),
  })
  const serve = await startServe(path.join(dir, 'presend.config.json'), dir)
  t.teardown(() => killIfRunning(serve.child))

  // Background traffic on its own connections, flowing before, during and after the signal.
  const background = traffic(serve.url, (n) => (n % 2 === 0 ? `hello ${n}` : `this is blocked ${n}`), 8)
  const warm = Date.now() + 10000
  while (background.exchanges.filter((ex) => ex.doneAt > 0).length < 16 && Date.now() < warm) await new Promise((r) => setTimeout(r, 10))

  // A batch held inside the server by the slow plugin: each has started (its log line is out) before SIGTERM.
  // Only the batch's own lines count: the background traffic goes through the slow plugin too.
  const dispatcher = new Agent({ connections: IN_FLIGHT })
  const started = () => serve.lines.filter((l) => l.event === 'slow-started' && l.word === 'batch').length
  const batch = Array.from({ length: IN_FLIGHT }, async (_, i) => {
    const text = i % 2 === 0 ? `batch ${i}` : `batch blocked ${i}`
    const sentAt = performance.now()
    const res = await request(`${serve.url}?CallbackCommand=C2C.CallbackBeforeSendMsg`, {
      method: 'POST',
      body: JSON.stringify(c2cRequest({ text })),
      dispatcher,
      signal: AbortSignal.timeout(5000),
    })
    const body = await res.body.text()
    const reply = checkEnvelope(res.statusCode, res.headers['content-type'], body, performance.now() - sentAt)
    return { text, statusCode: res.statusCode, reply }
  })
  const deadline = Date.now() + 10000
  while (started() < IN_FLIGHT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  t.equal(started(), IN_FLIGHT, `${IN_FLIGHT} batch requests are inside the server`)

  const signalledAt = performance.now()
  serve.child.kill('SIGTERM')
  const results = await Promise.all(batch)
  const { code, signal } = await serve.exited
  const exchanges = await background.stop()
  await dispatcher.close()

  t.equal(results.length, IN_FLIGHT)
  t.ok(results.every((r) => r.statusCode === 200), 'every in-flight request got HTTP 200')
  t.ok(
    results.every((r) => r.reply.ErrorCode === (r.text.includes('blocked') ? 1 : 0)),
    'with the reply its text deserves (blocked → 1, else 0)',
  )
  t.equal(code, 0, 'exit code 0')
  t.equal(signal, null)
  t.ok(serve.lines.some((l) => l.signal === 'SIGTERM' && /shutting down/.test(String(l.msg))), 'the log says it is shutting down')

  // Background requests: every one that was answered before the signal is a normal reply; after the signal a
  // request may also meet a closed port (never accepted) or a 503 "closing" on an open connection — never a
  // lost reply to a request the server took in.
  const early = exchanges.filter((ex) => ex.doneAt < signalledAt)
  t.ok(early.length >= 16, `${early.length} background requests answered before the signal`)
  t.ok(early.every((ex) => ex.statusCode === 200 && ex.error === undefined && ex.reply?.ErrorCode === (ex.text.includes('blocked') ? 1 : 0)), 'all of them normally')
  const late = exchanges.filter((ex) => ex.doneAt >= signalledAt)
  const lateAnswered = late.filter((ex) => ex.statusCode === 200 && ex.error === undefined).length
  const late503 = late.filter((ex) => ex.statusCode === 503).length
  const refused = late.filter((ex) => ex.statusCode === undefined).length
  t.equal(lateAnswered + late503 + refused, late.length, 'after the signal: answered, 503 closing, or refused — nothing else')
  t.equal(serve.stderr(), '', 'nothing on stderr')
  t.comment(
    `shutdown under load: ${IN_FLIGHT} in flight at SIGTERM, all answered; background ${exchanges.length} requests (${early.length} before the signal; after it ${lateAnswered} answered, ${late503} got 503, ${refused} refused); exit ${code}`,
  )
})
