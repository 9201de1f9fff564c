// `presend serve --workers N`: the built binary with two workers over real HTTP — both serve, SIGHUP reaches
// both, a dead or blocked worker is replaced, SIGTERM stops both and the primary exits 0. (The argument
// handling runs in-process in serve.test.ts, the primary and the worker's signals in cluster.test.ts; these
// processes record no coverage.)
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { c2cRequest } from '../../../core/testing/index.js'
import { childEnv, outsideTap } from '../fixtures/child-env.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const cli = path.join(repoRoot, 'dist/server/cli/main.js')

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** The built binary with `--workers 2` in `dir`, and a way to wait for log lines from distinct worker pids. */
function startWorkers(t: Test, dir: string, port: number) {
  const child = spawn(...outsideTap(process.execPath, [cli, 'serve', '--workers', '2', '--port', String(port), '--host', '127.0.0.1']), {
    cwd: dir,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const out = { stderr: '' }
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out.stderr += c))
  const seen = new Map<string, Set<number>>()
  const waiters: Array<() => void> = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const { msg, pid } = JSON.parse(line) as { msg: string; pid: number }
      seen.set(msg, (seen.get(msg) ?? new Set()).add(pid))
      for (const w of waiters.splice(0)) w()
    } catch {}
  })
  /** Resolves once `n` distinct processes logged a message starting with `prefix`. */
  const pidsFor = async (prefix: string, n: number) => {
    for (;;) {
      const pids = new Set([...seen].filter(([msg]) => msg.startsWith(prefix)).flatMap(([, p]) => [...p]))
      if (pids.size >= n) return pids
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  return { child, exited, out, pidsFor }
}

// One cluster for serving, reloading, replacing a dead worker, the watchdog and stopping: each step leaves it
// serving (two live workers) for the next.
t.test('the binary with --workers 2 serves, reloads, replaces a dead or blocked worker, and stops as one', async (t) => {
  const blockLoop = path.join(repoRoot, 'test/server/fixtures/filters/block-loop.mjs')
  const dir = t.testdir({
    'presend.config.json': JSON.stringify({
      server: { watchdogMs: 1000 },
      plugins: [
        { use: 'profanity', options: { lists: [], words: ['spam'] } },
        { use: blockLoop, options: { ms: 4000 } },
      ],
    }),
  })
  const port = await freePort()
  const { child, exited, out, pidsFor } = startWorkers(t, dir, port)
  const serving = await pidsFor('presend serving', 2)
  t.equal(serving.size, 2, 'two worker processes serve')
  t.match(out.stderr, /starting 2 workers/)
  const url = `http://127.0.0.1:${port}/?CallbackCommand=C2C.CallbackBeforeSendMsg`
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'no spam here' })) })
  t.same(await res.json(), {
    ActionStatus: 'OK',
    ErrorInfo: '',
    ErrorCode: 0,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'no **** here' } }],
  })
  child.kill('SIGHUP')
  t.same(await pidsFor('reloaded the pipeline', 2), serving, 'SIGHUP reloads every worker')

  // A worker that dies is replaced on its exit (the watchdog only kills; it never starts a worker).
  const [killed, kept] = [...serving] as [number, number]
  process.kill(killed, 'SIGKILL')
  const three = await pidsFor('presend serving', 3)
  t.match(out.stderr, new RegExp(`worker ${killed} exited \\(SIGKILL\\); starting another`))
  const after = await fetch(`http://127.0.0.1:${port}/?CallbackCommand=Group.CallbackAfterSendMsg`, { method: 'POST', body: '{}' })
  t.equal(after.status, 200, 'still serving')
  const live = new Set([kept, [...three].find((pid) => !serving.has(pid))])

  // A worker whose loop is blocked is killed by the watchdog and replaced. It busy-loops for 4 s: its
  // request never gets an answer, since the worker is killed before.
  const logged = out.stderr.length
  const stuck = fetch(url, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'block the loop' })) }).then(
    (r) => r.status,
    () => 'connection closed',
  )
  const all = await pidsFor('presend serving', 4)
  t.ok(all.size >= 4, 'a new worker serves in its place')
  t.equal(await stuck, 'connection closed', 'the stuck worker was killed mid-request')
  const since = out.stderr.slice(logged)
  const [, blocked] = /worker (\d+) has not answered/.exec(since) ?? []
  t.ok(live.has(Number(blocked)), 'the killed worker was one of the two serving')
  t.match(since, /worker (\d+) has not answered for \d+ ms \(event loop blocked; server\.watchdogMs is 1000\); replacing it/)
  t.match(since, new RegExp(`worker ${blocked} exited \\(SIGKILL\\); starting another`))
  const again = await fetch(url, { method: 'POST', body: JSON.stringify(c2cRequest({ text: 'hello' })) })
  t.equal(again.status, 200, 'callbacks are answered again')
  live.delete(Number(blocked))
  live.add([...all].find((pid) => !three.has(pid)))

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'the primary exits 0 once both workers have stopped')
  t.same(await pidsFor('shutting down', 2), live, 'both live workers, the replacements too, shut down')
})

t.test('workers that cannot listen stop the primary with exit 3 instead of restarting in a loop', async (t) => {
  // The watchdog off (0) here: a cluster without heartbeats runs too (the first cluster has them on).
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ server: { watchdogMs: 0 }, plugins: [] }) })
  const blocker = createServer()
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
  t.teardown(() => blocker.close())
  const { port } = blocker.address() as { port: number }
  const { exited, out } = startWorkers(t, dir, port)
  t.equal(await exited, 3)
  t.match(out.stderr, /failed to start \(exit 3\); stopping/)
})
