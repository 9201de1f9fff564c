/**
 * Replies to a callback: the envelope (strict on output: a reply always carries `ActionStatus`, `ErrorCode`
 * and `ErrorInfo`), the reply that lets a message through, and the reject codes Tencent passes through to
 * the sender's client.
 *
 * @module
 */
import { z } from 'zod'
import type { MsgElement } from './elements.js'
import { COMMANDS, type CodeFamily, type DecidedCommand } from './commands.js'

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
  ResultItem: z.array(z.strictObject({ To_Account: z.string(), ResultCode: z.number().int(), ResultInfo: z.string() })).optional(),
})

/** One friend's verdict in the reply to a friend-request callback: `ResultCode` 0 allows, 38000–39000 refuses. */
export interface ResultItem {
  To_Account: string
  ResultCode: number
  ResultInfo: string
}

export interface CallbackReply {
  ActionStatus: 'OK' | 'FAIL'
  ErrorCode: number
  ErrorInfo: string
  MsgBody?: MsgElement[]
  CloudCustomData?: string
  /** Friend-request callbacks only: one verdict per friend. */
  ResultItem?: ResultItem[]
}

/** The reply that lets a message through unchanged, and answers every command presend does not decide. */
export const OK_REPLY: Readonly<CallbackReply> = Object.freeze({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })

/** The custom codes of each family: C2C (and Official Accounts), groups, friend requests. */
const RANGES: Readonly<Record<CodeFamily, { min: number; max: number }>> = {
  c2c: { min: 120001, max: 130000 },
  group: { min: 10100, max: 10200 },
  friend: { min: 38000, max: 39000 },
}

/**
 * Custom reject codes Tencent passes through to the caller, per command. The Official Account pages use the
 * C2C range; friend requests are refused per friend with a `ResultCode` from 38000 to 39000.
 */
export const REJECT_CODE_RANGES = Object.freeze(
  Object.fromEntries(Object.entries(COMMANDS).map(([command, spec]) => [command, RANGES[spec.codes]])),
) as Readonly<Record<DecidedCommand, { min: number; max: number }>>

/**
 * True when `code` is a valid reject code for `command`: its custom range, or 1 (a plain refusal) for every
 * family but friend requests, whose refusals must carry a code of the range.
 * @example isValidRejectCode('Group.CallbackBeforeSendMsg', 10100) // true
 */
export function isValidRejectCode(command: DecidedCommand, code: number): boolean {
  const family = COMMANDS[command].codes
  const range = RANGES[family]
  return (code === 1 && family !== 'friend') || (Number.isInteger(code) && code >= range.min && code <= range.max)
}

/**
 * Option schema for a C2C reject code: 1 or 120001–130000. Use it in a plugin's options so a bad code
 * fails the pipeline build rather than a message.
 */
export const c2cRejectCode = rejectCodeSchema(120001, 130000, 'expected 1 or a C2C custom reject code from 120001 to 130000')

/** Option schema for a group reject code (group messages, creation, join applications, topics): 1 or 10100–10200. */
export const groupRejectCode = rejectCodeSchema(10100, 10200, 'expected 1 or a group custom reject code from 10100 to 10200')

/** Option schema for a friend-request refusal code: 38000–39000. */
export const friendRejectCode = z.number().int().min(38000).max(39000, { error: 'expected a friend-request refusal code from 38000 to 39000' })

// The message goes on every check, not only on the union: zod 4 reports the issues of the branch a number
// got furthest in (`Too small: expected number to be >=120001`), which would hide that 1 is allowed too.
function rejectCodeSchema(min: number, max: number, error: string) {
  return z.union([z.literal(1), z.number({ error }).int({ error }).min(min, { error }).max(max, { error })], { error })
}

/**
 * The option keys every rejecting plugin shares: `code` (C2C and Official Accounts), `groupCode` (groups),
 * `friendCode` (friend requests) and `info` (the `ErrorInfo` the sender's client sees with a custom code).
 * Spread it into an option schema:
 * @example z.object({ words: z.array(z.string()), ...rejectOptionsShape })
 */
export const rejectOptionsShape = {
  code: c2cRejectCode.optional(),
  groupCode: groupRejectCode.optional(),
  friendCode: friendRejectCode.optional(),
  info: z.string().max(1000).optional(),
}
