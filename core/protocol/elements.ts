/**
 * Message elements (`MsgBody` is an array of `TIMMsgElement`): the documented element types' schemas and
 * the types presend reads them through. Facts: `tencent-callbacks.md` §6 in the shared docs.
 *
 * @module
 */
import { z } from 'zod'

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
