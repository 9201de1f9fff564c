#!/usr/bin/env node
/**
 * The `presend` binary: a table of commands (each in its own file), parsed with `node:util` `parseArgs`.
 *
 * Structured as {@link main} (argv + injectable I/O → exit code) plus a guarded entry at the bottom, so tests
 * run commands in-process with captured output and the binary stays a thin shell.
 *
 * @module
 */
import cluster from 'node:cluster'
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { isPresendError } from '../../core/errors.js'
import { checkCommand } from './check.js'
import type { CliCommand, FlagValues } from './command.js'
import { initCommand } from './init.js'
import { EXIT, UsageError, defaultIO, type CliIO } from './io.js'
import { newPackCommand } from './new-pack.js'
import { schemaCommand } from './schema.js'
import { serveCommand } from './serve.js'
import { validateCommand } from './validate.js'
import { VERSION } from './package-info.js'

export { EXIT, type CliIO } from './io.js'
export { formatResult } from './check.js'

/** Every command, in the order `presend --help` lists them. */
const COMMANDS: Readonly<Record<string, CliCommand>> = {
  serve: serveCommand,
  check: checkCommand,
  validate: validateCommand,
  schema: schemaCommand,
  init: initCommand,
  'new-pack': newPackCommand,
}

const NAMES = Object.keys(COMMANDS)
const WIDTH = Math.max(...NAMES.map((n) => n.length)) + 3

const MAIN_HELP = `presend ${VERSION} — content filter for Tencent Cloud Chat before-send callbacks

Usage: presend <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(WIDTH)}${c.summary}`).join('\n')}

Options:
  -h, --help     show help (also "presend <command> --help")
  -v, --version  print the version

Configuration: presend.config.json (or .mjs / .js) in the working directory, --config FILE, or
PRESEND_CONFIG; without one, an embedded default serves (profanity with the bundled lists, links).
Environment: PORT, HOST, PRESEND_CONFIG, PRESEND_TOKEN. Flags beat the environment, which beats the file.

Exit status: 0 success; 3 a usage, configuration or input error.
"check" also exits 1 when the message is rejected and 2 when it is dropped.
`

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const

/**
 * In a `--workers` child (a cluster worker started by presend), stop and reload arrive from the primary over
 * IPC rather than as signals; anywhere else, nothing changes.
 * @example const cli = { ...defaultIO(), ...(await workerIO()) }
 */
export async function workerIO(isWorker = cluster.isWorker, proc: NodeJS.Process = process): Promise<Partial<CliIO>> {
  if (!isWorker || proc.env.PRESEND_WORKER !== '1') return {}
  const { workerSignals } = await import('./cluster.js')
  return { signals: workerSignals(proc) }
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
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined
  if (command === undefined) {
    cli.stderr.write(`presend: unknown command "${first}"; expected one of ${NAMES.join(', ')} (see presend --help).\n`)
    return EXIT.ERROR
  }
  let values: FlagValues
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, ...HELP_OPTION },
      allowPositionals: command.positionals,
      strict: true,
    }))
  } catch (err) {
    cli.stderr.write(`presend ${first}: ${(err as Error).message}\n\n${command.help}`)
    return EXIT.ERROR
  }
  if (values.help === true) {
    cli.stdout.write(command.help)
    return EXIT.OK
  }
  try {
    return await command.run({ values, positionals, argv: rest }, cli)
  } catch (err) {
    if (err instanceof UsageError) {
      cli.stderr.write(`presend ${first}: ${err.message}\n\n${command.help}`)
    } else if (isPresendError(err)) {
      cli.stderr.write(`presend ${first}: ${err.message}\n`)
    } else {
      cli.stderr.write(`presend ${first}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`)
    }
    return EXIT.ERROR
  }
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
