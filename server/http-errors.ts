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
