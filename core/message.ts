/**
 * The read-only message view a plugin checks.
 * @module
 */
import { compileJsonText, jsonTextRuleSchema, type JsonTextReaders, type JsonTextRule } from './json-text.js'
import type { Message, TextPart } from './plugin.js'
import type { MsgElement } from './protocol/index.js'
import { messageSlots, requestSlots, type SlotSource, type TextSlot } from './slots.js'

/** The `Text` of a text element, or `undefined` for any other element (or a malformed text element). */
export function elementText(element: MsgElement): string | undefined {
  if (element?.MsgType !== 'TIMTextElem') return undefined
  const text = (element.MsgContent as { Text?: unknown } | null | undefined)?.Text
  return typeof text === 'string' ? text : undefined
}

const NO_READERS: JsonTextReaders = Object.freeze({})

/**
 * A message view; `texts` and `slots` are computed on first use, so plugins that never read text pay
 * nothing. For a callback that is not a message, `source` names where its texts are (the body is empty).
 */
export class MessageView implements Message {
  readonly body: readonly MsgElement[]
  readonly cloudCustomData: string | undefined
  #texts: TextPart[] | undefined
  #slots: TextSlot[] | undefined

  constructor(
    body: readonly MsgElement[],
    cloudCustomData: string | undefined,
    private readonly readers: JsonTextReaders = NO_READERS,
    private readonly source?: SlotSource,
  ) {
    this.body = body
    this.cloudCustomData = cloudCustomData
  }

  get texts(): readonly TextPart[] {
    if (this.#texts === undefined) {
      const texts: TextPart[] = []
      for (let index = 0; index < this.body.length; index++) {
        const text = elementText(this.body[index] as MsgElement)
        if (text !== undefined) texts.push({ index, text })
      }
      this.#texts = texts
    }
    return this.#texts
  }

  get slots(): readonly TextSlot[] {
    this.#slots ??= this.source === undefined ? messageSlots(this.body, this.cloudCustomData, this.readers) : requestSlots(this.source)
    return this.#slots
  }
}

/**
 * Build the message view a plugin sees from a body and `CloudCustomData` — for tests and tools; the
 * pipeline builds its own. `jsonText` names strings inside app JSON that are user text (see README).
 * @example createMessage([textElement('hi')], undefined).texts // [{ index: 0, text: 'hi' }]
 */
export function createMessage(body: readonly MsgElement[], cloudCustomData?: string, options: { jsonText?: readonly JsonTextRule[] } = {}): Message {
  const rules = (options.jsonText ?? []).map((rule) => jsonTextRuleSchema.parse(rule))
  return new MessageView(body, cloudCustomData, compileJsonText(rules))
}
