/**
 * The logger shape presend writes to: a subset of pino's, so a Fastify app's `log` fits as it is.
 * @module
 */

/** A log method: pino's `(object, message)` or `(message)` form. */
export type LogFn = (objOrMsg: unknown, msg?: string) => void

/** The logger presend uses. `child` is optional; without it, bindings are dropped. */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child?(bindings: Record<string, unknown>): Logger
}

const noop: LogFn = () => {}

/** A logger that discards everything: the default of an SDK pipeline. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop })

/** `logger.child(bindings)` where the logger supports it, else the logger itself. */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return typeof logger.child === 'function' ? logger.child(bindings) : logger
}
