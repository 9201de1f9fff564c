/**
 * `presend serve --workers N`: N server processes sharing one port through `node:cluster`. The server is
 * stateless, so this is the one-machine way to use every core; behind a cloud load balancer, run one
 * process per core or one per container instead.
 *
 * The caller checks the configuration first (so a bad config fails fast instead of crash-looping workers);
 * the primary forks the workers, relays SIGTERM / SIGINT / SIGHUP to them over IPC, restarts a worker that dies while
 * serving, and exits when every worker has shut down.
 * @module
 */
import cluster, { type Worker } from 'node:cluster'
import { EventEmitter } from 'node:events'
import type { CliIO } from './io.js'

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const
type Relayed = (typeof SIGNALS)[number]

interface SignalMessage {
  presend: 'signal'
  signal: Relayed
}

function isSignalMessage(m: unknown): m is SignalMessage {
  const msg = m as Partial<SignalMessage> | null
  return typeof msg === 'object' && msg !== null && msg.presend === 'signal' && SIGNALS.includes(msg.signal as Relayed)
}

/**
 * The signal source of a worker: stop and reload come from the primary over IPC. Signals sent to the whole
 * process group (Ctrl-C in a terminal) are ignored here, so one Ctrl-C is one graceful stop, not two; a
 * worker whose primary is gone stops on its own.
 */
export function workerSignals(proc: NodeJS.Process = process): Pick<NodeJS.EventEmitter, 'on' | 'off'> {
  const bus = new EventEmitter()
  for (const signal of SIGNALS) proc.on(signal, () => {})
  proc.on('message', (m: unknown) => {
    if (isSignalMessage(m)) bus.emit(m.signal, m.signal)
  })
  proc.on('disconnect', () => bus.emit('SIGTERM', 'SIGTERM'))
  return bus
}

/** The primary's live workers (`cluster.workers` is always set in a primary). */
function workersAlive(): Worker[] {
  return Object.values(cluster.workers as NodeJS.Dict<Worker>) as Worker[]
}

/**
 * Run `workers` server processes with `args` (the serve command line without `--workers`); resolve with
 * the exit code once all have stopped: 0 when every worker shut down cleanly, else 3.
 */
export function serveCluster(workers: number, args: readonly string[], cli: CliIO): Promise<number> {
  cluster.setupPrimary({ args: ['serve', ...args] })
  const env = { PRESEND_WORKER: '1' }
  return new Promise<number>((resolve) => {
    let stopping = false
    let exitCode = 0
    const listening = new WeakSet<object>()
    const relay = (signal: Relayed) => {
      if (signal !== 'SIGHUP') stopping = true
      // A worker that is already going away answers the send with an error in the callback: ignored.
      for (const worker of workersAlive()) worker.send({ presend: 'signal', signal } satisfies SignalMessage, () => {})
    }
    const handlers = SIGNALS.map((signal) => [signal, () => relay(signal)] as const)
    for (const [signal, handler] of handlers) cli.signals.on(signal, handler)
    const onListening = (worker: object) => listening.add(worker)
    const onExit = (worker: { process: { pid?: number } }, code: number | null, signal: string | null) => {
      const how = signal ?? `exit ${code}`
      if (!stopping && listening.has(worker)) {
        cli.stderr.write(`presend: worker ${worker.process.pid} exited (${how}); starting another\n`)
        cluster.fork(env)
        return
      }
      // A worker that dies while serving is replaced and does not count; one that fails while stopping does.
      if (code !== 0) exitCode = 3
      if (!stopping) {
        // A worker that never listened failed to start (a port in use, say): no point in restarting it.
        cli.stderr.write(`presend: worker ${worker.process.pid} failed to start (${how}); stopping\n`)
        relay('SIGTERM')
      }
      if (workersAlive().length === 0) {
        for (const [sig, handler] of handlers) cli.signals.off(sig, handler)
        cluster.off('listening', onListening)
        cluster.off('exit', onExit)
        resolve(exitCode)
      }
    }
    cluster.on('listening', onListening)
    cluster.on('exit', onExit)
    cli.stderr.write(`presend: starting ${workers} workers\n`)
    for (let i = 0; i < workers; i++) cluster.fork(env)
  })
}
