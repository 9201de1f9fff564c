/**
 * The callback body parser: JSON whatever the Content-Type header says, or with none (Tencent documents
 * none). Invalid JSON is a `PRESEND_INVALID_JSON` error (HTTP 400), never a 5xx.
 *
 * @module
 */
import { PresendError } from '../core/errors.js'
import './http-errors.js' // registers PRESEND_INVALID_JSON with its 400 status

/**
 * Keys JSON.parse would create as own properties that a later spread or merge could turn into a prototype:
 * the check costs one regex scan, and only a body that has such a key pays for the reviver.
 */
const POISON = /"(?:__proto__|constructor)"\s*:/

function dropPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) return undefined
  return value
}

/**
 * Parse a callback body. Throws `PRESEND_INVALID_JSON` (400) with a sentence saying what was wrong.
 * `__proto__` keys, and `constructor` keys holding a `prototype`, are dropped (Fastify's own parser
 * refuses them; a callback never carries them). A leading byte order mark is ignored, as RFC 8259 allows
 * (an editor that saves a test body with one should not earn a 400).
 * @example parseCallbackJson('{"CallbackCommand":"C2C.CallbackBeforeSendMsg"}')
 */
export function parseCallbackJson(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.length === 0) {
    throw new PresendError('PRESEND_INVALID_JSON', 'The request body is empty; Tencent sends the callback as a JSON object.')
  }
  try {
    return POISON.test(text) ? JSON.parse(text, dropPoison) : JSON.parse(text)
  } catch (err) {
    throw new PresendError('PRESEND_INVALID_JSON', `The request body is not valid JSON: ${(err as Error).message}.`, {
      cause: err,
    })
  }
}
