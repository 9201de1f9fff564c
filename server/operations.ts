/**
 * The operations endpoints, `GET /healthz` and `GET <metrics.path>`, kept off the callback's hot path.
 *
 * A Prometheus scrape renders every series (about a millisecond of CPU); open to anyone on the callback port,
 * a 32-connection `/metrics` flood cut callback throughput from ~10,600/s to 58/s, and the text shows plugin
 * names, versions and memory. So: a rendered scrape is reused for `metrics.cacheMs` (concurrent scrapes
 * share one rendering), `/metrics` asks for a bearer token wherever one is configured, and both endpoints
 * can move to their own listener (`operations.port`), such as `127.0.0.1:9091`.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { secretsEqual } from './auth.js'
import { errorReply } from './http-errors.js'
import type { RateLimitedLog } from './log-limiter.js'

/** What {@link registerOperations} serves and how. */
export interface OperationsOptions {
  /** The metrics to serve, or undefined when `metrics.enabled` is off. */
  registry: Registry | undefined
  /** Where the metrics are served (`metrics.path`). */
  metricsPath: string
  /** How long a rendered scrape is reused, in ms; 0 renders every scrape. */
  cacheMs: number
  /** The token a scrape must carry as `Authorization: Bearer <token>`, read per scrape (reload may change it); undefined for none. */
  token: () => string | undefined
  /** True once the server is shutting down: `/healthz` then answers 503. */
  closing: () => boolean
  /** Where refused scrapes are logged, once per interval. */
  refusals: RateLimitedLog
}

/**
 * Whether the `Authorization` header carries `token`, compared in constant time ({@link secretsEqual}).
 * @example bearerMatches('Bearer s3cret', 's3cret') // true
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : ''
  return secretsEqual(given, token)
}

/**
 * `registry.metrics()`, reused for `cacheMs` after each rendering; scrapes that arrive while one renders
 * wait for it rather than starting their own.
 */
function cachedMetrics(registry: Registry, cacheMs: number): () => Promise<string> {
  let rendered: { text: string; at: number } | undefined
  let pending: Promise<string> | undefined
  return () => {
    if (rendered !== undefined && performance.now() - rendered.at < cacheMs) return Promise.resolve(rendered.text)
    pending ??= registry.metrics().then(
      (text) => {
        rendered = { text, at: performance.now() }
        pending = undefined
        return text
      },
      /* c8 ignore next 4 -- prom-client rejects only when a collect() callback throws; presend's do not */
      (err: unknown) => {
        pending = undefined
        throw err
      },
    )
    return pending
  }
}

/**
 * Add `/healthz` and the metrics route to `app` (the callback app, or the operations listener).
 * @example registerOperations(app, { registry, metricsPath: '/metrics', cacheMs: 1000, token: () => undefined, closing: () => false, refusals })
 */
export function registerOperations(app: FastifyInstance, opts: OperationsOptions): void {
  app.get('/healthz', (_request, reply) => {
    if (opts.closing()) void reply.code(503).send({ status: 'closing' })
    else void reply.send({ status: 'ok' })
  })
  const registry = opts.registry
  if (registry === undefined) return
  const render = cachedMetrics(registry, opts.cacheMs)
  app.get(opts.metricsPath, async (request, reply) => {
    const token = opts.token()
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      const message = `${opts.metricsPath} needs the header "Authorization: Bearer <token>" with metrics.token (or, on the callback port, the callback token); set it in the scraper's config.`
      opts.refusals.hit({ code: 'PRESEND_METRICS_UNAUTHORIZED', statusCode: 401 }, message, request.log)
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorReply(401, 'PRESEND_METRICS_UNAUTHORIZED', message))
    }
    return reply.type(registry.contentType).send(await render())
  })
}
