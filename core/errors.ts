/**
 * One registry of the errors a user can cause — a bad option, a bad config, a bad request — each with a
 * stable code, an HTTP status where one applies, and a sentence that names the bad value and what to do.
 * `test/core/errors.test.ts` keeps this registry and README's error table in step.
 *
 * @module
 */
import type { z } from 'zod'
import { keysAt, unknownKey } from './key-hints.js'

/** Every presend error code, with what it means. */
export const ERROR_CODES = {
  PRESEND_INVALID_PLUGIN: 'a pipeline entry or filter pack is not a plugin made with definePlugin',
  PRESEND_INVALID_OPTIONS: "a plugin's options failed its schema",
  PRESEND_DUPLICATE_PLUGIN: 'two plugins in one pipeline have the same name',
  PRESEND_PLUGIN_CREATE_FAILED: "a plugin's create() threw while the pipeline was built",
  PRESEND_INVALID_PIPELINE_OPTIONS: 'createPipeline() got options it cannot use',
  PRESEND_PIPELINE_CLOSED: 'run() was called after close()',
  PRESEND_INVALID_REQUEST: 'a callback body failed the protocol schema',
  PRESEND_USAGE: 'a presend command line it cannot use: an unknown flag value or a missing argument (the command prints its usage)',
  PRESEND_INVALID_TEST_CASE: 'testPlugin got no plugin, no cases, a case without a name, or an expectation of an unknown shape',
  PRESEND_FILE_EXISTS: 'presend init or presend new-pack would overwrite a file or folder that already exists',
} as const

/** A presend error code. Server and plugin modules add theirs through {@link registerErrorCodes}. */
export type ErrorCode = keyof typeof ERROR_CODES | (string & {})

const registry = new Map<string, { description: string; statusCode?: number }>(
  Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }]),
)

/** Add codes to the registry (used by `presend/server` for config, auth and request errors). */
export function registerErrorCodes(codes: Record<string, { description: string; statusCode?: number }>): void {
  for (const [code, entry] of Object.entries(codes)) registry.set(code, entry)
}

/** Every registered code with its description and HTTP status, for docs and tests. */
export function listErrorCodes(): Array<{ code: string; description: string; statusCode?: number }> {
  return [...registry].map(([code, entry]) => ({ code, ...entry }))
}

/**
 * An error a user can cause and fix. `code` is stable (match on it, not on the message); `statusCode`
 * is set for errors a request causes; `details` carries structured context such as zod issues.
 */
export class PresendError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number | undefined
  readonly details: unknown
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown; statusCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PresendError'
    this.code = code
    this.statusCode = options.statusCode ?? registry.get(code)?.statusCode
    this.details = options.details
  }
}

/** True when `err` is a {@link PresendError}, optionally with the given code. */
export function isPresendError(err: unknown, code?: ErrorCode): err is PresendError {
  return err instanceof PresendError && (code === undefined || err.code === code)
}

/** `a.b[2].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

/**
 * One clause per zod issue, each naming the key: `words[2]: expected string, received number`.
 * `prefix` is prepended to every path (e.g. `plugins[0].options`). Given the `schema` that was parsed, an
 * unknown key lists the keys allowed there, with a guess for a likely typo:
 * `options.word: unknown key (did you mean "words"?); expected one of lists, words, …`.
 */
export function formatZodIssues(error: z.ZodError, prefix = '', schema?: z.ZodType): string {
  const clauses: string[] = []
  for (const issue of error.issues) {
    const path = formatPath(issue.path)
    const where = prefix && path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix || path
    const allowed = issue.code === 'unrecognized_keys' && schema !== undefined ? keysAt(schema, issue.path) : undefined
    if (issue.code === 'unrecognized_keys' && allowed !== undefined) {
      for (const key of issue.keys) clauses.push(unknownKey(where === '' ? key : `${where}.${key}`, key, allowed))
    } else {
      clauses.push(`${where || '(root)'}: ${issue.message}`)
    }
  }
  return clauses.join('; ')
}

