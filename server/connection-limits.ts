/**
 * A cap on open connections that keeps callbacks answered: idle connections (a keep-alive socket between
 * requests, or one that connected and sent nothing yet) cost a file descriptor each, and 20,800 of them, each
 * opened with one unauthenticated `GET /healthz`, once exhausted the process so no callback could connect.
 * At the cap, a new connection takes the place of the connection idle longest; only when every open
 * connection is busy with a request is the new one refused. Each limit hit is logged, once per interval.
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { RateLimitedLog } from './log-limiter.js'

/** When the socket last began a request (or connected): a counter, so comparing two is all it needs. */
const lastActive = Symbol('presend.lastActive')
/** The response to the socket's latest request: unfinished while that request is being answered. */
const latest = Symbol('presend.latestResponse')
/** Requests begun on the socket. */
const served = Symbol('presend.requests')

type TrackedSocket = Socket & {
  [lastActive]: number
  [latest]?: ServerResponse
  [served]?: number
}

/** The limits {@link limitConnections} enforces. */
export interface ConnectionLimits {
  /** Most open connections; at the cap the one idle longest makes way. */
  maxConnections: number
  /** Requests on one connection before its reply says `Connection: close` and the server closes it; 0 for no limit. */
  maxRequestsPerSocket: number
}

/** The log lines the limits write, each rate-limited on its own. */
export interface ConnectionLimitLogs {
  /** The cap was reached: an idle connection closed, or (all busy) the new one refused. */
  cap: RateLimitedLog
  /** A client took too long to send its request (headers or request timeout): Node answered 408. */
  timeout: RateLimitedLog
}

/**
 * Enforce `maxConnections` and `maxRequestsPerSocket` on `server`, and log the timeouts Node enforces itself.
 * Costs a few property writes a request; the scan for the connection idle longest runs only at the cap.
 * Returns the set of open connections (for tests and metrics).
 *
 * Requests per socket are counted here rather than by Node's own `maxRequestsPerSocket`: Node's says
 * `Connection: close` on the last reply but keeps the socket open and answers 503 to every later request,
 * so a client that ignores the header (autocannon does) gets 503s, which Tencent would count as a failed
 * callback. A reply whose `Connection: close` header is set by the server makes Node close the socket
 * once the reply is sent; such a client then reconnects.
 *
 * @example limitConnections(app.server, { maxConnections: 1000, maxRequestsPerSocket: 1000 }, logs)
 */
export function limitConnections(server: Server, limits: ConnectionLimits, logs: ConnectionLimitLogs): ReadonlySet<Socket> {
  const { maxConnections, maxRequestsPerSocket } = limits
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
  // A request starting on a connection makes it the most recently active one, and busy until its reply ends.
  // Before Fastify's listener, which may answer at once: the Connection header must be set before that.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as TrackedSocket
    socket[lastActive] = ++clock
    socket[latest] = response
    if (maxRequestsPerSocket > 0 && (socket[served] = (socket[served] ?? 0) + 1) >= maxRequestsPerSocket) response.setHeader('connection', 'close')
  })
  server.on('clientError', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      logs.timeout.hit({ code: 'PRESEND_CONNECTION_LIMIT', limit: 'requestTimeout' }, 'a client did not send its whole request within server.headersTimeoutMs / server.requestTimeoutMs; answered 408 and closed the connection')
    }
  })
  return open
}

/** The open connection with no request in progress that was active least recently, if any. */
function idleLongest(open: ReadonlySet<TrackedSocket>): TrackedSocket | undefined {
  let found: TrackedSocket | undefined
  for (const socket of open) {
    // An unfinished response means a request being answered; a request still arriving has none yet, and
    // one stalled that way is as good to close as an idle one.
    const busy = socket[latest]?.writableFinished === false
    if (!busy && (found === undefined || socket[lastActive] < found[lastActive])) found = socket
  }
  return found
}
