/**
 * What every CLI command shares: the injectable I/O (so tests run commands in-process with captured output),
 * the exit codes, and the usage error. Imported by the commands and by `main.ts`; it imports none of them,
 * so the CLI has no import cycles.
 *
 * @module
 */
import { PresendError } from '../../core/errors.js'

/**
 * Exit codes, documented in `presend --help`.
 * @example process.exitCode = result.decision === 'reject' ? EXIT.REJECT : EXIT.OK
 */
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

/**
 * What a command reads and writes; the defaults are the process's own.
 * @example await main(['check', 'hi'], { stdout: { write: (s) => out.push(s) }, cwd: '/srv/presend' })
 */
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

/**
 * The process's own I/O.
 * @example const io = defaultIO()
 */
export function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signals: process }
}

/**
 * A mistake on the command line (a bad flag value, a missing argument): printed with the command's usage,
 * exit 3.
 *
 * @example throw new UsageError('--port "http" is not a port number (0–65535).')
 */
export class UsageError extends PresendError {
  constructor(message: string) {
    super('PRESEND_USAGE', message)
  }
}

/**
 * Everything on stdin as one string.
 * @example const body = await readStdin(cli.stdin)
 */
export async function readStdin(stdin: CliIO['stdin']): Promise<string> {
  let text = ''
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
  return text
}
