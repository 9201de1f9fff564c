// `presend serve --workers N` in-process: this test process is the cluster's primary, and its workers are a
// small stand-in (fixtures/cluster-worker.mjs) that takes signals as presend's workers do. The primary's
// relaying, restarting, watchdog and exit codes, and the worker's side of the signals, are covered here; the
// built binary with real presend workers runs in workers.test.ts (without coverage).
import t from 'tap'
import cluster, { type Worker } from 'node:cluster'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import { serveCluster, workerSignals } from '../../../server/cli/cluster.js'
import type { CliIO } from '../../../server/cli/io.js'
import { main, workerIO } from '../../../server/cli/main.js'
import { withoutWorkers } from '../../../server/cli/serve.js'
import { sink, waitFor } from '../fixtures/output.js'

const FIXTURE = fileURLToPath(new URL('../fixtures/cluster-worker.mjs', import.meta.url))

// The workers run the fixture with plain node (no test loader); their output stays off tap's stdout.
cluster.setupPrimary({ exec: FIXTURE, execArgv: [], silent: true })

/** What the fixture workers told the primary, in order, and a way to wait for it. */
function workerMessages() {
  const seen: Array<{ worker: Worker; fixture: string }> = []
  const waiters: Array<() => void> = []
  const onMessage = (worker: Worker, message: { fixture?: string }) => {
    if (typeof message?.fixture !== 'string') return
    seen.push({ worker, fixture: message.fixture })
    for (const w of waiters.splice(0)) w()
  }
  cluster.on('message', onMessage)
  return {
    seen,
    /** Resolves once `n` messages `fixture` have arrived in all; fails the wait after 20 s. */
    async waitFor(fixture: string, n: number): Promise<Worker[]> {
      const deadline = Date.now() + 20_000
      for (;;) {
        const from = seen.filter((m) => m.fixture === fixture).map((m) => m.worker)
        if (from.length >= n) return from
        if (Date.now() > deadline) throw new Error(`waited 20 s for ${n} "${fixture}" messages; got ${from.length}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100).unref()
        })
      }
    },
    stop: () => cluster.off('message', onMessage),
  }
}

/** The CLI I/O serveCluster uses: a captured stderr and signals from an emitter. */
function clusterIO() {
  const stderr = sink()
  const signals = new EventEmitter()
  return { stderr, signals, cli: { stdout: sink(), stderr, signals, env: {}, cwd: '.' } as unknown as CliIO }
}

t.test('the primary relays reload and stop, replaces a dead or stalled worker, and exits 0', async (t) => {
  const messages = workerMessages()
  t.teardown(messages.stop)
  const { stderr, signals, cli } = clusterIO()
  // The first worker to start never beats: the watchdog (1 s) replaces it, and its replacement beats.
  const done = serveCluster(2, [`--stall-first=${t.testdir({})}/stalled`], cli, 1000)
  const ready = await messages.waitFor('ready', 2)
  t.match(stderr.text, /^presend: starting 2 workers\n/)

  signals.emit('SIGHUP')
  t.equal((await messages.waitFor('SIGHUP', 2)).length, 2, 'SIGHUP reaches both workers')

  const [, stalled] = await waitFor(stderr, /worker (\d+) has not answered for \d+ ms \(event loop blocked; server\.watchdogMs is 1000\); replacing it/, 1, 20_000)
  t.ok(ready.some((w) => w.process.pid === Number(stalled)), 'one of the first two, the one that never beat, is replaced')
  await waitFor(stderr, new RegExp(`worker ${stalled} exited \\(SIGKILL\\); starting another`), 1, 20_000)
  await messages.waitFor('ready', 3)

  // A worker that dies while serving is replaced too.
  const live = Object.values(cluster.workers ?? {}).find((w) => w !== undefined && String(w.process.pid) !== stalled) as Worker
  live.process.kill('SIGKILL')
  await waitFor(stderr, new RegExp(`worker ${live.process.pid} exited \\(SIGKILL\\); starting another`), 1, 20_000)
  await messages.waitFor('ready', 4)

  signals.emit('SIGTERM')
  t.equal(await done, 0, 'every worker stopped cleanly: exit 0')
  t.ok((await messages.waitFor('SIGTERM', 2)).length >= 2, 'SIGTERM reached the live workers')
  t.same(Object.keys(cluster.workers ?? {}), [], 'no worker left')
  t.equal(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGHUP') + signals.listenerCount('SIGINT'), 0, 'its signal handlers removed')
})

t.test('workers that fail before listening stop the primary with 3, without a restart loop', async (t) => {
  const { stderr, cli } = clusterIO()
  t.equal(await serveCluster(2, ['--fail'], cli, 0), 3)
  t.match(stderr.text, /worker \d+ failed to start \(exit 3\); stopping/)
  t.notMatch(stderr.text, /starting another/)
})

t.test('serve --workers 2 checks the config, then forks workers with the command line minus --workers', async (t) => {
  const messages = workerMessages()
  t.teardown(messages.stop)
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ server: { watchdogMs: 0 }, plugins: [] }) })
  const { stderr, signals } = clusterIO()
  const done = main(['serve', '--workers', '2', '--port', '0'], { cwd: dir, env: {}, stdout: sink(), stderr, signals })
  await messages.waitFor('ready', 2)
  t.same(cluster.settings.args, ['serve', '--port', '0'], 'the workers get serve without --workers')
  signals.emit('SIGTERM')
  t.equal(await done, 0)
})

t.test('withoutWorkers drops both spellings of --workers and keeps the rest', async (t) => {
  t.same(withoutWorkers(['--workers', '2', '--port', '8080']), ['--port', '8080'])
  t.same(withoutWorkers(['--config', 'a.json', '--workers=4', '--watch']), ['--config', 'a.json', '--watch'])
})

t.test("a worker's signals: the primary's messages, its departure, and heartbeats only while connected", async (t) => {
  const proc = Object.assign(new EventEmitter(), {
    env: { PRESEND_HEARTBEAT_MS: '10' } as NodeJS.ProcessEnv,
    connected: true,
    sent: [] as unknown[],
    send(message: unknown, _handle: unknown, _options: unknown, callback: () => void) {
      this.sent.push(message)
      callback()
      return true
    },
  })
  const bus = workerSignals(proc as unknown as NodeJS.Process)
  const got: string[] = []
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) bus.on(s, () => got.push(s))
  proc.emit('SIGINT')
  t.same(got, [], 'a signal to the whole process group is ignored: the primary relays the one that counts')
  proc.emit('message', { presend: 'signal', signal: 'SIGHUP' })
  proc.emit('message', { presend: 'signal', signal: 'SIGKILL' })
  proc.emit('message', null)
  t.same(got, ['SIGHUP'], 'only relayed stop and reload signals')
  await new Promise((r) => setTimeout(r, 50))
  t.ok(proc.sent.length >= 2 && proc.sent.every((m) => (m as { presend: string }).presend === 'heartbeat'), 'heartbeats while connected')
  proc.connected = false
  const before = proc.sent.length
  await new Promise((r) => setTimeout(r, 30))
  t.equal(proc.sent.length, before, 'none while the primary is out of reach')
  proc.emit('disconnect')
  t.same(got, ['SIGHUP', 'SIGTERM'], 'the primary gone: stop')

  const quiet = Object.assign(new EventEmitter(), { env: {} })
  workerSignals(quiet as unknown as NodeJS.Process)
  t.equal(quiet.listenerCount('disconnect'), 1, 'no heartbeat timer without PRESEND_HEARTBEAT_MS')
})

t.test('workerIO: IPC signals in a presend worker, nothing elsewhere', async (t) => {
  const proc = Object.assign(new EventEmitter(), { env: { PRESEND_WORKER: '1' } })
  t.same(await workerIO(false, proc as unknown as NodeJS.Process), {}, 'not a cluster worker')
  t.same(await workerIO(true, { env: {} } as unknown as NodeJS.Process), {}, "another program's cluster worker")
  const { signals } = await workerIO(true, proc as unknown as NodeJS.Process)
  const got: string[] = []
  signals?.on('SIGTERM', () => got.push('SIGTERM'))
  proc.emit('message', { presend: 'signal', signal: 'SIGTERM' })
  t.same(got, ['SIGTERM'])
  t.same(await workerIO(), {}, 'this test process is no worker')
})
