/**
 * The errors an HTTP request can cause at the callback route, and the JSON they are answered with.
 *
 * Every 4xx reply has the callback envelope Tencent understands plus a stable `Code`, so whoever reads the
 * reply (Tencent's console, an operator with curl) sees what was wrong:
 * `{"ActionStatus":"FAIL","ErrorInfo":"…","ErrorCode":401,"Code":"PRESEND_UNAUTHORIZED"}`.
 * `ErrorCode` repeats the HTTP status: it is never 0 (allow) or 2 (drop), so no reading of it lets a
 * message through by accident.
 *
 * @module
 */
import { registerErrorCodes } from '../core/errors.js'

/** The HTTP error codes of `presend/server`, with their statuses. */
export const HTTP_ERROR_CODES = {
  PRESEND_INVALID_JSON: { description: 'a callback body is empty or not valid JSON', statusCode: 400 },
  PRESEND_UNAUTHORIZED: {
    description: 'a callback failed authentication: Sign or RequestTime missing, wrong, or RequestTime too far from now',
    statusCode: 401,
  },
  PRESEND_FORBIDDEN_APP: { description: "a callback's SdkAppid is not the configured sdkAppId", statusCode: 403 },
  PRESEND_BODY_TOO_LARGE: { description: 'a callback body is larger than server.bodyLimit', statusCode: 413 },
  PRESEND_BAD_REQUEST: { description: 'a callback request was malformed in another way (the reply says how)', statusCode: 400 },
  PRESEND_CLIENT_GONE: {
    description:
      "a callback's connection closed before its request arrived whole (the client went away, or stalled past the 5 s request timeout and got Node's 408); logged, there is no one to answer",
  },
  PRESEND_INVALID_SERVER_OPTIONS: { description: 'the presend Fastify plugin or buildServer() got options it cannot use' },
} as const

registerErrorCodes(HTTP_ERROR_CODES)

/** The JSON body of every 4xx reply of the callback route. */
export interface ErrorReply {
  ActionStatus: 'FAIL'
  ErrorCode: number
  ErrorInfo: string
  Code: string
}

/** Build the JSON body of a 4xx reply. */
export function errorReply(statusCode: number, code: string, info: string): ErrorReply {
  return { ActionStatus: 'FAIL', ErrorCode: statusCode, ErrorInfo: info, Code: code }
}

/** The response schema of a 4xx reply (serialised by fast-json-stringify, like the 200 reply). */
export const errorReplyJsonSchema = {
  type: 'object',
  properties: {
    ActionStatus: { type: 'string' },
    ErrorInfo: { type: 'string' },
    ErrorCode: { type: 'integer' },
    Code: { type: 'string' },
  },
  required: ['ActionStatus', 'ErrorCode', 'ErrorInfo', 'Code'],
} as const
