/**
 * The callback requests presend decides: the three "before send" commands, their bodies and query string,
 * and parsing a body. Lenient on input: unknown fields and unknown `MsgType`s pass through untouched,
 * optional fields are optional, numbers the docs show quoted are accepted as strings.
 *
 * @module
 */
import { z } from 'zod'
import { compileAcceptor } from '../acceptor.js'
import { PresendError, formatZodIssues } from '../errors.js'
import { msgBodySchema, numberish, type MsgElement } from './elements.js'

const str = z.string()

/** The three commands whose reply decides a message's fate. */
export const BEFORE_SEND_COMMANDS = [
  'C2C.CallbackBeforeSendMsg',
  'Group.CallbackBeforeSendMsg',
  'OfficialAccount.CallbackBeforeSendMsg',
] as const

/** One of {@link BEFORE_SEND_COMMANDS}. */
export type BeforeSendCommand = (typeof BEFORE_SEND_COMMANDS)[number]

/**
 * True when `command` is a before-send command the pipeline decides on.
 * @example isBeforeSendCommand('Group.CallbackBeforeSendMsg') // true
 */
export function isBeforeSendCommand(command: unknown): command is BeforeSendCommand {
  return (
    command === 'C2C.CallbackBeforeSendMsg' ||
    command === 'Group.CallbackBeforeSendMsg' ||
    command === 'OfficialAccount.CallbackBeforeSendMsg'
  )
}


const common = {
  From_Account: str,
  MsgBody: msgBodySchema,
  CloudCustomData: str.optional(),
  MsgId: str.optional(),
  OnlineOnlyFlag: numberish.optional(),
  EventTime: numberish.optional(),
}

/** `C2C.CallbackBeforeSendMsg`: before a one-to-one message is delivered. */
export const c2cRequestSchema = z.looseObject({
  CallbackCommand: z.literal('C2C.CallbackBeforeSendMsg'),
  To_Account: str,
  MsgSeq: numberish.optional(),
  MsgRandom: numberish.optional(),
  MsgTime: numberish.optional(),
  MsgKey: str.optional(),
  ...common,
})

/** `Group.CallbackBeforeSendMsg`: before a group (or Community topic) message is fanned out. */
export const groupRequestSchema = z.looseObject({
  CallbackCommand: z.literal('Group.CallbackBeforeSendMsg'),
  GroupId: str,
  Type: str.optional(),
  Operator_Account: str.optional(),
  Random: numberish.optional(),
  TopicId: str.optional(),
  ...common,
})

/**
 * `OfficialAccount.CallbackBeforeSendMsg`: before an Official Account broadcast. Tencent's page lists
 * fewer fields than for C2C and groups, so only the command and the body are required.
 */
export const officialAccountRequestSchema = z.looseObject({
  CallbackCommand: z.literal('OfficialAccount.CallbackBeforeSendMsg'),
  Official_Account: str.optional(),
  From_Account: str.optional(),
  Random: numberish.optional(),
  MsgBody: msgBodySchema,
  CloudCustomData: str.optional(),
  MsgId: str.optional(),
  OnlineOnlyFlag: numberish.optional(),
  EventTime: numberish.optional(),
})

/** Any of the three before-send request bodies, told apart by `CallbackCommand`. */
export const beforeSendRequestSchema = z.discriminatedUnion('CallbackCommand', [
  c2cRequestSchema,
  groupRequestSchema,
  officialAccountRequestSchema,
])

export type C2CRequest = z.infer<typeof c2cRequestSchema>
export type GroupRequest = z.infer<typeof groupRequestSchema>
export type OfficialAccountRequest = z.infer<typeof officialAccountRequestSchema>
/** A parsed before-send request body. `MsgBody` elements are typed as {@link MsgElement}. */
export type BeforeSendRequest = (C2CRequest | GroupRequest | OfficialAccountRequest) & {
  MsgBody: MsgElement[]
}

/**
 * Query parameters Tencent appends to the callback URL. `RequestTime` and `Sign` appear only with
 * callback authentication on; `SdkAppid` is spelled as Tencent spells it.
 */
export const callbackQuerySchema = z.looseObject({
  SdkAppid: z.string().regex(/^\d+$/, 'digits').optional(),
  CallbackCommand: z.string().optional(),
  contenttype: z.string().optional(),
  ClientIP: z.string().optional(),
  OptPlatform: z.string().optional(),
  RequestTime: z.string().regex(/^\d+$/, 'Unix seconds').optional(),
  Sign: z.string().optional(),
})
export type CallbackQuery = z.infer<typeof callbackQuerySchema>

/** A quick yes for the bodies zod would accept as they are: most of them. */
const acceptsAsIs = compileAcceptor(beforeSendRequestSchema)

/**
 * Parse a callback body against the before-send schemas. Throws a `PRESEND_INVALID_REQUEST`
 * {@link PresendError} that names the bad field. A valid body is returned as it is, not copied (treat it
 * as read-only, as the pipeline does); only a body the quick check cannot vouch for goes through zod,
 * which then decides.
 * @example const request = parseRequest(JSON.parse(rawBody))
 */
export function parseRequest(json: unknown): BeforeSendRequest {
  if (acceptsAsIs(json)) return json as BeforeSendRequest
  const parsed = beforeSendRequestSchema.safeParse(json)
  if (!parsed.success) {
    throw new PresendError('PRESEND_INVALID_REQUEST', `Invalid callback body: ${formatZodIssues(parsed.error)}.`, {
      details: parsed.error.issues,
      statusCode: 400,
    })
  }
  return parsed.data as BeforeSendRequest
}
