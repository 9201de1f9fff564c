/**
 * `presend serve`: build the server, listen, and run until a stop signal — with SIGHUP and `--watch`
 * reloading the configuration and word lists without dropping a request.
 *
 * @module
 */
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PresendError } from '../../core/errors.js'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from '../config.js'
import { createPipelineFromConfig } from '../resolve.js'
import { CONFIG_OPTION, loadOptions, type CliCommand } from './command.js'
import { UsageError, type CliIO } from './io.js'

/** Edits arrive as bursts of events (write, chmod, rename); one reload per burst is enough. */
const WATCH_DEBOUNCE_MS = 150
/** How often a shutting-down server closes connections that went idle after answering. */
const SWEEP_MS = 50

/**
 * The `serve` command: one server process, or `--workers N` of them sharing the port.
 * @example await serveCommand.run({ values: { port: '9000' }, positionals: [], argv: ['--port', '9000'] }, defaultIO())
 */
export const serveCommand: CliCommand = {
  summary: 'serve the callback over HTTP (what "npm start" runs)',
  help: `Usage: presend serve [--config FILE] [--port N] [--host H] [--watch] [--workers N]

Serve the before-send callback over HTTP until SIGTERM or SIGINT (then finish in-flight requests, exit 0).
SIGHUP reloads the configuration and word lists: the new pipeline is built first and swapped in; when it
fails, the running one keeps serving and the error is logged.

Options:
  -c, --config FILE  configuration file (default: presend.config.json in the working directory)
  -p, --port N       port to listen on (beats PORT and server.port; 0 picks a free port)
      --host H       address to listen on (beats HOST and server.host)
  -w, --watch        reload when the config file, a local plugin file or a file named in plugin options changes
      --workers N    run N server processes sharing the port (node:cluster; default 1). The primary checks the
                     config once, relays SIGTERM/SIGINT/SIGHUP to the workers and restarts one that dies,
                     or whose event loop is blocked longer than server.watchdogMs (default 5000)
  -h, --help         show this help
`,
  options: {
    ...CONFIG_OPTION,
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    watch: { type: 'boolean', short: 'w' },
    workers: { type: 'string' },
  },
  positionals: false,
  async run({ values, argv }, cli) {
    const load = loadOptions(values, cli)
    if (typeof values.port === 'string') load.overrides = { ...load.overrides, port: parsePort(values.port) }
    if (typeof values.host === 'string') load.overrides = { ...load.overrides, host: values.host }
    if (typeof values.workers === 'string') {
      const workers = parseWorkers(values.workers)
      if (workers > 1) {
        // Fail fast, once, on a configuration that cannot serve, rather than in a loop of dying workers.
        const loaded = await loadConfig(load)
        await (await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })).close()
        const { serveCluster } = await import('./cluster.js')
        return await serveCluster(workers, withoutWorkers(argv), cli, loaded.config.server.watchdogMs)
      }
    }
    return serve(load, { watch: values.watch === true }, cli)
  },
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port "${value}" is not a port number (0–65535).`)
  return Number(value)
}

function parseWorkers(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64) {
    throw new UsageError(`--workers "${value}" is not a number of processes (1–64; one per core is the usual choice).`)
  }
  return Number(value)
}

/**
 * The serve command line as a worker gets it: everything but `--workers N` / `--workers=N`.
 * @example withoutWorkers(['--workers', '2', '--port', '8080']) // ['--port', '8080']
 */
export function withoutWorkers(args: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--workers') i++
    else if (!arg.startsWith('--workers=')) out.push(arg)
  }
  return out
}

/**
 * A listen failure the user can fix (the port is taken, not permitted, or the host is not ours), said so.
 * @example await app.listen({ host, port }).catch((err) => { throw listenError(err, host, port) })
 */
export function listenError(err: unknown, host: string, port: number, key: 'server.port' | 'operations.port' = 'server.port'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const at = `${host}:${port}`
  const fix = key === 'server.port' ? 'choose another with --port, PORT or server.port' : 'choose another operations.port'
  const hostFix = key === 'server.port' ? 'use --host, HOST or server.host' : 'use another operations.host'
  const why =
    code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (another presend, or another server); stop it or ${fix}` :
      code === 'EACCES' ? `this user may not listen on ${at} (ports below 1024 need privileges); ${fix}` :
        code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine; ${hostFix} (0.0.0.0 listens on all)` :
          undefined
  return why === undefined ? err : new PresendError('PRESEND_LISTEN_FAILED', `Cannot listen on ${at}: ${why}.`, { cause: err })
}

/**
 * Serve until SIGTERM or SIGINT; resolve with the exit code once the server has closed (0 after a clean
 * shutdown; 3 when a second stop signal cuts the graceful close short).
 * @example process.exitCode = await serve({ cwd: process.cwd() }, { watch: false }, defaultIO())
 */
export async function serve(load: LoadConfigOptions, opts: { watch: boolean }, cli: CliIO): Promise<number> {
  const loaded = await loadConfig(load)
  // Imported here so `check` and `validate` never pay for loading Fastify.
  const { buildServer } = await import('../app.js')
  // In a real process pino writes straight to fd 1; an injected stdout (tests) gets the lines instead.
  const logger = cli.stdout === process.stdout ? true : { stream: { write: (line: string) => cli.stdout.write(line) } }
  const app = await buildServer(loaded.config, { baseDir: loaded.baseDir, logger })
  const { host, port, path: route } = loaded.config.server
  let address: string
  try {
    address = await app.listen({ host, port })
  } catch (err) {
    await app.close()
    throw listenError(err, host, port)
  }
  const operations = app.presend.operations
  if (operations !== undefined) {
    const { host: opsHost, port: opsPort } = loaded.config.operations as { host: string; port: number }
    try {
      const at = await operations.listen({ host: opsHost, port: opsPort })
      app.log.info({ url: at }, `operations endpoints (/healthz, ${loaded.config.metrics.path}) at ${at}`)
    } catch (err) {
      await app.close()
      throw listenError(err, opsHost, opsPort, 'operations.port')
    }
  }
  app.log.info(
    { url: `${address}${route}`, config: loaded.file, plugins: app.presend.pipeline.names },
    `presend serving ${address}${route}`,
  )
  if (loaded.config.auth.token === undefined) {
    app.log.warn(
      { auth: 'none' },
      "callback authentication is off: any client that reaches this URL is answered. In production set the callback token from Tencent's console (PRESEND_TOKEN or auth.token)",
    )
  }

  const watcher = opts.watch ? new ConfigWatcher(() => void reload('watch'), app.log.warn.bind(app.log)) : undefined
  watcher?.update(watchedFiles(loaded))

  // Reloads run one at a time, in order, so two quick SIGHUPs never race two builds.
  let queue: Promise<void> = Promise.resolve()
  const reload = (reason: string): Promise<void> => (queue = queue.then(() => reloadOnce(reason)))
  const reloadOnce = async (reason: string) => {
    app.log.info({ reason }, 'reloading the configuration')
    let next: LoadedConfig
    try {
      next = await loadConfig(load)
    } catch (err) {
      app.log.error({ err }, `reload failed; the previous configuration keeps serving: ${(err as Error).message}`)
      return
    }
    const result = await app.presend.reload(next.config)
    if (result.ok) watcher?.update(watchedFiles(next))
  }

  return new Promise<number>((resolve) => {
    let stopping = false
    const onHangup = () => void reload('SIGHUP')
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) {
        app.log.warn({ signal }, 'second stop signal: exiting without waiting for in-flight requests')
        resolve(3)
        return
      }
      stopping = true
      watcher?.close()
      cli.signals.off('SIGHUP', onHangup)
      app.log.info({ signal }, 'shutting down: answering in-flight requests, then exiting')
      // Node closes idle keep-alive connections once, when close starts; a connection whose request was in
      // flight turns idle after its answer and would hold the close for server.keepAliveTimeoutMs.
      const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_MS)
      // Past server.shutdownGraceMs whatever is still open is a client that stopped sending mid-request.
      const graceMs = loaded.config.server.shutdownGraceMs
      const force = setTimeout(() => {
        app.log.warn({ afterMs: graceMs }, 'closing connections that are still open (clients that stopped sending mid-request)')
        app.server.closeAllConnections()
      }, graceMs)
      app.close().then(
        () => {
          clearInterval(sweep)
          clearTimeout(force)
          cli.signals.off('SIGTERM', onStop)
          cli.signals.off('SIGINT', onStop)
          resolve(0)
        },
        /* c8 ignore next 6 -- app.close() rejects only when an onClose hook throws; none of ours does */
        (err: unknown) => {
          clearInterval(sweep)
          clearTimeout(force)
          app.log.error({ err }, 'error while shutting down')
          resolve(3)
        },
      )
    }
    cli.signals.on('SIGTERM', onStop)
    cli.signals.on('SIGINT', onStop)
    cli.signals.on('SIGHUP', onHangup)
  })
}

/**
 * The files whose change should trigger a reload: the config file, local plugin files, and every string
 * in plugin options that names an existing file relative to the config folder (word lists and the like).
 * @example watchedFiles(await loadConfig()) // ['/srv/presend/presend.config.json', '/srv/presend/words/extra.txt']
 */
export function watchedFiles(loaded: LoadedConfig): string[] {
  const files = new Set<string>()
  if (loaded.file !== undefined) files.add(loaded.file)
  const addIfFile = (value: string) => {
    if (value.length === 0 || value.length > 4096 || value.includes('\n')) return
    const candidate = value.startsWith('file:') ? fileURLToPath(value) : path.resolve(loaded.baseDir, value)
    if (existsSync(candidate) && statSync(candidate).isFile()) files.add(candidate)
  }
  const walk = (value: unknown) => {
    if (typeof value === 'string') addIfFile(value)
    else if (Array.isArray(value)) value.forEach(walk)
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk)
  }
  for (const item of loaded.config.plugins) {
    if (/^(\.\.?\/|\/|file:)/.test(item.use)) addIfFile(item.use.replace(/#[^/]*$/, ''))
    walk(item.options)
  }
  return [...files]
}

/**
 * Watches folders rather than files: editors save by writing a new file and renaming it over the old one,
 * which silently ends a watch on the old file's inode.
 */
class ConfigWatcher {
  /** One watcher per folder, with the file names in it that matter. */
  private readonly folders = new Map<string, { watcher: FSWatcher; names: Set<string> }>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly onChange: () => void,
    private readonly onError: (err: Error) => unknown,
  ) {}

  update(files: readonly string[]): void {
    const wanted = new Map<string, Set<string>>()
    for (const file of files) {
      const dir = path.dirname(file)
      wanted.set(dir, (wanted.get(dir) ?? new Set<string>()).add(path.basename(file)))
    }
    for (const [dir, folder] of this.folders) {
      if (!wanted.has(dir)) {
        folder.watcher.close()
        this.folders.delete(dir)
      }
    }
    for (const [dir, names] of wanted) {
      const existing = this.folders.get(dir)
      if (existing !== undefined) {
        existing.names = names
        continue
      }
      try {
        // `folder` is read only by events, which arrive after it is assigned.
        const watcher = watch(dir, (_event, filename) => {
          // Some platforms omit the file name; then any change in the folder counts.
          /* c8 ignore next -- Linux and macOS always name the file */
          if (filename === null) return this.schedule()
          if (folder.names.has(filename.toString())) this.schedule()
        })
        const folder = { watcher, names }
        watcher.on('error', this.onError)
        this.folders.set(dir, folder)
        /* c8 ignore next 3 -- the folders come from files that existed a moment earlier; only a race deletes one */
      } catch (err) {
        this.onError(err as Error)
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(this.onChange, WATCH_DEBOUNCE_MS)
  }

  close(): void {
    clearTimeout(this.timer)
    for (const folder of this.folders.values()) folder.watcher.close()
    this.folders.clear()
  }
}
