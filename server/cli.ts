#!/usr/bin/env node
/**
 * The `presend` binary: `serve`, `check` and `validate`, parsed with `node:util` `parseArgs`.
 *
 * Structured as {@link main} (argv + injectable I/O → exit code) plus a guarded entry at the bottom, so tests
 * run commands in-process with captured output and the binary stays a thin shell.
 *
 * @module
 */
import cluster from 'node:cluster'
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { isPresendError } from '../core/errors.js'
import { type RunResult, type TraceEntry } from '../core/pipeline/index.js'
import { parseRequest } from '../core/protocol/index.js'
import type { CallbackRequest } from '../core/protocol/index.js'
import { c2cRequest, groupRequest } from '../core/testing/index.js'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from './config.js'
import { createPipelineFromConfig, resolvePlugin } from './resolve.js'
import { serve } from './cli-serve.js'

/** Exit codes, documented in `presend --help`. */
export const EXIT = {
  /** Success; for `check`, the message is allowed (changed or not). */
  OK: 0,
  /** `check`: the message is rejected. */
  REJECT: 1,
  /** `check`: the message is dropped. */
  DROP: 2,
  /** A usage, configuration or input error. */
  ERROR: 3,
} as const

/** What {@link main} reads and writes; the defaults are the process's own. */
export interface CliIO {
  stdout: { write(chunk: string): unknown }
  stderr: { write(chunk: string): unknown }
  /** Read by `check` when no TEXT is given. */
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
  /** Where `serve` listens for SIGTERM, SIGINT and SIGHUP. */
  signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>
}

const VERSION = (createRequire(import.meta.url)('presend/package.json') as { version: string }).version

const MAIN_HELP = `presend ${VERSION} — content filter for Tencent Cloud Chat before-send callbacks

Usage: presend <command> [options]

Commands:
  serve      serve the callback over HTTP (what "npm start" runs)
  check      run one message through the configured pipeline and print the decision
  validate   load the configuration, build every plugin, and list them

Options:
  -h, --help     show help (also "presend <command> --help")
  -v, --version  print the version

Configuration: presend.config.json (or .mjs / .js) in the working directory, --config FILE, or
PRESEND_CONFIG; without one, an embedded default serves (profanity with the bundled lists, links).
Environment: PORT, HOST, PRESEND_CONFIG, PRESEND_TOKEN. Flags beat the environment, which beats the file.

Exit status: 0 success; 3 a usage, configuration or input error.
"check" also exits 1 when the message is rejected and 2 when it is dropped.
`

const HELP = {
  serve: `Usage: presend serve [--config FILE] [--port N] [--host H] [--watch] [--workers N]

Serve the before-send callback over HTTP until SIGTERM or SIGINT (then finish in-flight requests, exit 0).
SIGHUP reloads the configuration and word lists: the new pipeline is built first and swapped in; when it
fails, the running one keeps serving and the error is logged.

Options:
  -c, --config FILE  configuration file (default: presend.config.json in the working directory)
  -p, --port N       port to listen on (beats PORT and server.port; 0 picks a free port)
      --host H       address to listen on (beats HOST and server.host)
  -w, --watch        reload when the config file, a local plugin file or a file named in plugin options changes
      --workers N    run N server processes sharing the port (node:cluster; default 1). The primary checks the
                     config once, relays SIGTERM/SIGINT/SIGHUP to the workers and restarts one that dies
  -h, --help         show this help
`,
  check: `Usage: presend check [--config FILE] [--group] [--json] [TEXT...]

Run one message through the configured pipeline and print the decision, the reply Tencent would get
and what each plugin did (the kind of each text it changed: text, custom-desc, relay, friend-wording…).
TEXT becomes a one-element C2C message (a Group message with --group); without TEXT, a whole callback
body (JSON) of any command presend decides is read from stdin: a message, a friend request, a group's
creation, a join application, a topic's or an Official Account's creation.

Options:
  -c, --config FILE  configuration file (default: presend.config.json in the working directory)
  -g, --group        send TEXT as a Group.CallbackBeforeSendMsg instead of C2C
      --json         print one JSON object { decision, reply, changed, decidedBy, faults, trace, items }
  -h, --help         show this help

Exit status: 0 allowed (changed or not), 1 rejected, 2 dropped, 3 error.

Examples:
  presend check "buy now at spam-shop.com"
  echo '{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b",
        "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}' | presend check
  echo '{"CallbackCommand":"Group.CallbackBeforeCreateGroup","Operator_Account":"a","Name":"my group"}' | presend check
`,
  validate: `Usage: presend validate [--config FILE]

Load the configuration, resolve every plugin, check every plugin's options and build the pipeline,
then list the plugins in run order. Exits 3 with the reason when anything is wrong.

Options:
  -c, --config FILE  configuration file (default: presend.config.json in the working directory)
  -h, --help         show this help
`,
} as const

type Command = keyof typeof HELP

const OPTIONS = {
  serve: {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    watch: { type: 'boolean', short: 'w' },
    workers: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  check: {
    config: { type: 'string', short: 'c' },
    group: { type: 'boolean', short: 'g' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  validate: {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  },
} as const satisfies Record<Command, ParseArgsConfig['options']>

/** A mistake on the command line: printed with the command's usage, exit 3. */
class UsageError extends Error {}

function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signals: process }
}

/** In a `--workers` child, stop and reload arrive from the primary over IPC rather than as signals. */
async function workerIO(): Promise<Partial<CliIO>> {
  /* c8 ignore next -- only a cluster worker (a child process of `serve --workers`) gets past this line */
  if (!cluster.isWorker || process.env.PRESEND_WORKER !== '1') return {}
  /* c8 ignore next 2 */
  const { workerSignals } = await import('./cli-cluster.js')
  return { signals: workerSignals() }
}

/**
 * Run the CLI with `argv` (without `node` and the script) and resolve with the exit code.
 * `serve` resolves only after the server has shut down.
 *
 * @example process.exitCode = await main(['check', '--config', 'presend.config.json', 'hello'])
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const cli: CliIO = { ...defaultIO(), ...(await workerIO()), ...io }
  const [first, ...rest] = argv
  if (first === undefined) {
    cli.stderr.write(MAIN_HELP)
    return EXIT.ERROR
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    cli.stdout.write(MAIN_HELP)
    return EXIT.OK
  }
  if (first === '-v' || first === '--version') {
    cli.stdout.write(`${VERSION}\n`)
    return EXIT.OK
  }
  if (!Object.hasOwn(HELP, first)) {
    cli.stderr.write(`presend: unknown command "${first}"; expected serve, check or validate (see presend --help).\n`)
    return EXIT.ERROR
  }
  const command = first as Command
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>
  let positionals: string[]
  try {
    const options: ParseArgsConfig['options'] = OPTIONS[command]
    ;({ values, positionals } = parseArgs({ args: [...rest], options, allowPositionals: command === 'check', strict: true }))
  } catch (err) {
    cli.stderr.write(`presend ${command}: ${(err as Error).message}\n\n${HELP[command]}`)
    return EXIT.ERROR
  }
  if (values.help === true) {
    cli.stdout.write(HELP[command])
    return EXIT.OK
  }
  const load: LoadConfigOptions = { cwd: cli.cwd, env: cli.env }
  if (typeof values.config === 'string') load.file = values.config

  try {
    if (command === 'validate') return await validate(load, cli)
    if (command === 'check') return await check(load, { group: values.group === true, json: values.json === true, text: positionals }, cli)
    if (typeof values.port === 'string') load.overrides = { ...load.overrides, port: parsePort(values.port) }
    if (typeof values.host === 'string') load.overrides = { ...load.overrides, host: values.host }
    if (typeof values.workers === 'string') {
      const workers = parseWorkers(values.workers)
      if (workers > 1) {
        const args = withoutWorkers(rest)
        // Fail fast, once, on a configuration that cannot serve, rather than in a loop of dying workers.
        const loaded = await loadConfig(load)
        await (await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })).close()
        /* c8 ignore next 2 -- forks processes: exercised by test/server/cli-workers.test.ts with the built binary */
        const { serveCluster } = await import('./cli-cluster.js')
        return await serveCluster(workers, args, cli)
      }
    }
    return await serve(load, { watch: values.watch === true }, cli)
  } catch (err) {
    if (err instanceof UsageError) {
      cli.stderr.write(`presend ${command}: ${err.message}\n\n${HELP[command]}`)
    } else if (isPresendError(err)) {
      cli.stderr.write(`presend ${command}: ${err.message}\n`)
    } else {
      cli.stderr.write(`presend ${command}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`)
    }
    return EXIT.ERROR
  }
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

/** The serve command line as a worker gets it: everything but `--workers N` / `--workers=N`. */
function withoutWorkers(args: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--workers') i++
    else if (!arg.startsWith('--workers=')) out.push(arg)
  }
  return out
}

async function validate(load: LoadConfigOptions, cli: CliIO): Promise<number> {
  const loaded = await loadConfig(load)
  const pipeline = await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })
  await pipeline.close()
  const { config } = loaded
  const lines = [
    `config:   ${loaded.file ?? 'embedded default (no presend.config.json found)'}`,
    `server:   http://${config.server.host}:${config.server.port}${config.server.path}  auth: ${config.auth.token === undefined ? 'none (set PRESEND_TOKEN or auth.token in production)' : 'token'}${config.sdkAppId === undefined ? '' : `  sdkAppId: ${config.sdkAppId}`}`,
    `pipeline: deadline ${config.pipeline.deadlineMs} ms, on fault ${config.pipeline.onFault}`,
    `plugins (${pipeline.names.length}, in run order):`,
  ]
  let n = 0
  for (const item of config.plugins) {
    // Resolved again only to show descriptions: the imports are cached, so this costs nothing worth noting.
    const plugins = await resolvePlugin(item.use, { baseDir: loaded.baseDir })
    for (const plugin of plugins) {
      const name = pipeline.names[n++]
      const from = item.use === name ? '' : `  (use: ${item.use})`
      lines.push(`  ${n}. ${name}${plugin.description === undefined ? '' : ` — ${plugin.description}`}${from}`)
    }
  }
  lines.push('OK: the configuration is valid.')
  cli.stdout.write(`${lines.join('\n')}\n`)
  return EXIT.OK
}

async function readStdin(stdin: CliIO['stdin']): Promise<string> {
  let text = ''
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
  return text
}

async function check(
  load: LoadConfigOptions,
  opts: { group: boolean; json: boolean; text: string[] },
  cli: CliIO,
): Promise<number> {
  let request: CallbackRequest
  if (opts.text.length > 0) {
    const text = opts.text.join(' ')
    request = opts.group ? groupRequest({ text }) : c2cRequest({ text })
  } else {
    if (cli.stdin.isTTY === true) throw new UsageError('give the message TEXT, or pipe a callback body (JSON) into stdin.')
    const raw = await readStdin(cli.stdin)
    if (raw.trim() === '') throw new UsageError('stdin was empty; give the message TEXT, or pipe a callback body (JSON) into stdin.')
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      throw new UsageError(`stdin is not a JSON callback body: ${(err as Error).message}.`)
    }
    request = parseRequest(json)
  }
  const loaded: LoadedConfig = await loadConfig(load)
  const pipeline = await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })
  let result: RunResult
  try {
    result = await pipeline.run(request, loaded.config.sdkAppId === undefined ? {} : { sdkAppId: loaded.config.sdkAppId })
  } finally {
    await pipeline.close()
  }
  if (opts.json) {
    const { decision, reply, changed, decidedBy, faults, trace, items } = result
    cli.stdout.write(`${JSON.stringify({ decision, reply, changed, decidedBy, faults, trace, items }, null, 2)}\n`)
  } else {
    cli.stdout.write(formatResult(result))
  }
  return result.decision === 'allow' ? EXIT.OK : result.decision === 'reject' ? EXIT.REJECT : EXIT.DROP
}

/** The human-readable form of a run: decision, reply, then one line per plugin. */
export function formatResult(result: RunResult): string {
  const why = result.decidedBy === undefined ? (result.changed ? ' (changed)' : '') : ` (by ${result.decidedBy})`
  const lines = [`decision: ${result.decision}${why}`, `reply:    ${JSON.stringify(result.reply)}`, 'trace:']
  const width = Math.max(6, ...result.trace.map((e) => e.plugin.length))
  for (const entry of result.trace) lines.push(`  ${formatTrace(entry, width)}`)
  if (result.trace.length === 0) lines.push('  (no plugins)')
  return `${lines.join('\n')}\n`
}

function formatTrace(entry: TraceEntry, width: number): string {
  const parts = [entry.plugin.padEnd(width), entry.outcome.padEnd(7), `${entry.durationMs.toFixed(2)} ms`]
  // A friend request is decided per friend.
  if (entry.item !== undefined) parts.push(`friend ${JSON.stringify(entry.item)}`)
  if (entry.code !== undefined) parts.push(`code ${entry.code}`)
  if (entry.reason !== undefined) parts.push(entry.reason)
  if (entry.changes !== undefined && entry.changes.length > 0) parts.push(`[${entry.changes.join('; ')}]`)
  if (entry.error !== undefined) parts.push(`error: ${entry.error}`)
  return parts.join('  ')
}

/* c8 ignore start -- runs only when this file is the process entry (the binary); the child-process tests
   exercise it, and their coverage is not attributed to this source file */
function isEntry(): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url
  } catch {
    return false
  }
}
if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`presend: ${(err as Error)?.stack ?? String(err)}\n`)
      process.exit(EXIT.ERROR)
    },
  )
}
/* c8 ignore stop */
