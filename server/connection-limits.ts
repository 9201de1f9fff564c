/**
 * A cap on open connections that keeps callbacks answered: idle connections (a keep-alive socket between
 * requests, or one that connected and sent nothing yet) cost a file descriptor each, and 20,800 of them, each
 * opened with one unauthenticated `GET /healthz`, once exhausted the process so no callback could connect.
 * At the cap, a new connection takes the place of the connection idle longest; only when every open
 * connection is busy with a request is the new one refused. Each limit hit is logged, once per interval.
 *
 * @module
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { RateLimitedLog } from './log-limiter.js'

/** When the socket last began a request (or connected): a counter, so comparing two is all it needs. */
const lastActive = Symbol('presend.lastActive')

type TrackedSocket = Socket & {
  [lastActive]: number
  /** Node's ServerResponse in progress on this socket; unset between requests. */
  _httpMessage?: unknown
}

/** The log lines the limits write, each rate-limited on its own. */
export interface ConnectionLimitLogs {
  /** The cap was reached: an idle connection closed, or (all busy) the new one refused. */
  cap: RateLimitedLog
  /** A client took too long to send its request (headers or request timeout): Node answered 408. */
  timeout: RateLimitedLog
  /** A request past `maxRequestsPerSocket` on one connection: Node answered 503. */
  perSocket: RateLimitedLog
}

/**
 * Enforce `maxConnections` on `server` and log the limits Node enforces itself (timeouts, requests per
 * socket). Costs one counter write a request; the scan for the connection idle longest runs only at the cap.
 * Returns the set of open connections (for tests and metrics).
 *
 * @example limitConnections(app.server, 1000, logs)
 */
export function limitConnections(server: Server, maxConnections: number, logs: ConnectionLimitLogs): ReadonlySet<Socket> {
  const open = new Set<TrackedSocket>()
  let clock = 0
  server.on('connection', (socket: TrackedSocket) => {
    socket[lastActive] = ++clock
    if (open.size >= maxConnections) {
      const idle = idleLongest(open)
      if (idle === undefined) {
        logs.cap.hit({ code: 'PRESEND_CONNECTION_LIMIT', limit: 'maxConnections', maxConnections, open: open.size }, `${open.size} connections are open (server.maxConnections) and every one is busy with a request; refused a new connection`)
        socket.destroy()
        return
      }
      logs.cap.hit({ code: 'PRESEND_CONNECTION_LIMIT', limit: 'maxConnections', maxConnections, open: open.size }, `${open.size} connections are open (server.maxConnections); closed the one idle longest to accept a new one`)
      open.delete(idle)
      idle.destroy()
    }
    open.add(socket)
    socket.once('close', () => open.delete(socket))
  })
  // A request starting on a connection makes it the most recently active one.
  server.on('request', (request: { socket: TrackedSocket }) => {
    request.socket[lastActive] = ++clock
  })
  server.on('clientError', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      logs.timeout.hit({ code: 'PRESEND_CONNECTION_LIMIT', limit: 'requestTimeout' }, 'a client did not send its whole request within server.headersTimeoutMs / server.requestTimeoutMs; answered 408 and closed the connection')
    }
  })
  server.on('dropRequest', () => {
    logs.perSocket.hit({ code: 'PRESEND_CONNECTION_LIMIT', limit: 'maxRequestsPerSocket' }, 'a client sent more requests on one connection than server.maxRequestsPerSocket; answered 503 (the previous reply said Connection: close)')
  })
  return open
}

/** The open connection with no request in progress that was active least recently, if any. */
function idleLongest(open: ReadonlySet<TrackedSocket>): TrackedSocket | undefined {
  let found: TrackedSocket | undefined
  for (const socket of open) {
    // A response in progress means a request being answered; a request still arriving has none yet, and
    // one stalled that way is as good to close as an idle one.
    if (socket._httpMessage == null && (found === undefined || socket[lastActive] < found[lastActive])) found = socket
  }
  return found
}
