/**
 * `presend serve --workers N`: N server processes sharing one port through `node:cluster`. The server is
 * stateless, so this is the one-machine way to use every core; behind a cloud load balancer, run one
 * process per core or one per container instead.
 *
 * The caller checks the configuration first (so a bad config fails fast instead of crash-looping workers);
 * the primary forks the workers, relays SIGTERM / SIGINT / SIGHUP to them over IPC, restarts a worker that dies while
 * serving, and exits when every worker has shut down.
 *
 * Watchdog: a worker whose event loop is stuck (a runaway plugin, a huge synchronous build) still holds its
 * share of the port, and every request routed to it waits. Each worker sends the primary a heartbeat over IPC
 * from a timer, which fires only when its loop is free; a listening worker that has sent none for
 * `server.watchdogMs` is killed (SIGKILL: a blocked loop cannot run a graceful close) and replaced.
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

/** The heartbeat a worker sends the primary while its event loop runs. */
const HEARTBEAT = { presend: 'heartbeat' } as const

/** The environment variable that tells a worker how often to send its heartbeat, in ms (unset: none). */
const HEARTBEAT_ENV = 'PRESEND_HEARTBEAT_MS'

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
  const every = Number(proc.env[HEARTBEAT_ENV])
  if (every > 0) {
    // unref'ed: the heartbeat never keeps a worker alive; a send after the primary is gone is ignored.
    const beat = setInterval(() => {
      if (proc.connected) proc.send?.(HEARTBEAT, undefined, {}, () => {})
    }, every).unref()
    proc.on('disconnect', () => clearInterval(beat))
  }
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
export function serveCluster(workers: number, args: readonly string[], cli: CliIO, watchdogMs = 0): Promise<number> {
  cluster.setupPrimary({ args: ['serve', ...args] })
  // Four heartbeats per watchdog period, so one late timer never looks like a stuck loop.
  const heartbeatMs = watchdogMs > 0 ? Math.max(10, Math.floor(watchdogMs / 4)) : 0
  const env: Record<string, string> = { PRESEND_WORKER: '1' }
  if (heartbeatMs > 0) env[HEARTBEAT_ENV] = String(heartbeatMs)
  return new Promise<number>((resolve) => {
    let stopping = false
    let exitCode = 0
    const listening = new WeakSet<object>()
    /** When each listening worker last showed a live event loop. */
    const lastBeat = new Map<Worker, number>()
    const onMessage = (worker: Worker, message: unknown) => {
      if ((message as typeof HEARTBEAT | null)?.presend === 'heartbeat' && lastBeat.has(worker)) lastBeat.set(worker, performance.now())
    }
    const watchdog =
      heartbeatMs === 0
        ? undefined
        : setInterval(() => {
            if (stopping) return
            const now = performance.now()
            for (const [worker, at] of lastBeat) {
              if (now - at <= watchdogMs) continue
              lastBeat.delete(worker)
              cli.stderr.write(
                `presend: worker ${worker.process.pid} has not answered for ${Math.round(now - at)} ms (event loop blocked; server.watchdogMs is ${watchdogMs}); replacing it\n`,
              )
              worker.process.kill('SIGKILL')
            }
          }, heartbeatMs).unref()
    const relay = (signal: Relayed) => {
      if (signal !== 'SIGHUP') stopping = true
      // A worker that is already going away answers the send with an error in the callback: ignored.
      for (const worker of workersAlive()) worker.send({ presend: 'signal', signal } satisfies SignalMessage, () => {})
    }
    const handlers = SIGNALS.map((signal) => [signal, () => relay(signal)] as const)
    for (const [signal, handler] of handlers) cli.signals.on(signal, handler)
    const onListening = (worker: Worker) => {
      // Watched from when it serves: building the pipeline at start may hold the loop for a while.
      if (!listening.has(worker) && heartbeatMs > 0) lastBeat.set(worker, performance.now())
      listening.add(worker)
    }
    const onExit = (worker: Worker, code: number | null, signal: string | null) => {
      lastBeat.delete(worker)
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
        cluster.off('message', onMessage)
        clearInterval(watchdog)
        resolve(exitCode)
      }
    }
    cluster.on('listening', onListening)
    cluster.on('exit', onExit)
    cluster.on('message', onMessage)
    cli.stderr.write(`presend: starting ${workers} workers\n`)
    for (let i = 0; i < workers; i++) cluster.fork(env)
  })
}
