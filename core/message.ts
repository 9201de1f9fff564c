/**
 * The read-only message view a plugin checks.
 * @module
 */
import type { Message, TextPart } from './plugin.js'
import type { MsgElement } from './protocol/index.js'

/** The `Text` of a text element, or `undefined` for any other element (or a malformed text element). */
export function elementText(element: MsgElement): string | undefined {
  if (element.MsgType !== 'TIMTextElem') return undefined
  const text = (element.MsgContent as { Text?: unknown } | null | undefined)?.Text
  return typeof text === 'string' ? text : undefined
}

/** A message view; `texts` is computed on first use, so plugins that never read text pay nothing. */
export class MessageView implements Message {
  readonly body: readonly MsgElement[]
  readonly cloudCustomData: string | undefined
  #texts: TextPart[] | undefined

  constructor(body: readonly MsgElement[], cloudCustomData: string | undefined) {
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
}

/**
 * Build the message view a plugin sees from a body and `CloudCustomData`.
 * @example createMessage([textElement('hi')], undefined).texts // [{ index: 0, text: 'hi' }]
 */
export function createMessage(body: readonly MsgElement[], cloudCustomData?: string): Message {
  return new MessageView(body, cloudCustomData)
}
