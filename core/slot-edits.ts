/**
 * Writing edited texts back into an element, for slots other than a top-level text element's `Text`: a
 * custom element's `Desc`, a forwarded message's text, a file name, a string inside app JSON. Only the
 * containers on the edited paths are copied, each once, bottom-up from the slots' steps, so the work is
 * linear in the number of steps touched however deep a forward nests; every other key and value stays as
 * sent (`__proto__` keys included), and a string inside JSON is re-serialised alone.
 * @module
 */
import { replaceJsonStrings, type JsonPath } from './json-text.js'
import type { ElementSlot, PathStep, TextSlot } from './slots.js'

/** A copy of a container (an array, or an object with every own key, `__proto__` included, as data). */
function copyOf(value: unknown): Record<string | number, unknown> {
  return (Array.isArray(value) ? value.slice() : { ...(value as object) }) as Record<string | number, unknown>
}

/** Set `key` as an own data property: assignment would call the `__proto__` setter. */
function define(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

/**
 * `container` with `value` at `key`: a copy, the original untouched.
 * @example withKey({ MsgType: 'TIMTextElem', MsgContent: { Text: 'a' } }.MsgContent, 'Text', 'b')
 */
export function withKey(container: unknown, key: string | number, value: unknown): Record<string | number, unknown> {
  const copy = copyOf(container)
  define(copy, key, value)
  return copy
}

/** One slot's new text. */
export interface SlotChange {
  readonly slot: ElementSlot
  readonly text: string
}

/**
 * The element the `changes` (all slots of one element) apply to, with their new texts written in.
 * @example writeElementSlots([{ slot, text: '****' }])
 */
export function writeElementSlots(changes: readonly SlotChange[]): unknown {
  // The new value of each field: a plain string, or the JSON it holds with some strings replaced.
  const fields = new Map<PathStep, string | Array<{ json: JsonPath; text: string }>>()
  for (const { slot, text } of changes) {
    if (slot.json === undefined) {
      fields.set(slot.step, text)
      continue
    }
    let list = fields.get(slot.step)
    if (!Array.isArray(list)) fields.set(slot.step, (list = []))
    list.push({ json: slot.json, text })
  }
  const next = new Map<PathStep, unknown>()
  const changedChildren = new Map<PathStep, PathStep[]>()
  const byDepth: PathStep[][] = []
  for (const [field, value] of fields) {
    next.set(field, typeof value === 'string' ? value : replaceJsonStrings(field.value as string, value))
    // Mark the containers above it; stop at one already marked, whose own ancestors are marked too.
    let child = field
    for (let at = field.parent; at !== undefined; child = at, at = at.parent) {
      const list = changedChildren.get(at)
      if (list !== undefined) {
        list.push(child)
        break
      }
      changedChildren.set(at, [child])
      ;(byDepth[at.depth] ??= []).push(at)
    }
  }
  // Deepest first: a container is copied once its changed children have their new values.
  for (let depth = byDepth.length - 1; depth >= 0; depth--) {
    // Every depth from the element down to the deepest container holds at least one marked container.
    for (const at of byDepth[depth] as PathStep[]) {
      const copy = copyOf(at.value)
      for (const child of changedChildren.get(at) as PathStep[]) define(copy, child.key, next.get(child))
      next.set(at, copy)
    }
  }
  return next.get((byDepth[0] as PathStep[])[0] as PathStep)
}

/** How a slot is named in the trace: its kind and where it is, never its text. */
export function slotLabel(slot: TextSlot): string {
  const where = slot.element === undefined ? slot.path.join('.') : `element ${slot.element}`
  const inside = slot.json === undefined || slot.json.length === 0 ? '' : ` ${slot.json.join('.')}`
  return `${where} ${slot.kind}${inside}`
}
