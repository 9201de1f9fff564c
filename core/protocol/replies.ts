/**
 * Replies to a callback: the envelope (strict on output: a reply always carries `ActionStatus`, `ErrorCode`
 * and `ErrorInfo`), the reply that lets a message through, and the reject codes Tencent passes through to
 * the sender's client.
 *
 * @module
 */
import { z } from 'zod'
import type { MsgElement } from './elements.js'
import type { BeforeSendCommand } from './requests.js'

/**
 * The reply to any callback. `MsgBody` and `CloudCustomData` appear only when a plugin changed them
 * (Tencent honours them only with `ErrorCode: 0`).
 */
export const callbackReplySchema = z.strictObject({
  ActionStatus: z.enum(['OK', 'FAIL']),
  ErrorCode: z.number().int(),
  ErrorInfo: z.string(),
  MsgBody: z.array(z.looseObject({ MsgType: z.string() })).optional(),
  CloudCustomData: z.string().optional(),
})

export interface CallbackReply {
  ActionStatus: 'OK' | 'FAIL'
  ErrorCode: number
  ErrorInfo: string
  MsgBody?: MsgElement[]
  CloudCustomData?: string
}

/** The reply that lets a message through unchanged, and answers every command presend does not decide. */
export const OK_REPLY: Readonly<CallbackReply> = Object.freeze({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })

/** Reject codes Tencent passes through to the sender's client, per command. */
export const REJECT_CODE_RANGES = {
  'C2C.CallbackBeforeSendMsg': { min: 120001, max: 130000 },
  'Group.CallbackBeforeSendMsg': { min: 10100, max: 10200 },
  'OfficialAccount.CallbackBeforeSendMsg': { min: 10100, max: 10200 },
} as const satisfies Record<BeforeSendCommand, { min: number; max: number }>

/** True when `code` is a valid reject code for `command`: 1 (plain reject) or its custom range. */
export function isValidRejectCode(command: BeforeSendCommand, code: number): boolean {
  const range = REJECT_CODE_RANGES[command]
  return code === 1 || (Number.isInteger(code) && code >= range.min && code <= range.max)
}

/**
 * Option schema for a C2C reject code: 1 or 120001–130000. Use it in a plugin's options so a bad code
 * fails the pipeline build rather than a message.
 */
export const c2cRejectCode = rejectCodeSchema(120001, 130000, 'expected 1 or a C2C custom reject code from 120001 to 130000')

/** Option schema for a Group / OfficialAccount reject code: 1 or 10100–10200. */
export const groupRejectCode = rejectCodeSchema(10100, 10200, 'expected 1 or a group custom reject code from 10100 to 10200')

// The message goes on every check, not only on the union: zod 4 reports the issues of the branch a number
// got furthest in (`Too small: expected number to be >=120001`), which would hide that 1 is allowed too.
function rejectCodeSchema(min: number, max: number, error: string) {
  return z.union([z.literal(1), z.number({ error }).int({ error }).min(min, { error }).max(max, { error })], { error })
}

/**
 * The option keys every rejecting plugin shares: `code` (C2C), `groupCode` (Group and OfficialAccount)
 * and `info` (the `ErrorInfo` the sender's client sees with a custom code). Spread it into an option schema:
 * @example z.object({ words: z.array(z.string()), ...rejectOptionsShape })
 */
export const rejectOptionsShape = {
  code: c2cRejectCode.optional(),
  groupCode: groupRejectCode.optional(),
  info: z.string().max(1000).optional(),
}

