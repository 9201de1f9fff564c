/**
 * The callback requests presend decides: the three "before send" message callbacks (their bodies as
 * Tencent documents them, as zod schemas and types) and the other "before" callbacks that carry user text,
 * the query string, and {@link parseRequest}, which reads a body the way the pipeline needs it.
 *
 * Parsing is lenient on purpose: the pipeline needs an object, its command and, for a message, a `MsgBody`
 * array. An element whose fields have unexpected types passes through byte for byte and the rest of the
 * message is still filtered; one odd element must never switch the filter off for the whole message.
 *
 * @module
 */
import { z } from 'zod'
import { PresendError } from '../errors.js'
import { COMMANDS, isDecidedCommand, type DecidedCommand } from './commands.js'
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
  // Optional: an admin's send through the REST API may name no sender.
  From_Account: str.optional(),
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

/** A command the pipeline decides that is not a message: it can be allowed or refused, never rewritten. */
export type BlockOnlyCommand = Exclude<DecidedCommand, BeforeSendCommand>

/**
 * The body of one of the other "before" callbacks (`Sns.CallbackPrevFriendAdd`, `Group.CallbackBeforeCreateGroup`,
 * …): read for its text fields only, so typed loosely.
 */
export interface BlockOnlyRequest {
  CallbackCommand: BlockOnlyCommand
  [field: string]: unknown
}

/** Any body the pipeline decides. */
export type CallbackRequest = BeforeSendRequest | BlockOnlyRequest

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(why: string, path: string): PresendError {
  return new PresendError('PRESEND_INVALID_REQUEST', `Invalid callback body: ${why}.`, { details: [{ path: [path], message: why }], statusCode: 400 })
}

/**
 * Read a callback body for the pipeline. It must be a JSON object whose `CallbackCommand` is one presend
 * decides; a message needs a `MsgBody` array and a per-friend callback its item array. Everything else is
 * read where the pipeline looks and passes through as it came: an element with unexpected field types, a
 * missing `From_Account`, a `CloudCustomData` that is not a string. Throws a `PRESEND_INVALID_REQUEST`
 * {@link PresendError} naming the field otherwise. The body is returned as it is, not copied: treat it as
 * read-only, as the pipeline does.
 * @example const request = parseRequest(JSON.parse(rawBody))
 */
export function parseRequest(json: unknown): CallbackRequest {
  if (!isRecord(json)) throw invalid('expected a JSON object', '(root)')
  const command = json.CallbackCommand
  if (!isDecidedCommand(command)) {
    const shown = typeof command === 'string' ? JSON.stringify(command.slice(0, 64)) : typeof command
    throw invalid(`CallbackCommand: ${shown} is not a command presend decides; expected one of ${Object.keys(COMMANDS).join(', ')}`, 'CallbackCommand')
  }
  const spec = COMMANDS[command]
  if (spec.message && !Array.isArray(json.MsgBody)) throw invalid('MsgBody: expected an array of message elements', 'MsgBody')
  if ('items' in spec && !Array.isArray(json[spec.items.field])) {
    throw invalid(`${spec.items.field}: expected an array (one entry per friend)`, spec.items.field)
  }
  return json as unknown as CallbackRequest
}
