/**
 * The callback body parser: Fastify's own JSON parser (secure-json-parse, through the public
 * `getDefaultJsonParser`), whatever the Content-Type header says or with none (Tencent documents none), its
 * errors told in presend's words: invalid JSON is a `PRESEND_INVALID_JSON` error (HTTP 400), never a 5xx.
 *
 * @module
 */
import Fastify, { type FastifyBodyParser, type FastifyRequest } from 'fastify'
import { PresendError } from '../core/errors.js'
import './http-errors.js' // registers PRESEND_INVALID_JSON with its 400 status

/** Fastify's JSON parser as {@link callbackJsonParser} takes it: `app.getDefaultJsonParser('ignore', 'ignore')`. */
export type JsonBodyParser = FastifyBodyParser<string>

/**
 * Why `text` failed to parse, as presend's error: only on the error path, so the sentence may cost a second
 * parse (Fastify's error does not say where the JSON broke; JSON.parse's message does).
 */
function invalidJson(text: string, cause: unknown): PresendError {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (json.length === 0) {
    return new PresendError('PRESEND_INVALID_JSON', 'The request body is empty; Tencent sends the callback as a JSON object.', { cause })
  }
  try {
    JSON.parse(json)
  } catch (err) {
    return new PresendError('PRESEND_INVALID_JSON', `The request body is not valid JSON: ${(err as Error).message}.`, { cause: err })
  }
  /* c8 ignore next 2 */ // unreachable: with poisoning checks off, Fastify's parser fails only where JSON.parse does
  return new PresendError('PRESEND_INVALID_JSON', 'The request body is not valid JSON.', { cause })
}

/**
 * The route's body parser: `json` (Fastify's own, every key kept) on the body text, and a
 * `PRESEND_INVALID_JSON` error saying what was wrong when it fails.
 */
export function callbackJsonParser(json: JsonBodyParser) {
  return function parseCallbackBody(request: FastifyRequest, text: string, done: (err: Error | null, body?: unknown) => void): void {
    void json(request, text, (err, body) => {
      if (err === null) done(null, body)
      else done(invalidJson(text, err))
    })
  }
}

let standalone: JsonBodyParser | undefined

/**
 * Parse a callback body as the route does. Throws `PRESEND_INVALID_JSON` (400) with a sentence saying what
 * was wrong. Every key is kept as sent, `__proto__`, `constructor` and `prototype` included: with poisoning
 * checks set to 'ignore' the parser is JSON.parse, which makes each an own data property (it never calls
 * the `__proto__` setter), so nothing's prototype changes and an edited reply sends back every field of an
 * element as it came. A leading byte order mark is ignored, as RFC 8259 allows.
 * @example parseCallbackJson('{"CallbackCommand":"C2C.CallbackBeforeSendMsg"}')
 */
export function parseCallbackJson(text: string): unknown {
  // Fastify hands its parser out from an instance; one that never listens, made on first use.
  standalone ??= Fastify().getDefaultJsonParser('ignore', 'ignore')
  let out: { err: Error | null; body?: unknown } | undefined
  callbackJsonParser(standalone)(undefined as unknown as FastifyRequest, text, (err, body) => {
    out = { err, body }
  })
  // Fastify's JSON parser answers synchronously.
  const { err, body } = out as { err: Error | null; body?: unknown }
  if (err !== null) throw err
  return body
}
