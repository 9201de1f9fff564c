/**
 * The bundled server's configuration: one JSON (or `.js` / `.mjs`) file validated with zod, overlaid by
 * environment variables and command-line flags, with an embedded default so `npm start` serves with no file.
 *
 * Precedence, highest first: flags (`overrides`) → environment (`PORT`, `HOST`, `PRESEND_TOKEN`,
 * `PRESEND_METRICS_TOKEN`, `PRESEND_MAX_CONNECTIONS`, `PRESEND_REDIS_URL`) → the file →
 * defaults. Every error is a {@link PresendError} whose sentence names the file, the bad key and what was expected.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { PresendError, formatZodIssues } from '../core/errors.js'
import { pipelineOptionsSchema, pluginSettingsSchema } from '../core/pipeline/build.js'
import type { Scope } from '../core/pipeline/index.js'
import { locateJsonError } from './json-syntax.js'

const serverSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0').describe('Address to listen on (HOST and --host beat it).'),
  port: z.number().int().min(0).max(65535).default(8080).describe('Port to listen on; 0 picks a free port (PORT and --port beat it).'),
  path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).default('/').describe('The callback URL path registered in the Chat console.'),
  /** A little above Tencent's 12 KB message limit, so a full message with its envelope fits. */
  bodyLimit: z.number().int().min(1024).default(16384).describe('Request body limit in bytes.'),
  /**
   * Each connection holds a file descriptor; keep this under the process's limit (`ulimit -n`, often 1024 by
   * default) with room for files. At the cap the connection idle longest makes way for a new one.
   */
  maxConnections: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('Most open connections (PRESEND_MAX_CONNECTIONS beats it). At the cap a new connection replaces the one idle longest; only when all are busy is it refused. Keep it under the file-descriptor limit (ulimit -n).'),
  /** Tencent keeps connections alive and sends again within seconds under load; 72 s (Fastify's) lets idle sockets pile up. */
  keepAliveTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(10_000)
    .describe('How long an idle keep-alive connection stays open between requests, in ms.'),
  /** Tencent sends a request's headers in one go; a client still sending them after this is stalling. */
  headersTimeoutMs: z
    .number()
    .int()
    .min(100)
    .default(3000)
    .describe('How long a request may take to send its headers, in ms (at most requestTimeoutMs); then 408 and close. Checked every headersTimeoutMs / 3, at most once a second.'),
  requestTimeoutMs: z
    .number()
    .int()
    .min(100)
    .default(5000)
    .describe('How long a request may take to arrive whole, in ms (Tencent gives up after 2 s); then 408 and close. Checked every headersTimeoutMs / 3, at most once a second.'),
  maxRequestsPerSocket: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Requests served on one connection before its reply says Connection: close and the server closes it (0: no limit), so connections are renewed and spread again over workers and balancers.'),
  /** Tencent gives up after 2 s; a worker silent for longer than this is serving no one. */
  watchdogMs: z
    .number()
    .int()
    .min(0)
    .default(5000)
    .describe('With serve --workers: a worker whose event loop has not answered a heartbeat for this many ms is killed and replaced (0: off).'),
  /**
   * A request's own work is bounded by the pipeline deadline (at most 2 s, Tencent's budget), so whatever is
   * still open this long after a stop signal is a client that stopped sending mid-request; without a bound it
   * would hold the shutdown indefinitely (Node stops enforcing the request timeout once the server is closing).
   */
  shutdownGraceMs: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(5000)
    .describe('serve: how long after SIGTERM/SIGINT connections still open may hold the shutdown, in ms; then they are closed (clients that stopped sending mid-request).'),
}).refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
  error: 'headersTimeoutMs must not be more than requestTimeoutMs (the headers are part of the request)',
  path: ['headersTimeoutMs'],
})

const authSchema = z.strictObject({
  token: z.string().min(1).optional().describe('The callback token from the Chat console: requests must carry Sign = SHA-256(token + RequestTime). Prefer PRESEND_TOKEN, which beats it, to keep the secret out of the file.'),
  maxSkewSeconds: z.number().int().positive().default(60).describe('How far RequestTime may be from now, in seconds.'),
})

const { name: nameSetting, ...otherSettings } = pluginSettingsSchema.shape
const pluginEntrySchema = z.strictObject({
  use: z
    .string()
    .min(1, { error: 'expected a built-in plugin name, an npm package or a path like "./filters/x.js"' })
    .describe('A built-in plugin name, a filter pack (npm package; "pack#plugin" picks one of its plugins) or a path relative to this file ("./filters/x.js").'),
  name: nameSetting,
  options: z.unknown().optional().describe("The plugin's options, checked by its schema; for a pack of several plugins, keyed by plugin name."),
  ...otherSettings,
})

const loggingSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('The pino log level.'),
  /** A log line per request costs about half the throughput, so it is opt-in. */
  requests: z.boolean().default(false).describe('A log line per request (costs about half the throughput).'),
  /** Message text is personal data; it stays out of logs unless the operator asks. */
  messageText: z.boolean().default(false).describe('Let message text into logs (it is personal data; redacted by default).'),
  /** Any client can cause these lines at will; one line per interval keeps a flood out of the log. */
  repeatIntervalMs: z
    .number()
    .int()
    .min(1)
    .default(10_000)
    .describe('Lines a client can cause at will (401/403, connection limits) are written once per this many ms: the first at once, then one with the count and a sample.'),
})

const storeSchema = z.strictObject({
  redis: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected a Redis URL such as "redis://127.0.0.1:6379" (or rediss:// for TLS)' })
    .optional()
    .describe('A Redis URL (redis://[user:password@]host:port[/db], rediss:// for TLS) shared by every instance; PRESEND_REDIS_URL beats it. Without one, each instance keeps its own memory store.'),
  keyPrefix: z.string().default('presend:').describe('Put before every Redis key, so several apps can share one Redis.'),
  timeoutMs: z.number().int().min(1).max(2000).default(50).describe('A Redis call not answered in this many ms fails: the plugin answers by its fault policy.'),
})

const metricsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Serve Prometheus metrics.'),
  path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).default('/metrics').describe('Where the metrics are served.'),
  token: z
    .string()
    .min(1)
    .optional()
    .describe('A scrape must send "Authorization: Bearer <token>" (PRESEND_METRICS_TOKEN beats it). Without it, a scrape on the callback port needs the callback token (auth.token); on a separate operations port, none.'),
  /** A scrape renders every series; reusing it for a second keeps a scrape flood from starving callbacks. */
  cacheMs: z.number().int().min(0).max(60_000).default(1000).describe('How long a rendered scrape is reused, in ms (0: render every scrape).'),
})

const operationsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Address of the operations listener (default loopback only).'),
  port: z
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('When set, /healthz and the metrics are served on this port (0 picks a free one) and no longer on the callback port.'),
})

const consoleSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Serve the moderation console (a page to try messages, see hits and watch decisions). Off by default.'),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/, { error: 'expected a path like "/console": starting with "/", without a trailing "/"' })
    .default('/console')
    .describe('Where the console is served.'),
  token: z.string().min(8).optional().describe("The console's own credential (at least 8 characters); without it, the callback token (auth.token) signs in. One of them must be set."),
})

/** One entry of `plugins`: which plugin to run and how. */
export interface PluginConfig {
  /** A built-in name (`profanity`), an npm package (`presend-pack-x`, `pack#plugin`) or a path (`./f.js`). */
  use: string
  /** Name in the pipeline (default: the plugin's own); lets one plugin run twice. */
  name?: string
  /** The plugin's options; validated by its schema. */
  options?: unknown
  /** Overrides `pipeline.onFault` for this plugin. */
  onFault?: 'allow' | 'reject'
  /** This plugin's own budget in ms (never more than what is left of `pipeline.deadlineMs`). */
  timeoutMs?: number
  /** Run only where every dimension named matches. */
  only?: Scope
  /** Skip where any dimension named matches. */
  except?: Scope
  /** What an edit of a callback that cannot be rewritten means: `refuse` (default) or `ignore`. */
  blockOnly?: 'refuse' | 'ignore'
}

/** The validated configuration, defaults applied. */
export interface PresendConfig {
  server: {
    host: string
    port: number
    path: string
    bodyLimit: number
    maxConnections: number
    keepAliveTimeoutMs: number
    headersTimeoutMs: number
    requestTimeoutMs: number
    maxRequestsPerSocket: number
    watchdogMs: number
    shutdownGraceMs: number
  }
  auth: { token?: string; maxSkewSeconds: number }
  sdkAppId?: number
  pipeline: z.output<typeof pipelineOptionsSchema>
  plugins: PluginConfig[]
  logging: { level: string; requests: boolean; messageText: boolean; repeatIntervalMs: number }
  metrics: { enabled: boolean; path: string; token?: string; cacheMs: number }
  operations: { host: string; port?: number }
  /** Where plugins keep state: memory (the default) or a shared Redis. */
  store: { redis?: string; keyPrefix: string; timeoutMs: number }
  console: { enabled: boolean; path: string; token?: string }
}

/** The plugins that serve when the configuration names none: profanity (bundled lists, mask) and links (replace). */
export const DEFAULT_PLUGINS: readonly PluginConfig[] = Object.freeze([
  Object.freeze({ use: 'profanity', options: Object.freeze({ action: 'mask' }) }),
  Object.freeze({ use: 'links', options: Object.freeze({ action: 'replace' }) }),
])

/**
 * The zod schema of the configuration file. Objects are strict, so a mistyped key is an error that names it.
 * A file without `plugins` gets {@link DEFAULT_PLUGINS}; `"plugins": []` runs none.
 *
 * @example configSchema.parse({ server: { port: 9000 } }).server.host // '0.0.0.0'
 */
export const configSchema = z.strictObject({
  /** Lets editors attach a JSON Schema; ignored. */
  $schema: z.string().optional().describe('The JSON Schema editors check this file with (presend init writes it); ignored by presend.'),
  server: serverSchema.prefault({}).describe('Where and how the callback is served.'),
  auth: authSchema.prefault({}).describe('Callback authentication (Sign and RequestTime).'),
  sdkAppId: z.number().int().positive().optional().describe("When set, another app's requests get 403."),
  pipeline: pipelineOptionsSchema.prefault({}).describe('The run: its time budget, its fault policy, the app JSON that is user text, and the most text checked.'),
  plugins: z
    .array(pluginEntrySchema)
    .default(() => DEFAULT_PLUGINS.map((p) => ({ ...p })))
    .describe('The plugins in run order. Without this key: profanity (mask) then links (replace); [] runs none.'),
  logging: loggingSchema.prefault({}).describe('Logging (pino).'),
  metrics: metricsSchema.prefault({}).describe('Prometheus metrics.'),
  operations: operationsSchema.prefault({}).describe('A separate listener for /healthz and the metrics, off the callback port.'),
  store: storeSchema.prefault({}).describe('Where plugins such as rate-limit keep state: memory (one instance) or a Redis every instance shares.'),
  console: consoleSchema.prefault({}).describe('The moderation console in the browser.'),
})

function stripSchemaKey(parsed: z.output<typeof configSchema>): PresendConfig {
  const { $schema: _ignored, ...config } = parsed
  return config
}

/**
 * The embedded default configuration: port 8080 on all interfaces, no auth, profanity with the bundled
 * lists (mask) and links (replace).
 */
export const defaultConfig: PresendConfig = deepFreeze(stripSchemaKey(configSchema.parse({})))

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** The file names looked for in the working directory, in order, when no file is named. */
export const CONFIG_FILE_NAMES = ['presend.config.json', 'presend.config.mjs', 'presend.config.js'] as const

/** Flags from the command line; they beat the environment and the file. */
export interface ConfigOverrides {
  port?: number
  host?: string
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** A config file (`--config`); relative to `cwd`. Beats `PRESEND_CONFIG`. */
  file?: string
  /** Where `presend.config.json` is looked for and relative paths start. Default `process.cwd()`. */
  cwd?: string
  /** Environment to read `PORT`, `HOST`, `PRESEND_CONFIG`, `PRESEND_TOKEN`, `PRESEND_METRICS_TOKEN`, `PRESEND_MAX_CONNECTIONS` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Command-line flags, applied last. */
  overrides?: ConfigOverrides
}

/** What {@link loadConfig} found. */
export interface LoadedConfig {
  config: PresendConfig
  /** Absolute path of the file read, or `undefined` when the embedded default serves. */
  file: string | undefined
  /** Folder that relative paths in the config resolve against: the file's folder, else `cwd`. */
  baseDir: string
}

/**
 * Find, read, validate and overlay the configuration.
 *
 * @example
 * const { config, baseDir } = await loadConfig({ file: 'presend.config.json', overrides: { port: 9000 } })
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const env = opts.env ?? process.env
  const named = opts.file ?? nonEmpty(env.PRESEND_CONFIG)
  let file: string | undefined
  if (named !== undefined) {
    file = path.resolve(cwd, named)
    if (!existsSync(file)) {
      const from = opts.file !== undefined ? '--config' : 'PRESEND_CONFIG'
      throw new PresendError(
        'PRESEND_CONFIG_NOT_FOUND',
        `Config file ${file} (from ${from}) does not exist; check the path, or leave it out to use presend.config.json in ${cwd} or the embedded default.`,
      )
    }
  } else {
    file = CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).find((candidate) => existsSync(candidate))
  }

  const raw = file === undefined ? {} : await readConfigFile(file)
  const config = validateConfig(raw, file === undefined ? 'the embedded default' : file)
  applyEnvironment(config, env)
  if (opts.overrides?.port !== undefined) config.server.port = checkPort(opts.overrides.port, '--port')
  if (opts.overrides?.host !== undefined) config.server.host = checkHost(opts.overrides.host, '--host')
  return { config, file, baseDir: file === undefined ? cwd : path.dirname(file) }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** Read a `.json` file, or import a `.js` / `.mjs` / `.cjs` file's default export. */
async function readConfigFile(file: string): Promise<unknown> {
  const ext = path.extname(file)
  if (ext === '.json') {
    // Editors on Windows may save a byte order mark, which JSON.parse refuses.
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '')
    try {
      return JSON.parse(text) as unknown
    } catch (err) {
      const at = locateJsonError(text, err as Error)
      throw new PresendError(
        'PRESEND_INVALID_CONFIG',
        `Config file ${file} is not valid JSON: line ${at.line}, column ${at.column}: ${at.reason}. Fix the syntax (JSON allows no comments or trailing commas):\n${at.excerpt}`,
        { cause: err, details: { line: at.line, column: at.column } },
      )
    }
  }
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    // A query string defeats the ESM cache, so SIGHUP re-reads an edited file instead of the first version.
    const url = `${pathToFileURL(file).href}?presend-load=${Date.now()}-${Math.random()}`
    let mod: { default?: unknown }
    try {
      mod = (await import(url)) as { default?: unknown }
    } catch (err) {
      throw new PresendError(
        'PRESEND_INVALID_CONFIG',
        `Config file ${file} failed to load: ${(err as Error)?.message ?? String(err)}.`,
        { cause: err },
      )
    }
    if (typeof mod.default !== 'object' || mod.default === null) {
      throw new PresendError(
        'PRESEND_INVALID_CONFIG',
        `Config file ${file} must export the configuration object as its default export (export default { plugins: [...] }).`,
      )
    }
    return mod.default
  }
  throw new PresendError(
    'PRESEND_INVALID_CONFIG',
    `Config file ${file} has an unsupported extension "${ext}"; use .json, .js or .mjs.`,
  )
}

/**
 * Validate a raw configuration object and apply the defaults. `source` names where it came from in errors.
 *
 * @example validateConfig({ server: { prot: 80 } }, 'x.json')
 * // throws PRESEND_INVALID_CONFIG: Invalid config in x.json: server.prot: unknown key (did you mean "port"?) …
 */
export function validateConfig(raw: unknown, source = 'the configuration'): PresendConfig {
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    throw new PresendError(
      'PRESEND_INVALID_CONFIG',
      `Invalid config in ${source}: ${formatConfigIssues(parsed.error)}.`,
      { details: parsed.error.issues },
    )
  }
  // The schema returns fresh objects (defaults included), so the caller may overlay env and flags on them.
  return stripSchemaKey(parsed.data)
}

/** One clause per issue; unknown keys list the keys allowed there, with a suggestion for a likely typo. */
export function formatConfigIssues(error: z.ZodError): string {
  // zod's "Invalid input: " prefix tells someone editing a config file nothing.
  const issues = error.issues.map((issue) => ({ ...issue, message: issue.message.replace(/^Invalid input: /, '') }))
  return formatZodIssues(new z.ZodError(issues), '', configSchema)
}

function applyEnvironment(config: PresendConfig, env: NodeJS.ProcessEnv): void {
  const port = nonEmpty(env.PORT)
  if (port !== undefined) config.server.port = checkPort(port, 'PORT')
  const host = nonEmpty(env.HOST)
  if (host !== undefined) config.server.host = host
  const token = nonEmpty(env.PRESEND_TOKEN)
  if (token !== undefined) config.auth.token = token
  const metricsToken = nonEmpty(env.PRESEND_METRICS_TOKEN)
  if (metricsToken !== undefined) config.metrics.token = metricsToken
  const maxConnections = nonEmpty(env.PRESEND_MAX_CONNECTIONS)
  if (maxConnections !== undefined) {
    if (!/^\d{1,9}$/.test(maxConnections.trim()) || Number(maxConnections) < 1) {
      throw new PresendError(
        'PRESEND_INVALID_CONFIG',
        `PRESEND_MAX_CONNECTIONS is ${JSON.stringify(maxConnections)}; expected a whole number of connections of at least 1 (keep it under ulimit -n).`,
      )
    }
    config.server.maxConnections = Number(maxConnections)
  }
  const redis = nonEmpty(env.PRESEND_REDIS_URL)
  if (redis !== undefined) config.store.redis = validateConfig({ store: { redis } }, 'PRESEND_REDIS_URL').store.redis as string
}

/** Validate a port from the environment or a flag, naming its source. */
export function checkPort(value: string | number, source: string): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new PresendError(
      'PRESEND_INVALID_CONFIG',
      `${source} is ${JSON.stringify(value)}; expected a port number from 0 to 65535 (0 picks a free port).`,
    )
  }
  return n
}

function checkHost(value: string, source: string): string {
  if (value === '') {
    throw new PresendError('PRESEND_INVALID_CONFIG', `${source} is empty; expected a host name or address such as 127.0.0.1 or 0.0.0.0.`)
  }
  return value
}
