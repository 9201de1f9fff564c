/**
 * One registry of the errors a user can cause — a bad option, a bad config, a bad request — each with a
 * stable code, an HTTP status where one applies, and a sentence that names the bad value and what to do.
 * `test/core/errors.test.ts` keeps this registry and README's error table in step.
 *
 * @module
 */
import type { z } from 'zod'
import { keysAt, unknownKey } from './key-hints.js'

/**
 * Every presend error code, with what it means: the one table of them (README's error table is checked
 * against it). A code's sentence is written where the error is thrown, naming the bad value and what to do.
 */
export const ERROR_CODES = {
  PRESEND_INVALID_PLUGIN: 'a pipeline entry or filter pack is not a plugin made with definePlugin',
  PRESEND_INVALID_OPTIONS: "a plugin's options failed its schema",
  PRESEND_DUPLICATE_PLUGIN: 'two plugins in one pipeline have the same name',
  PRESEND_PLUGIN_CREATE_FAILED: "a plugin's create() threw while the pipeline was built",
  PRESEND_INVALID_PIPELINE_OPTIONS: 'createPipeline() got options it cannot use',
  PRESEND_PIPELINE_CLOSED: 'run() was called after close()',
  PRESEND_INVALID_REQUEST: 'a callback body failed the protocol schema',
  PRESEND_INVALID_TERM: 'a word pattern is empty, or nothing is left of it once normalised',
  PRESEND_INVALID_REGEX: 'a regular expression in options is not valid JavaScript RegExp syntax (or its flags are not)',
  PRESEND_UNSAFE_REGEX:
    'a regular expression in options uses a construct the linear-time engine (RE2) cannot run: a backreference, a lookahead, a capture inside a lookbehind, a repeat count over 1000',
  PRESEND_PROFANITY_FILE: 'a profanity word file (option `files`) cannot be read',
  PRESEND_INVALID_JSON: 'a callback body is empty or not valid JSON',
  PRESEND_UNAUTHORIZED: 'a callback failed authentication: Sign or RequestTime missing, wrong, or RequestTime too far from now',
  PRESEND_FORBIDDEN_APP: "a callback's SdkAppid is not the configured sdkAppId",
  PRESEND_BODY_TOO_LARGE: 'a callback body is larger than server.bodyLimit',
  PRESEND_BAD_REQUEST: 'a callback request was malformed in another way (the reply says how)',
  PRESEND_CLIENT_GONE:
    "a callback's connection closed before its request arrived whole (the client went away, or stalled past the 5 s request timeout and got Node's 408); logged, there is no one to answer",
  PRESEND_METRICS_UNAUTHORIZED:
    'a metrics scrape lacked "Authorization: Bearer <token>" with metrics.token (or, on the callback port, the callback token); put the token in the scraper\'s config',
  PRESEND_CONNECTION_LIMIT:
    'a log code, not a reply: a client hit a connection limit (server.maxConnections, a headers or request timeout); logged once per logging.repeatIntervalMs with a count; raise the limit if real traffic hits it',
  PRESEND_INVALID_SERVER_OPTIONS: 'the presend Fastify plugin or buildServer() got options it cannot use',
  PRESEND_UNKNOWN_PLUGIN: 'plugins[].use names no built-in plugin, installed package or existing file',
  PRESEND_INCOMPATIBLE_PACK: 'a filter pack or plugin file does not default-export a plugin or a list of plugins',
  PRESEND_PLUGIN_LOAD_FAILED: 'a filter pack or plugin file threw while it was imported',
  PRESEND_INVALID_CONFIG: 'the server configuration (file, environment or flags) failed validation',
  PRESEND_CONFIG_NOT_FOUND: 'the configuration file named by --config or PRESEND_CONFIG does not exist',
  PRESEND_LISTEN_FAILED:
    'the server could not listen on the configured host and port (in use, not permitted, or not an address of this machine)',
  PRESEND_USAGE: 'a presend command line it cannot use: an unknown flag value or a missing argument (the command prints its usage)',
  PRESEND_INVALID_TEST_CASE: 'testPlugin got no plugin, no cases, a case without a name, or an expectation of an unknown shape',
  PRESEND_FILE_EXISTS: 'presend init or presend new-pack would overwrite a file or folder that already exists',
  PRESEND_STORE_UNAVAILABLE:
    'the shared store (Redis) did not answer: down, slower than store.timeoutMs, or its circuit breaker open; the plugin that asked faults and its fault policy answers',
  PRESEND_CONSOLE_UNAUTHORIZED: 'a console request came without a valid credential: sign in with console.token or the callback token',
  PRESEND_CONSOLE_RATE_LIMITED: 'too many failed console sign-ins from one address; wait the Retry-After seconds and try again',
  PRESEND_CONSOLE_NO_CREDENTIAL: 'the console is enabled but has no credential: set console.token or auth.token',
} as const

/** A presend error code: one of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES

/** The HTTP status of each code a callback request can cause; the other codes have none. */
const ERROR_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  PRESEND_INVALID_JSON: 400,
  PRESEND_UNAUTHORIZED: 401,
  PRESEND_FORBIDDEN_APP: 403,
  PRESEND_METRICS_UNAUTHORIZED: 401,
  PRESEND_BODY_TOO_LARGE: 413,
  PRESEND_BAD_REQUEST: 400,
  PRESEND_CONSOLE_UNAUTHORIZED: 401,
  PRESEND_CONSOLE_RATE_LIMITED: 429,
}

/** Every code with its description and HTTP status, for docs and tests. */
export function listErrorCodes(): Array<{ code: ErrorCode; description: string; statusCode?: number }> {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const status = ERROR_STATUS[code]
    return status === undefined ? { code, description: ERROR_CODES[code] } : { code, description: ERROR_CODES[code], statusCode: status }
  })
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
    this.statusCode = options.statusCode ?? ERROR_STATUS[code]
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
