/**
 * The presend Fastify plugin: mounts Tencent's callback route into any Fastify 5 app.
 *
 * Wrapped with fastify-plugin so `app.presend` (the pipeline in service, and `swap()` to replace it) is
 * visible to the app; the route itself, its body parser and its error handler live in a child scope, so
 * the app's other routes keep their own parsers and error handling.
 *
 * @example
 * import Fastify from 'fastify'
 * import { createPipeline } from 'presend'
 * import { presendPlugin } from 'presend/server'
 *
 * const app = Fastify({ logger: true })
 * const pipeline = await createPipeline({ plugins: [myFilter] })
 * await app.register(presendPlugin, {
 *   path: '/im/callback',
 *   pipeline,
 *   token: process.env.IM_CALLBACK_TOKEN,
 *   sdkAppId: 1400000000,
 *   handlers: { 'Group.CallbackAfterSendMsg': async (body) => { await archive(body) } },
 * })
 * @module
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Registry } from 'prom-client'
import { PresendError } from '../core/errors.js'
import type { Pipeline } from '../core/pipeline/index.js'
import { isBeforeSendCommand } from '../core/protocol/index.js'
import type { AuthSettings } from './auth.js'
import { callbackJsonParser } from './body-parser.js'
import { errorReplyJsonSchema } from './http-errors.js'
import { RateLimitedLog } from './log-limiter.js'
import { createMetrics, type PresendMetrics } from './metrics.js'
import {
  createErrorHandler,
  createHandler,
  createOnRequest,
  PipelineSlot,
  replyJsonSchema,
  type CallbackHandler,
  type CallbackObserver,
  type RouteState,
} from './route.js'

export type { CallbackHandler, CallbackObserver, HandlerContext } from './route.js'

/** Options of {@link presendPlugin}. */
export interface PresendPluginOptions {
  /** The pipeline that decides before-send messages. The plugin owns it from now on: it closes it on swap and on app close. */
  pipeline: Pipeline
  /** Where Tencent POSTs the callbacks. Default `/`. */
  path?: string
  /** The callback token from Tencent's console; with it, `Sign` and `RequestTime` are required and checked. */
  token?: string
  /** How far `RequestTime` may be from now, in seconds. Default 60 (Tencent's advice). */
  maxSkewSeconds?: number
  /** This app's SDKAppID; with it, a request carrying another `SdkAppid` gets 403. */
  sdkAppId?: number
  /** Largest body accepted, in bytes. Default 16384: a little above Tencent's 12 KB message limit. */
  bodyLimit?: number
  /**
   * Handlers for commands presend does not decide (Tencent posts every callback to one URL), by
   * `CallbackCommand`. Commands without a handler are answered OK at once.
   */
  handlers?: Readonly<Record<string, CallbackHandler>>
  /** One info log line per callback (decision, deciding plugin, trace). Default false: it costs throughput. */
  logRequests?: boolean
  /** Add the message's texts to that line. Default false: message text is personal data. */
  logMessageText?: boolean
  /** A prom-client Registry to record presend's metrics in, or false (the default) for none. */
  metrics?: Registry | false
  /**
   * Authentication failures (401, 403) are logged once per this many ms: the first at once, then one line
   * with the count and a sample. Default 10000.
   */
  logIntervalMs?: number
}

/** `app.presend`: the pipeline in service, and the means to change it at run time. */
export interface PresendControl {
  /** The pipeline deciding messages now. */
  readonly pipeline: Pipeline
  /** The metrics being recorded, when a Registry was given. */
  readonly metrics: PresendMetrics | undefined
  /** The auth settings in force. */
  readonly auth: Readonly<AuthSettings>
  /**
   * Put `next` in service at once; the previous pipeline finishes the runs it started, then is closed.
   * Resolves once it is closed.
   */
  swap(next: Pipeline): Promise<void>
  /** Change the auth settings (token, maxSkewSeconds, sdkAppId) for the requests that come next. */
  setAuth(settings: Partial<AuthSettings>): void
  /**
   * Be told of every callback the pipeline answers (after the reply is made; it must not throw), or stop
   * with `undefined`. One listener at a time: the console's live view.
   */
  observe(observer: CallbackObserver | undefined): void
}

declare module 'fastify' {
  interface FastifyInstance {
    presend: PresendControl
  }
}

const DEFAULT_BODY_LIMIT = 16384
const DEFAULT_LOG_INTERVAL_MS = 10_000

function invalid(message: string): PresendError {
  return new PresendError('PRESEND_INVALID_SERVER_OPTIONS', message)
}

function isPipeline(value: unknown): value is Pipeline {
  const p = value as Partial<Pipeline> | null
  return typeof p === 'object' && p !== null && typeof p.run === 'function' && typeof p.runNow === 'function' && typeof p.close === 'function'
}

function checkAuthSettings(settings: AuthSettings): AuthSettings {
  if (settings.token !== undefined && (typeof settings.token !== 'string' || settings.token === '')) {
    throw invalid(`token must be a non-empty string (the callback token from Tencent's console); got ${JSON.stringify(settings.token)}.`)
  }
  if (!Number.isInteger(settings.maxSkewSeconds) || settings.maxSkewSeconds <= 0) {
    throw invalid(`maxSkewSeconds must be a positive whole number of seconds (Tencent advises 60); got ${JSON.stringify(settings.maxSkewSeconds)}.`)
  }
  if (settings.sdkAppId !== undefined && (!Number.isInteger(settings.sdkAppId) || settings.sdkAppId <= 0)) {
    throw invalid(`sdkAppId must be your app's SDKAppID, a positive integer; got ${JSON.stringify(settings.sdkAppId)}.`)
  }
  return Object.freeze({ ...settings })
}

/** Validate the options into the route's state. Throws `PRESEND_INVALID_SERVER_OPTIONS` naming the bad option. */
function stateFrom(options: PresendPluginOptions, log: FastifyBaseLogger): RouteState & { path: string } {
  if (!isPipeline(options?.pipeline)) {
    throw invalid('pipeline must be a pipeline built with createPipeline() (or createPipelineFromConfig()); pass it as { pipeline }.')
  }
  const path = options.path ?? '/'
  if (typeof path !== 'string' || !path.startsWith('/')) throw invalid(`path must start with "/"; got ${JSON.stringify(path)}.`)
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1) {
    throw invalid(`bodyLimit must be a positive number of bytes (default ${DEFAULT_BODY_LIMIT}); got ${JSON.stringify(bodyLimit)}.`)
  }
  const logIntervalMs = options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS
  if (!Number.isInteger(logIntervalMs) || logIntervalMs < 1) {
    throw invalid(`logIntervalMs must be a positive number of milliseconds (default ${DEFAULT_LOG_INTERVAL_MS}); got ${JSON.stringify(logIntervalMs)}.`)
  }
  const handlers = new Map<string, CallbackHandler>()
  for (const [command, handler] of Object.entries(options.handlers ?? {})) {
    if (isBeforeSendCommand(command)) {
      throw invalid(`handlers["${command}"]: the pipeline decides ${command}; add a plugin to the pipeline instead of a handler.`)
    }
    if (typeof handler !== 'function') throw invalid(`handlers["${command}"] must be a function (body, ctx) => reply | undefined.`)
    handlers.set(command, handler)
  }
  const metrics = options.metrics ? createMetrics(options.metrics) : undefined
  return {
    path,
    slot: new PipelineSlot(options.pipeline),
    auth: checkAuthSettings({ token: options.token, maxSkewSeconds: options.maxSkewSeconds ?? 60, sdkAppId: options.sdkAppId }),
    metrics,
    handlers,
    logRequests: options.logRequests === true,
    logMessageText: options.logMessageText === true,
    bodyLimit,
    authFailures: new RateLimitedLog(log, logIntervalMs, 'authentication failures'),
  }
}

async function closeQuietly(app: FastifyInstance, pipeline: Pipeline): Promise<void> {
  try {
    await pipeline.close()
  } catch (err) {
    app.log.warn({ err }, 'a retired pipeline failed to close')
  }
}

const plugin: FastifyPluginAsync<PresendPluginOptions> = async (app, options) => {
  const { path, ...state } = stateFrom(options, app.log)
  const routeState: RouteState = state
  let closed = false
  routeState.metrics?.bindPlugins(routeState.slot.pipeline.names)

  const control: PresendControl = {
    get pipeline() {
      return routeState.slot.pipeline
    },
    metrics: routeState.metrics,
    get auth() {
      return routeState.auth
    },
    async swap(next) {
      if (!isPipeline(next)) throw invalid('swap(next): next must be a pipeline built with createPipeline().')
      const old = routeState.slot
      if (old.pipeline === next) return
      if (closed) {
        // The app is shutting down: nothing will run `next`, so close it rather than leak it.
        await closeQuietly(app, next)
        return
      }
      routeState.slot = new PipelineSlot(next)
      routeState.metrics?.bindPlugins(next.names)
      await old.drain()
      await closeQuietly(app, old.pipeline)
    },
    setAuth(settings) {
      routeState.auth = checkAuthSettings({ ...routeState.auth, ...settings })
    },
    observe(observer) {
      routeState.observer = observer
    },
  }
  app.decorate('presend', control)

  app.addHook('onClose', async () => {
    closed = true
    routeState.authFailures.flush()
    await routeState.slot.drain()
    await closeQuietly(app, routeState.slot.pipeline)
  })

  // A child scope: the JSON parser (for any Content-Type) and the error handler apply to the callback route only.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    // The route's onRequest hook sets every request's Content-Type to this one (see createOnRequest).
    // Fastify's own JSON parser with poisoning checks off: JSON.parse keeps `__proto__` as own data, which an edited reply must send back.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, callbackJsonParser(scope.getDefaultJsonParser('ignore', 'ignore')))
    scope.setErrorHandler(createErrorHandler(routeState))
    scope.route({
      method: 'POST',
      url: path,
      bodyLimit: routeState.bodyLimit,
      schema: { response: { 200: replyJsonSchema, '4xx': errorReplyJsonSchema } },
      onRequest: createOnRequest(routeState),
      handler: createHandler(routeState),
    })
  })
}

/**
 * The presend Fastify plugin (Fastify 5). Register it with a pipeline; see {@link PresendPluginOptions}.
 * Throws `PRESEND_INVALID_SERVER_OPTIONS` at registration when an option is unusable.
 */
export const presendPlugin = fp(plugin, { fastify: '5.x', name: 'presend' })

export default presendPlugin
