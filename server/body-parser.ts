/**
 * The callback body parser: JSON whatever the Content-Type header says, or with none (Tencent documents
 * none). Invalid JSON is a `PRESEND_INVALID_JSON` error (HTTP 400), never a 5xx.
 *
 * @module
 */
import { PresendError } from '../core/errors.js'
import './http-errors.js' // registers PRESEND_INVALID_JSON with its 400 status

/**
 * Parse a callback body. Throws `PRESEND_INVALID_JSON` (400) with a sentence saying what was wrong.
 * Every key is kept as sent, `__proto__`, `constructor` and `prototype` included: JSON.parse makes each an
 * own data property (it never calls the `__proto__` setter), so nothing's prototype changes, and an edited
 * reply sends back every field of an element the way it came (Fastify's own parser refuses or strips
 * them; an app's custom element may legitimately carry one). Code downstream copies objects with spread
 * and defines keys rather than assigning them (core/slot-edits.ts). A leading byte order mark is ignored,
 * as RFC 8259 allows (an editor that saves a test body with one should not earn a 400).
 * @example parseCallbackJson('{"CallbackCommand":"C2C.CallbackBeforeSendMsg"}')
 */
export function parseCallbackJson(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.length === 0) {
    throw new PresendError('PRESEND_INVALID_JSON', 'The request body is empty; Tencent sends the callback as a JSON object.')
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new PresendError('PRESEND_INVALID_JSON', `The request body is not valid JSON: ${(err as Error).message}.`, {
      cause: err,
    })
  }
}
