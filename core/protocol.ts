/**
 * Tencent Cloud Chat (IM) "before send" callback protocol: zod schemas and the types inferred from them.
 *
 * Lenient on input (unknown fields and unknown `MsgType`s pass through untouched, optional fields are
 * optional, numbers the docs show quoted are accepted as strings), strict on output (a reply always carries
 * `ActionStatus`, `ErrorCode` and `ErrorInfo`). Facts: `tencent-callbacks.md` in the shared docs.
 *
 * @module
 */
import { z } from 'zod'

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

/** An integer Tencent sometimes sends quoted (`"EventTime": "1670574414123"`): both forms are accepted. */
export const numberish = z.union([z.number(), z.string().regex(/^-?\d+(?:\.\d+)?$/)])

const str = z.string()
const num = z.number()

/** `MsgContent` of each documented element type. Every field is optional except a text's `Text`. */
export const elementContentSchemas = {
  TIMTextElem: z.looseObject({ Text: str }),
  TIMLocationElem: z.looseObject({ Desc: str.optional(), Latitude: num.optional(), Longitude: num.optional() }),
  TIMFaceElem: z.looseObject({ Index: num.optional(), Data: str.optional() }),
  TIMCustomElem: z.looseObject({
    Data: str.optional(),
    Desc: str.optional(),
    Ext: str.optional(),
    Sound: str.optional(),
  }),
  TIMSoundElem: z.looseObject({
    Url: str.optional(),
    UUID: str.optional(),
    Size: num.optional(),
    Second: num.optional(),
    Download_Flag: num.optional(),
  }),
  TIMImageElem: z.looseObject({
    UUID: str.optional(),
    ImageFormat: num.optional(),
    ImageInfoArray: z
      .array(
        z.looseObject({
          Type: num.optional(),
          Size: num.optional(),
          Width: num.optional(),
          Height: num.optional(),
          URL: str.optional(),
        }),
      )
      .optional(),
  }),
  TIMFileElem: z.looseObject({
    Url: str.optional(),
    UUID: str.optional(),
    FileSize: num.optional(),
    FileName: str.optional(),
    Download_Flag: num.optional(),
  }),
  TIMVideoFileElem: z.looseObject({
    VideoUrl: str.optional(),
    VideoUUID: str.optional(),
    VideoSize: num.optional(),
    VideoSecond: num.optional(),
    VideoFormat: str.optional(),
    VideoDownloadFlag: num.optional(),
    ThumbUrl: str.optional(),
    ThumbUUID: str.optional(),
    ThumbSize: num.optional(),
    ThumbWidth: num.optional(),
    ThumbHeight: num.optional(),
    ThumbFormat: str.optional(),
    ThumbDownloadFlag: num.optional(),
  }),
  TIMRelayElem: z.looseObject({
    Title: str.optional(),
    MsgNum: num.optional(),
    CompatibleText: str.optional(),
    AbstractList: z.array(str).optional(),
    MsgList: z.array(z.looseObject({})).optional(),
    JsonMsgKey: str.optional(),
  }),
} as const

/** The documented element types, in the order of Tencent's message-format page. */
export type KnownMsgType = keyof typeof elementContentSchemas
export const KNOWN_MSG_TYPES = Object.keys(elementContentSchemas) as KnownMsgType[]

const knownElementSchemas = KNOWN_MSG_TYPES.map((type) =>
  z.looseObject({ MsgType: z.literal(type), MsgContent: elementContentSchemas[type] }),
)

/** An element of a type Tencent has not documented (or added later): kept exactly as it came. */
const unknownElementSchema = z.looseObject({
  MsgType: z.string().refine((t) => !(KNOWN_MSG_TYPES as string[]).includes(t), 'a known MsgType'),
  MsgContent: z.unknown().optional(),
})

/** One `TIMMsgElement`: `{ "MsgType": "…", "MsgContent": { … } }`. */
export const msgElementSchema = z.union([
  z.discriminatedUnion('MsgType', knownElementSchemas as unknown as [(typeof knownElementSchemas)[number]]),
  unknownElementSchema,
])

/** A text element. */
export interface TextElement {
  MsgType: 'TIMTextElem'
  MsgContent: { Text: string; [key: string]: unknown }
  [key: string]: unknown
}

/** A custom element (Tencent allows at most one a message). */
export interface CustomElement {
  MsgType: 'TIMCustomElem'
  MsgContent: { Data?: string; Desc?: string; Ext?: string; Sound?: string; [key: string]: unknown }
  [key: string]: unknown
}

/**
 * Any message element. Known types have typed `MsgContent`; unknown fields and unknown types are kept.
 * Typed loosely on purpose: the pipeline never drops a field it does not understand.
 */
export interface MsgElement {
  MsgType: string
  MsgContent?: unknown
  [key: string]: unknown
}

/** `MsgBody`: the elements of one message, in order. */
export const msgBodySchema = z.array(msgElementSchema)

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
