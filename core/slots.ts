/**
 * Text slots: every text a sender wrote in a callback, wherever it sits — a text element, a custom
 * element's push text (`Desc`), the texts of a merged forward (nested to any depth), a location's
 * description, a file name, strings inside app JSON that the pipeline's `jsonText` rules name, and the
 * text fields of the other "before" callbacks (a friend request's wording, a group's name…). A plugin
 * reads `message.slots` and edits one with `replaceText(slot, start, end, text)`.
 *
 * Reading is linear in the size of the body, however deep a forward nests: a slot keeps a link to the
 * step of the path it sits at (`PathStep`), and its `path` array is made only when someone reads it.
 * @module
 */
import { z } from 'zod'
import { COMMANDS, SLOT_KINDS, type DecidedCommand, type SlotKind } from './protocol/commands.js'
import type { JsonPath, JsonTextReaders } from './json-text.js'
import type { MsgElement } from './protocol/index.js'

export { SLOT_KINDS, type SlotKind } from './protocol/commands.js'

/** One text of the callback, with where it lives. */
export interface TextSlot {
  /** Its position in `message.slots`. */
  readonly index: number
  /** What kind of text it is (`text`, `custom-desc`, `relay`, `friend-wording`, …). */
  readonly kind: SlotKind
  /** The index in `message.body` of the element it is in (for a merged forward, the forward); undefined outside the body. */
  readonly element: number | undefined
  /**
   * Where the string is: from the element (`['MsgContent', 'Text']`), or from the request
   * (`['CloudCustomData']`, `['FriendItem', 0, 'AddWording']`).
   */
  readonly path: ReadonlyArray<string | number>
  /** For a string inside app JSON: its path in the JSON held at `path`. */
  readonly json: JsonPath | undefined
  /** The text itself. */
  readonly text: string
}

/**
 * One step of a path inside an element: the key, the value found there, and the step it hangs from. The
 * first step of an element has no key (it is the element itself).
 */
export interface PathStep {
  readonly parent: PathStep | undefined
  readonly key: string | number
  readonly value: unknown
  readonly depth: number
}

/** A slot inside a body element: its path is made from its steps when read. */
export class ElementSlot implements TextSlot {
  #path: ReadonlyArray<string | number> | undefined
  constructor(
    readonly index: number,
    readonly kind: SlotKind,
    readonly element: number,
    /** The step of the field holding the string (its value is the string, or the JSON holding it). */
    readonly step: PathStep,
    readonly json: JsonPath | undefined,
    readonly text: string,
  ) {}

  get path(): ReadonlyArray<string | number> {
    if (this.#path === undefined) {
      const keys: Array<string | number> = []
      for (let s: PathStep | undefined = this.step; s?.parent !== undefined; s = s.parent) keys.push(s.key)
      this.#path = keys.reverse()
    }
    return this.#path
  }
}

/** What slot extraction reads besides the body: where a block-only callback's texts are, and the app JSON rules. */
export interface SlotSource {
  readonly command: DecidedCommand
  /** The request body (read for the other "before" callbacks' text fields). */
  readonly request: Readonly<Record<string, unknown>>
  /** For a callback decided per item (a friend request): which item this run is about. */
  readonly item: number | undefined
  readonly readers: JsonTextReaders
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function own(v: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined
}

/** A field's string value, read only when it is the object's own (a `__proto__` key never reaches a prototype). */
function ownString(v: Record<string, unknown>, key: string): string | undefined {
  const value = own(v, key)
  return typeof value === 'string' ? value : undefined
}

/** The element types whose `MsgContent` may carry a `FileName`. */
const FILE_ELEMENTS = new Set(['TIMFileElem', 'TIMVideoFileElem', 'TIMSoundElem', 'TIMImageElem'])

/** Where a text element's text is: shared by every top-level text slot. */
const TEXT_PATH: ReadonlyArray<string> = Object.freeze(['MsgContent', 'Text'])

const step = (parent: PathStep, key: string | number, value: unknown): PathStep => ({ parent, key, value, depth: parent.depth + 1 })

class Collector {
  readonly slots: TextSlot[] = []
  constructor(private readonly readers: JsonTextReaders) {}

  /** A slot outside the body (CloudCustomData, a request field): a short path of its own. */
  field(kind: SlotKind, path: Array<string | number>, text: string | undefined, json?: JsonPath): void {
    if (text !== undefined) this.slots.push({ index: this.slots.length, kind, element: undefined, path, json, text })
  }

  /** The string at `key` of the container at `at`, as a slot of `kind`. */
  private text(kind: SlotKind, element: number, at: PathStep, key: string | number): void {
    // `at` is a MsgContent object or an AbstractList array.
    const value = Array.isArray(at.value) ? at.value[key as number] : own(at.value as Record<string, unknown>, key as string)
    if (typeof value === 'string') this.slots.push(new ElementSlot(this.slots.length, kind, element, step(at, key, value), undefined, value))
  }

  /** The strings the `jsonText` rules name inside the string at `key` of `at`, as slots of `kind`. */
  private json(kind: 'custom-data' | 'cloud-custom-data', element: number, at: PathStep, key: string): void {
    const reader = this.readers[kind]
    // `at` is a MsgContent object or a forwarded message, both objects.
    const raw = ownString(at.value as Record<string, unknown>, key)
    if (reader === undefined || raw === undefined) return
    const field = step(at, key, raw)
    for (const found of reader.read(raw)) this.slots.push(new ElementSlot(this.slots.length, kind, element, field, found.json, found.text))
  }

  /** `CloudCustomData`'s strings the rules name. */
  cloudCustomData(raw: string | undefined): void {
    const reader = this.readers['cloud-custom-data']
    if (reader === undefined || raw === undefined) return
    for (const found of reader.read(raw)) this.field('cloud-custom-data', ['CloudCustomData'], found.text, found.json)
  }

  /**
   * The slots of the top-level element `index`. A merged forward's messages are walked with a stack, not by
   * recursion, so a forward nested to any depth is read whole in one pass.
   */
  element(root: unknown, index: number): void {
    const stack: Array<{ at: PathStep; nested: boolean }> = [{ at: { parent: undefined, key: index, value: root, depth: 0 }, nested: false }]
    while (stack.length > 0) {
      const { at, nested } = stack.pop() as { at: PathStep; nested: boolean }
      const el = at.value
      if (!isRecord(el)) continue
      const content = own(el, 'MsgContent')
      if (!isRecord(content)) continue
      const c = step(at, 'MsgContent', content)
      const type = el.MsgType
      if (type === 'TIMTextElem') this.text(nested ? 'relay' : 'text', index, c, 'Text')
      else if (type === 'TIMCustomElem') {
        this.text(nested ? 'relay' : 'custom-desc', index, c, 'Desc')
        this.json('custom-data', index, c, 'Data')
      } else if (type === 'TIMLocationElem') this.text(nested ? 'relay' : 'location', index, c, 'Desc')
      else if (typeof type === 'string' && FILE_ELEMENTS.has(type)) this.text(nested ? 'relay' : 'file-name', index, c, 'FileName')
      else if (type === 'TIMRelayElem') this.relay(c, index, stack)
    }
  }

  private relay(c: PathStep, index: number, stack: Array<{ at: PathStep; nested: boolean }>): void {
    const content = c.value as Record<string, unknown>
    this.text('relay', index, c, 'Title')
    const abstracts = own(content, 'AbstractList')
    if (Array.isArray(abstracts)) {
      const list = step(c, 'AbstractList', abstracts)
      for (let i = 0; i < abstracts.length; i++) this.text('relay', index, list, i)
    }
    this.text('relay', index, c, 'CompatibleText')
    const messages = own(content, 'MsgList')
    if (!Array.isArray(messages)) return
    const list = step(c, 'MsgList', messages)
    // Pushed in reverse, so the stack yields the forwarded elements in document order.
    for (let m = messages.length - 1; m >= 0; m--) {
      const message = messages[m]
      if (!isRecord(message)) continue
      const at = step(list, m, message)
      // A forwarded message's CloudCustomData is app JSON like the message's own.
      this.json('cloud-custom-data', index, at, 'CloudCustomData')
      const body = own(message, 'MsgBody')
      if (!Array.isArray(body)) continue
      const elements = step(at, 'MsgBody', body)
      for (let k = body.length - 1; k >= 0; k--) stack.push({ at: step(elements, k, body[k]), nested: true })
    }
  }
}

/**
 * Every text slot of a message body and its `CloudCustomData`, element by element.
 * @example messageSlots([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }], undefined, {})[0].kind // 'text'
 */
export function messageSlots(body: readonly MsgElement[], cloudCustomData: string | undefined, readers: JsonTextReaders): TextSlot[] {
  const collect = new Collector(readers)
  for (let i = 0; i < body.length; i++) {
    const el = body[i] as MsgElement
    // The usual element, read without the general walk.
    const content = el?.MsgType === 'TIMTextElem' ? el.MsgContent : undefined
    const text = isRecord(content) ? ownString(content, 'Text') : undefined
    if (text !== undefined) collect.slots.push({ index: collect.slots.length, kind: 'text', element: i, path: TEXT_PATH, json: undefined, text })
    else collect.element(el, i)
  }
  collect.cloudCustomData(cloudCustomData)
  return collect.slots
}

/**
 * The text slots of a callback that is not a message (a friend request, a group's creation…): its text
 * fields, and for a callback decided per item, the fields of that item.
 * @example requestSlots({ command: 'Group.CallbackBeforeCreateGroup', request: { Name: 'x' }, item: undefined, readers: {} })[0].kind // 'group-name'
 */
export function requestSlots(source: SlotSource): TextSlot[] {
  const spec = COMMANDS[source.command]
  const collect = new Collector(source.readers)
  const request = source.request as Record<string, unknown>
  for (const [field, kind] of Object.entries(spec.fields)) collect.field(kind as SlotKind, [field], ownString(request, field))
  if ('items' in spec && source.item !== undefined) {
    // parseRequest has checked that the item list is an array.
    const item = (request[spec.items.field] as unknown[])[source.item]
    if (isRecord(item)) {
      for (const [field, kind] of Object.entries(spec.items.fields)) {
        collect.field(kind as SlotKind, [spec.items.field, source.item, field], ownString(item, field))
      }
    }
  }
  return collect.slots
}

/**
 * The option every text-filtering plugin gives its users: which kinds of slot it reads, `"all"` or a list.
 * @example z.strictObject({ slots: slotsOption('all') })
 */
export function slotsOption(defaults: 'all' | readonly SlotKind[]) {
  return z
    .union([z.literal('all'), z.array(z.enum(SLOT_KINDS)).min(1)], {
      error: `expected "all" or a list of slot kinds (${SLOT_KINDS.join(', ')})`,
    })
    .default(defaults === 'all' ? 'all' : [...defaults])
}

/**
 * The kinds a `slots` option names, as a set to test each slot against (built once, in `create()`).
 * @example const kinds = slotKinds(options.slots); for (const slot of message.slots) if (kinds.has(slot.kind)) …
 */
export function slotKinds(option: 'all' | readonly SlotKind[]): ReadonlySet<SlotKind> {
  return new Set(option === 'all' ? SLOT_KINDS : option)
}
