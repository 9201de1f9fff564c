/**
 * The shape of one CLI command: its help, its flags (for `node:util` `parseArgs`) and what it runs.
 * `main.ts` dispatches on a table of these; each command lives in its own file.
 *
 * @module
 */
import type { ParseArgsConfig } from 'node:util'
import type { LoadConfigOptions } from '../config.js'
import type { CliIO } from './io.js'

/**
 * The flags `parseArgs` found, by long name.
 * @example const values: FlagValues = { config: 'prod.json', json: true }
 */
export type FlagValues = Record<string, string | boolean | Array<string | boolean> | undefined>

/**
 * What a command's `run` receives.
 * @example const args: CommandArgs = { values: { json: true }, positionals: ['hello'], argv: ['--json', 'hello'] }
 */
export interface CommandArgs {
  values: FlagValues
  positionals: string[]
  /** The arguments after the command name, as given (`serve --workers` passes them on to its workers). */
  argv: readonly string[]
}

/**
 * One `presend <command>`.
 * @example const hello: CliCommand = { summary: 'say hello', help: 'Usage: presend hello\n', options: {}, positionals: false, run: async (_args, cli) => (cli.stdout.write('hello\n'), 0) }
 */
export interface CliCommand {
  /** One line for `presend --help`. */
  readonly summary: string
  /** What `presend <command> --help` prints. */
  readonly help: string
  /** Flags, without `--help` (every command gets `-h, --help`). */
  readonly options: NonNullable<ParseArgsConfig['options']>
  /** Whether the command takes positional arguments. */
  readonly positionals: boolean
  /** Run the command; resolve with the exit code. Throw a `UsageError` for a bad command line. */
  run(args: CommandArgs, cli: CliIO): Promise<number>
}

/**
 * The `--config FILE` flag most commands share.
 * @example options: { ...CONFIG_OPTION, json: { type: 'boolean' } }
 */
export const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const

/**
 * The `loadConfig` options a command line asks for: the working directory, the environment and `--config`.
 * @example await loadConfig(loadOptions(values, cli))
 */
export function loadOptions(values: FlagValues, cli: CliIO): LoadConfigOptions {
  const load: LoadConfigOptions = { cwd: cli.cwd, env: cli.env }
  if (typeof values.config === 'string') load.file = values.config
  return load
}
