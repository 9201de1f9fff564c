/**
 * The moderation console: a page served under one path (default `/console`) to try a message against the
 * pipeline in service and see every hit, check many lines at once, read the pipeline, reload it, and watch
 * what is being refused, dropped and edited as it happens.
 *
 * The page is plain HTML, one small JavaScript module and one stylesheet, written here and shipped in the
 * package: no framework and no build step, because the page is four forms and two lists — a framework would
 * be the largest thing in it, would need a bundler to ship offline, and would churn faster than the rest of
 * presend. Every asset is served from this folder (no CDN), under a Content-Security-Policy that allows
 * nothing inline.
 *
 * Register it after the presend plugin (it reads `app.presend`); `buildServer()` does so when
 * `console.enabled` is true. Nothing of it exists otherwise, and the callback route's only cost is one
 * check that no one observes it.
 *
 * @example
 * await app.register(presendPlugin, { pipeline, token })
 * await app.register(consolePlugin, { path: '/console', token: process.env.CONSOLE_TOKEN })
 * @module
 */
import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'
import { isPresendError, PresendError } from '../../core/errors.js'
import type { JsonTextRule } from '../../core/json-text.js'
import type { RunResult, TraceEntry } from '../../core/pipeline/index.js'
import { SLOT_KINDS } from '../../core/slots.js'
import { compileRedactor } from '../redact.js'
import { inspect, INSPECT_COMMANDS, requestOf } from '../inspect.js'
import { ConsoleAccess, type AccessOptions } from './access.js'
import { LiveFeed, type LiveEvent } from './live.js'

/** One entry of the pipeline view: how a plugin is configured (options with secrets redacted). */
export interface ConsolePluginEntry {
  use: string
  name?: string
  options?: unknown
  onFault?: string
  timeoutMs?: number
  only?: unknown
  except?: unknown
  blockOnly?: string
}

/** The outcome of a reload, as the console shows it. */
export type ConsoleReloadResult = { ok: true; plugins: readonly string[] } | { ok: false; error: Error }

/** Options of {@link consolePlugin}. */
export interface ConsoleOptions {
  /** Where the console is served. Default `/console`. */
  path?: string
  /** The console's own credential; without it, the callback token (`app.presend.auth.token`) signs in. */
  token?: string
  /** Keep message text in the live view. Default false: it is personal data (`logging.messageText`). */
  messageText?: boolean
  /** The pipeline's `jsonText` rules, so the texts the console lists are the ones the plugins read. */
  jsonText?: () => readonly JsonTextRule[]
  /** How the plugins are configured, for the pipeline view; without it, only their names in run order. */
  plugins?: () => readonly ConsolePluginEntry[]
  /** When the pipeline in service was built. Default: when the console was registered. */
  loadedAt?: () => Date
  /** Rebuild the pipeline (what SIGHUP does); without it, the reload button is not offered. */
  reload?: () => Promise<ConsoleReloadResult>
  /** Callbacks the live view keeps. Default 200. */
  liveSize?: number
  /** Sign-in limits and session length. */
  access?: AccessOptions
  /** Seconds between keep-alive comments on a live stream. Default 15. */
  heartbeatSeconds?: number
}

const ASSETS = new URL('./assets/', import.meta.url)
const FILES = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const

/** Nothing inline, nothing from elsewhere: the page's own script, stylesheet and API only. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
}
const COOKIE = 'presend_console'

/** Option keys that hold secrets in plugin options: shown as `[redacted]` in the pipeline view. */
const SECRET_KEYS = ['token', 'secret', 'password', 'apiKey', 'apikey', 'key', 'credentials', 'auth']
const redactSecrets = compileRedactor([...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)], '[redacted]')

const MAX_BATCH = 2000
const GROUP_TYPES = ['Public', 'Work', 'Meeting', 'AVChatRoom', 'Community']
const PLATFORMS = ['iOS', 'Android', 'Web', 'Windows', 'Mac', 'iPad', 'Unknown', 'RESTAPI']

const messageFields = {
  command: z.string().optional(),
  groupType: z.string().max(64).optional(),
  from: z.string().max(128).optional(),
  platform: z.string().max(32).optional(),
}
const inspectBody = z.strictObject({ text: z.string().max(65536).optional(), body: z.unknown().optional(), ...messageFields })
const batchBody = z.strictObject({ lines: z.array(z.string().max(4096)).min(1).max(MAX_BATCH), ...messageFields })
const loginBody = z.strictObject({ token: z.string().max(1024) })

function bad(message: string): PresendError {
  return new PresendError('PRESEND_BAD_REQUEST', message)
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw bad(`${issue.path.join('.') || 'the body'}: ${issue.message}; send JSON as the console page does.`)
  }
  return parsed.data
}

/** The run's facts from the form: the platform, when one is chosen. */
function metaOf(input: { platform?: string | undefined }): { platform?: string } {
  return input.platform === undefined || input.platform === '' ? {} : { platform: input.platform }
}

function cookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE) return value.join('=')
  }
  return undefined
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return header?.startsWith('Bearer ') === true ? header.slice(7) : undefined
}

/** What one plugin did to each line of a batch, counted. */
interface BatchCounts {
  plugin: string
  reject: number
  drop: number
  edit: number
  allow: number
  fault: number
  skipped: number
  /** Lines an earlier plugin refused or dropped before this one ran. */
  notReached: number
}

function batchSummary(names: readonly string[], results: readonly RunResult[]) {
  const counts = new Map<string, BatchCounts>(names.map((plugin) => [plugin, { plugin, reject: 0, drop: 0, edit: 0, allow: 0, fault: 0, skipped: 0, notReached: 0 }]))
  const lines = results.map((result, line) => {
    const outcomes: Record<string, TraceEntry['outcome'] | 'not-reached'> = {}
    for (const e of result.trace) {
      outcomes[e.plugin] = e.outcome
      const c = counts.get(e.plugin)
      if (c !== undefined) c[e.outcome]++
    }
    for (const name of names) {
      if (outcomes[name] === undefined) {
        outcomes[name] = 'not-reached'
        ;(counts.get(name) as BatchCounts).notReached++
      }
    }
    const decision: 'edit' | RunResult['decision'] = result.changed ? 'edit' : result.decision
    return { line, decision, decidedBy: result.decidedBy, outcomes }
  })
  const totals = { reject: 0, drop: 0, edit: 0, allow: 0 }
  for (const l of lines) totals[l.decision]++
  return { plugins: [...counts.values()], totals, lines }
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

async function consoleRoutes(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const path = options.path ?? '/console'
  if (typeof path !== 'string' || !/^\/.*[^/]$/.test(path)) {
    throw new PresendError('PRESEND_INVALID_SERVER_OPTIONS', `console path must start with "/" and not end with one (e.g. "/console"); got ${JSON.stringify(path)}.`)
  }
  const presend = app.presend
  const credential = (): string | undefined => options.token ?? presend.auth.token
  if (credential() === undefined) {
    throw new PresendError(
      'PRESEND_CONSOLE_NO_CREDENTIAL',
      'The console is enabled but has no credential: set "console": { "token": "…" } (8 characters or more) or the callback token ("auth.token" / PRESEND_TOKEN).',
    )
  }
  const access = new ConsoleAccess(credential, options.access)
  const feed = new LiveFeed({ ...(options.liveSize === undefined ? {} : { size: options.liveSize }), messageText: options.messageText === true })
  const registeredAt = new Date()
  const loadedAt = options.loadedAt ?? (() => registeredAt)
  // Read once at registration: the page is a few kilobytes and never changes while the server runs.
  const page = readFileSync(new URL('index.html', ASSETS), 'utf8')
  const files = Object.fromEntries(Object.keys(FILES).map((f) => [f, readFileSync(new URL(f, ASSETS), 'utf8')]))
  const streams = new Set<FastifyReply>()
  presend.observe((command, request, result) => feed.record(command, request, result))

  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(HEADERS)
    done()
  })
  app.addHook('preClose', (done) => {
    // Live streams never end on their own: close them, or the server's close would wait for them.
    presend.observe(undefined)
    for (const reply of streams) reply.raw.end()
    done()
  })
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
    const code = isPresendError(error) ? error.code : 'PRESEND_BAD_REQUEST'
    void reply.code(status).send({ code, message: error.message })
  })

  app.get(path, (_request, reply) => {
    void reply.redirect(`${path}/`)
  })
  app.get(`${path}/`, (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(page)
  })
  for (const [file, type] of Object.entries(FILES)) {
    app.get(`${path}/${file}`, (_request, reply) => {
      void reply.type(type).send(files[file])
    })
  }

  const api = `${path}/api`
  app.post(`${api}/login`, (request, reply) => {
    const wait = access.retryAfter(request.ip)
    if (wait > 0) {
      void reply.code(429).header('retry-after', String(wait)).send({ code: 'PRESEND_CONSOLE_RATE_LIMITED', message: `Too many failed sign-ins from this address; try again in ${wait} s.` })
      return
    }
    const { token } = parse(loginBody, request.body)
    if (!access.matches(token)) {
      access.failed(request.ip)
      void reply.code(401).send({ code: 'PRESEND_CONSOLE_UNAUTHORIZED', message: 'That is not the console token (console.token, or the callback token when none is set).' })
      return
    }
    const secure = request.protocol === 'https' ? '; Secure' : ''
    void reply
      .header('set-cookie', `${COOKIE}=${access.open(request.ip)}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${access.sessionSeconds}${secure}`)
      .code(204)
      .send()
  })

  // Every other API route needs a session, or the token itself as a bearer credential (for scripts).
  const guard = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (access.valid(cookieOf(request))) {
      done()
      return
    }
    const bearer = bearerOf(request)
    const wait = access.retryAfter(request.ip)
    if (bearer !== undefined && wait === 0) {
      if (access.matches(bearer)) {
        done()
        return
      }
      access.failed(request.ip)
    }
    if (wait > 0) void reply.header('retry-after', String(wait))
    void reply
      .code(wait > 0 ? 429 : 401)
      .send(wait > 0
        ? { code: 'PRESEND_CONSOLE_RATE_LIMITED', message: `Too many failed sign-ins from this address; try again in ${wait} s.` }
        : { code: 'PRESEND_CONSOLE_UNAUTHORIZED', message: 'Sign in to the console first (console.token, or the callback token when none is set).' })
  }

  app.post(`${api}/logout`, { onRequest: guard }, (request, reply) => {
    access.close(cookieOf(request))
    void reply.header('set-cookie', `${COOKIE}=; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=0`).code(204).send()
  })

  app.get(`${api}/meta`, { onRequest: guard }, () => ({
    commands: INSPECT_COMMANDS,
    groupTypes: GROUP_TYPES,
    platforms: PLATFORMS,
    slotKinds: SLOT_KINDS,
    reload: options.reload !== undefined,
    messageText: options.messageText === true,
  }))

  app.post(`${api}/inspect`, { onRequest: guard }, async (request) => {
    const input = parse(inspectBody, request.body)
    return inspect(presend.pipeline, requestOf(input), { meta: metaOf(input), jsonText: options.jsonText?.() ?? [] })
  })

  app.post(`${api}/batch`, { onRequest: guard, bodyLimit: 1 << 20 }, async (request) => {
    const input = parse(batchBody, request.body)
    const pipeline = presend.pipeline
    const meta = metaOf(input)
    const results: RunResult[] = []
    for (const text of input.lines) results.push(await pipeline.run(requestOf({ ...input, text }), meta))
    return batchSummary(pipeline.names, results)
  })

  const describe = () => ({
    names: presend.pipeline.names,
    deadlineMs: presend.pipeline.deadlineMs,
    onFault: presend.pipeline.onFault,
    loadedAt: loadedAt().toISOString(),
    plugins: options.plugins?.().map((entry) => (entry.options !== null && typeof entry.options === 'object' && !Array.isArray(entry.options)
      ? { ...entry, options: redactSecrets(entry.options as Record<string, unknown>) }
      : entry)),
    reload: options.reload !== undefined,
  })
  app.get(`${api}/pipeline`, { onRequest: guard }, describe)

  app.post(`${api}/reload`, { onRequest: guard }, async (_request, reply) => {
    if (options.reload === undefined) throw bad('This console was mounted without a reload function; reload the pipeline where it was built.')
    const result = await options.reload()
    if (!result.ok) {
      void reply.code(422)
      return { ok: false, code: isPresendError(result.error) ? result.error.code : undefined, message: result.error.message, pipeline: describe() }
    }
    return { ok: true, pipeline: describe() }
  })

  app.get(`${api}/live`, { onRequest: guard }, (request, reply) => {
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, { ...HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' })
    raw.write(sse('snapshot', { events: feed.recent(), chart: feed.chart() }))
    const unsubscribe = feed.subscribe((event: LiveEvent) => {
      raw.write(sse('decision', { event, chart: feed.chart() }))
    })
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), (options.heartbeatSeconds ?? 15) * 1000)
    heartbeat.unref()
    streams.add(reply)
    request.raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(reply)
    })
  })
}

/**
 * The console as a Fastify plugin. Register it after {@link presendPlugin}; see {@link ConsoleOptions}.
 * Throws `PRESEND_CONSOLE_NO_CREDENTIAL` when neither `token` nor the callback token is set.
 */
export const consolePlugin = fp(
  async (app: FastifyInstance, options: ConsoleOptions) => {
    // A child scope: the console's headers, hooks and error handler touch none of the app's other routes.
    await app.register(async (scope) => consoleRoutes(scope, options))
  },
  { fastify: '5.x', name: 'presend-console', dependencies: ['presend'] },
)

export default consolePlugin
