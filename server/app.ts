/**
 * `buildServer(config)`: the bundled server as an unstarted Fastify app — the callback route, `/healthz`,
 * Prometheus metrics, pino logging with message text redacted, graceful close, and `app.presend.reload()`.
 * Only the CLI calls `listen`.
 *
 * @module
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { pino, type DestinationStream } from 'pino'
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { PresendConfig } from './config.js'
import { consolePlugin } from './console/index.js'
import { presendPlugin, type PresendControl } from './fastify-plugin.js'
import { createPipelineFromConfig } from './resolve.js'
import { compileRedactor } from './redact.js'
import { limitConnections } from './connection-limits.js'
import { registerOperations } from './operations.js'
import { RateLimitedLog } from './log-limiter.js'
import { LazyRequestLogger } from './request-logger.js'
import { createStoreFromConfig } from './store.js'

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  /** Folder plugin paths and packages resolve from: the config file's folder. Default `process.cwd()`. */
  baseDir?: string
  /**
   * `false` for no logging; `true` (the default) for pino at `config.logging.level`; or pino options
   * (`level`, `stream`, `transport`, …) merged over those.
   */
  logger?: boolean | Record<string, unknown>
  /** Also collect prom-client's default process metrics (CPU, memory, event-loop lag). Default true. */
  defaultMetrics?: boolean
}

/** The outcome of {@link ServerControl.reload}. */
export type ReloadResult =
  | { ok: true; plugins: readonly string[] }
  | { ok: false; error: Error }

/** `app.presend` of a server made by {@link buildServer}. */
export interface ServerControl extends PresendControl {
  /** The configuration in force (the last one that loaded). */
  readonly config: PresendConfig
  /**
   * With `operations.port` set: the unstarted app serving `/healthz` and the metrics there (listen on it
   * with `operations.host` and `operations.port`; closing the server closes it). Otherwise undefined: both
   * are routes of the callback app.
   */
  readonly operations: FastifyInstance | undefined
  /**
   * Build a new pipeline from `config` (default: the configuration in force, which re-reads word lists
   * and plugin files), then swap it in. When the build fails, the old pipeline keeps serving, the error
   * is logged, and the result says why; the promise never rejects.
   */
  reload(config?: PresendConfig): Promise<ReloadResult>
}

/** The app {@link buildServer} returns. */
export type PresendServer = FastifyInstance & { presend: ServerControl }

/**
 * Paths replaced with `[redacted]` in every log line unless `logging.messageText` is on: message text
 * anywhere a plugin or a handler might log it (`key`, `parent.key`, `*.key`; see server/redact.ts).
 */
export const MESSAGE_TEXT_PATHS = [
  'text',
  'texts',
  'Text',
  'body',
  'MsgBody',
  'request.MsgBody',
  'req.body',
  '*.text',
  '*.texts',
  '*.Text',
  '*.MsgBody',
]

const redactMessageText = compileRedactor(MESSAGE_TEXT_PATHS, '[redacted]')

/** The pino options of the server's logger (`logger` merged over those of the config), or false for none. */
function loggerOptions(config: PresendConfig, logger: BuildServerOptions['logger']): Record<string, unknown> | false {
  if (logger === false) return false
  const options: Record<string, unknown> = { level: config.logging.level }
  if (!config.logging.messageText) {
    // Every path for what a line logs; pino's own redaction, for child bindings, only the paths without a
    // wildcard — with one it runs on every binding of every per-request child logger (see server/redact.ts).
    options.formatters = { log: redactMessageText }
    options.redact = { paths: MESSAGE_TEXT_PATHS.filter((path) => !path.startsWith('*.')), censor: '[redacted]' }
  }
  return typeof logger === 'object' && logger !== null ? { ...options, ...logger } : options
}

/**
 * The Fastify options for logging, and the logger to set as `app.log` when presend makes it itself.
 *
 * With request lines on (`logging.requests`), Fastify makes the logger from the options and logs each
 * request, as usual. Otherwise presend makes the pino logger and hands Fastify none: a Fastify app with a
 * logger sets up, on every response, 'finish' and 'error' listeners and two clock readings that serve only
 * those request lines (in one run a bare Fastify route spent 36.5 µs of CPU a request with a logger, 33.0
 * without). Each request still gets a logger bound to its `reqId`, made when it first logs a
 * line, and `app.log` is this logger, so Fastify's own lines ("Server listening at …") still go through it.
 * Fastify's `stream` and `file` options mean what they mean to Fastify.
 */
function logging(options: Record<string, unknown> | false, requests: boolean): { fastify: Partial<FastifyServerOptions>; log?: FastifyBaseLogger } {
  if (options === false) return { fastify: { logger: false } }
  if (requests) return { fastify: { logger: options, logController: new LogController({ disableRequestLogging: false }) } }
  const { stream, file, ...rest } = options
  const destination = (stream as DestinationStream | undefined) ?? (typeof file === 'string' ? pino.destination(file) : undefined)
  const log: FastifyBaseLogger = pino(rest, destination)
  return {
    fastify: {
      logger: false,
      childLoggerFactory: (_none, bindings, childOptions) => new LazyRequestLogger(log, bindings, childOptions),
      // Fastify logs its request lines to whatever logger a request has, with an app logger or without.
      logController: new LogController({ disableRequestLogging: true }),
    },
    log,
  }
}

/**
 * How often Node checks the connections still receiving a request against the headers and request timeouts:
 * a third of the headers timeout, so a cut comes at most that late, and at most once a second (the check
 * walks every such connection).
 * @example checkingInterval({ headersTimeoutMs: 3000 }) // 1000
 */
function checkingInterval(limits: { headersTimeoutMs: number }): number {
  return Math.min(1000, Math.ceil(limits.headersTimeoutMs / 3))
}

/** Keys of the configuration a reload cannot change: they need a restart. */
function restartOnly(from: PresendConfig, to: PresendConfig): string[] {
  const keys: string[] = []
  const server = ['host', 'port', 'path', 'bodyLimit', 'maxConnections', 'keepAliveTimeoutMs', 'headersTimeoutMs', 'requestTimeoutMs', 'maxRequestsPerSocket', 'watchdogMs', 'shutdownGraceMs'] as const
  for (const key of server) if (from.server[key] !== to.server[key]) keys.push(`server.${key}`)
  for (const key of ['level', 'requests', 'messageText', 'repeatIntervalMs'] as const) if (from.logging[key] !== to.logging[key]) keys.push(`logging.${key}`)
  for (const key of ['enabled', 'path', 'cacheMs'] as const) if (from.metrics[key] !== to.metrics[key]) keys.push(`metrics.${key}`)
  for (const key of ['host', 'port'] as const) if (from.operations[key] !== to.operations[key]) keys.push(`operations.${key}`)
  for (const key of ['redis', 'keyPrefix', 'timeoutMs'] as const) if (from.store[key] !== to.store[key]) keys.push(`store.${key}`)
  for (const key of ['enabled', 'path', 'token'] as const) if (from.console[key] !== to.console[key]) keys.push(`console.${key}`)
  return keys
}

/**
 * Build the bundled server from a validated configuration (see `loadConfig`). The app is not listening;
 * call `app.listen({ host: config.server.host, port: config.server.port })`. Throws what the pipeline build
 * throws (a `PresendError` naming the bad plugin or option).
 *
 * Shutdown: `app.close()` stops accepting, answers every request already accepted (new requests on open
 * connections get 503, `/healthz` turns 503), closes idle keep-alive connections, then closes the pipeline.
 *
 * @example
 * const { config, baseDir } = await loadConfig()
 * const app = await buildServer(config, { baseDir })
 * await app.listen({ host: config.server.host, port: config.server.port })
 * process.on('SIGHUP', () => void app.presend.reload())
 */
export async function buildServer(config: PresendConfig, opts: BuildServerOptions = {}): Promise<PresendServer> {
  const baseDir = opts.baseDir ?? process.cwd()
  // Fastify's per-request lines cost about half the throughput: only when logging.requests asks (see logging()).
  const logs = logging(loggerOptions(config, opts.logger), config.logging.requests)
  const limits = config.server
  const app = Fastify({
    ...logs.fastify,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Fastify sets no timeout, so a client that sends part of a request and goes silent (or trickles a byte
    // a second) would hold its socket for ever: a few thousand of them exhaust the server, and one holds a
    // graceful close. Tencent gives up after 2 s and its requests are small, so a request still arriving
    // 5 s after it began (server.requestTimeoutMs) is dead: Node answers it 408 and closes the connection.
    // Node checks every connection still receiving a request every headersTimeoutMs / 3 (once a second by
    // default), so the cut comes 5–6 s after the request began. (A per-socket inactivity timeout, `connectionTimeout`, would do it too, but re-arms
    // a timer on every read and write, a cost on every request.) Idle keep-alive connections
    // close after server.keepAliveTimeoutMs (Fastify's 72 s let idle sockets pile up), and a connection that
    // never sends anything is bounded by server.maxConnections (see server/connection-limits.ts).
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { connectionsCheckingInterval: checkingInterval(limits), headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs },
  })
  // Fastify keeps its logger as a plain property, read when it logs (listen, client errors).
  if (logs.log !== undefined) app.log = logs.log
  const every = config.logging.repeatIntervalMs
  const limitLogs = {
    cap: new RateLimitedLog(app.log, every, 'connections closed or refused at server.maxConnections'),
    timeout: new RateLimitedLog(app.log, every, 'requests that timed out'),
  }
  limitConnections(app.server, limits, limitLogs)
  app.addHook('onClose', async () => {
    for (const log of Object.values(limitLogs)) log.flush()
  })
  const registry = config.metrics.enabled ? new Registry() : undefined
  if (registry !== undefined && opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry })
  // One store for the server's life: counters survive a reload. Closed after the last pipeline drains.
  const store = createStoreFromConfig(config.store, { logger: app.log, registry })
  app.addHook('onClose', async () => store.close())
  // Wait (2 s at most) for Redis before serving, so the first messages are not faults; a Redis that is down
  // is a warning, not a failure to start: its plugins answer by their fault policy until it is back.
  await store.ping().catch((err: Error) => app.log.warn({ err }, `${err.message}; serving anyway, plugins on the store answer by their fault policy until it answers`))
  let pipeline
  try {
    pipeline = await createPipelineFromConfig(config, { baseDir, logger: app.log, store })
  } catch (err) {
    await app.close()
    throw err
  }

  const operations =
    config.operations.port === undefined
      ? undefined
      : Fastify({
          logger: false,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          http: { connectionsCheckingInterval: checkingInterval(limits), headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs },
        })
  if (operations !== undefined) {
    operations.log = app.log
    // Added before the presend plugin, so it runs after the plugin's own onClose, which waits for the runs
    // in flight: the operations /healthz answers 503 while they finish, then closes.
    app.addHook('onClose', async () => operations.close())
  }
  await app.register(presendPlugin, {
    pipeline,
    path: config.server.path,
    token: config.auth.token,
    maxSkewSeconds: config.auth.maxSkewSeconds,
    sdkAppId: config.sdkAppId,
    bodyLimit: config.server.bodyLimit,
    logRequests: config.logging.requests,
    logMessageText: config.logging.messageText,
    metrics: registry ?? false,
    logIntervalMs: config.logging.repeatIntervalMs,
  })

  const control = app.presend as ServerControl
  let current = config
  // While the app closes, Fastify answers 503 to every request on a connection still open, /healthz
  // included (return503OnClosing), so a load balancer stops sending before the last accepted ones finish;
  // a separate operations listener answers /healthz 503 from the same moment.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  const refusals = new RateLimitedLog(app.log, every, 'refused metrics scrapes')
  registerOperations(operations ?? app, {
    registry,
    metricsPath: config.metrics.path,
    cacheMs: config.metrics.cacheMs,
    // On the callback port the metrics are as private as the callback: the callback token guards them too.
    token: operations === undefined ? () => current.metrics.token ?? current.auth.token : () => current.metrics.token,
    closing: () => closing,
    refusals,
  })
  app.addHook('onClose', async () => refusals.flush())
  Object.defineProperty(control, 'operations', { value: operations, enumerable: true })
  let loadedAt = new Date()
  Object.defineProperty(control, 'config', { get: () => current, enumerable: true })
  if (config.console.enabled) {
    await app.register(consolePlugin, {
      path: config.console.path,
      ...(config.console.token === undefined ? {} : { token: config.console.token }),
      messageText: config.logging.messageText,
      jsonText: () => current.pipeline.jsonText,
      plugins: () => current.plugins,
      loadedAt: () => loadedAt,
      reload: () => control.reload(),
    })
  }
  control.reload = async (next = current) => {
    let built
    try {
      built = await createPipelineFromConfig(next, { baseDir, logger: app.log, store })
    } catch (err) {
      const error = err as Error
      control.metrics?.reload('failure')
      app.log.error({ err: error }, `reload failed; the previous pipeline keeps serving: ${error.message}`)
      return { ok: false, error }
    }
    const ignored = restartOnly(current, next)
    if (ignored.length > 0) app.log.warn({ keys: ignored }, `reload cannot change ${ignored.join(', ')}; restart the server to apply them`)
    control.setAuth({ token: next.auth.token, maxSkewSeconds: next.auth.maxSkewSeconds, sdkAppId: next.sdkAppId })
    current = next
    loadedAt = new Date()
    await control.swap(built)
    control.metrics?.reload('success')
    app.log.info({ plugins: built.names }, 'reloaded the pipeline')
    return { ok: true, plugins: built.names }
  }
  return app as unknown as PresendServer
}
