/**
 * The `TIMCustomElem` a plugin adds, shared by the plugins that tag messages (`custom-elem`, `keyword-rewrite`): the option schema for its
 * content and the edits that add it while keeping Tencent's rule of at most one custom element a message.
 *
 * @module
 */
import { z } from 'zod'
import { appendElement, customElement, insertElement, removeElement, type Edit } from './plugin.js'
import type { MsgElement } from './protocol/index.js'

/** The `MsgContent` fields of a `TIMCustomElem` (Tencent's message-format page). */
export const CUSTOM_ELEM_FIELDS = ['Data', 'Desc', 'Ext', 'Sound'] as const

/**
 * `MsgContent` of a custom element: any of `Data`, `Desc`, `Ext`, `Sound`, all strings. Unknown keys are
 * refused (a typo such as `"desc"` would otherwise send an element the client ignores). A partial record
 * rather than an object schema because it keeps the keys in the order the configuration wrote them, so the
 * reply reads as the operator wrote it.
 *
 * @example customElemContentSchema.parse({ Desc: 'CustomElement.MemberLevel', Data: 'LV1' })
 */
export const customElemContentSchema = z.partialRecord(z.enum(CUSTOM_ELEM_FIELDS), z.string())

/** A parsed `elem` option. */
export type CustomElemContent = z.output<typeof customElemContentSchema>

/** A custom element with at least one field: what an `elem` option must be on its own. */
export const nonEmptyCustomElemSchema = customElemContentSchema.refine((c) => Object.keys(c).length > 0, {
  message: 'a custom element needs at least one of Data, Desc, Ext or Sound',
})

/**
 * What to do when the message already carries a `TIMCustomElem` (Tencent allows one a message):
 * `skip` (default) leaves the message's own element and adds none; `replace` puts ours in its place.
 */
export const ifPresentSchema = z.enum(['skip', 'replace']).default('skip')

/** A parsed `ifPresent` option. */
export type IfPresent = z.output<typeof ifPresentSchema>

/**
 * Build the frozen element once (in `create()`), so every reply shares it and nothing is allocated per
 * message.
 * @example buildCustomElem({ Desc: 'CustomElement.MemberLevel', Data: 'LV1' })
 */
export function buildCustomElem(content: CustomElemContent): MsgElement {
  const element = customElement(content)
  Object.freeze(element.MsgContent)
  return Object.freeze(element)
}

function sameContent(a: unknown, b: Readonly<Record<string, unknown>>): boolean {
  if (typeof a !== 'object' || a === null) return false
  const keysA = Object.keys(a)
  return keysA.length === Object.keys(b).length && keysA.every((k) => (a as Record<string, unknown>)[k] === b[k])
}

/**
 * The edits that add `element` to `body`:
 * - no custom element in the message: append it;
 * - one present and `ifPresent` is `skip`: nothing;
 * - one present and `ifPresent` is `replace`: ours takes the first one's place (nothing, when it is already
 *   identical), and any further custom elements — which Tencent would refuse anyway — are removed.
 *
 * @example customElemEdits(message.body, buildCustomElem({ Data: 'LV1' }), 'skip')
 */
export function customElemEdits(body: readonly MsgElement[], element: MsgElement, ifPresent: IfPresent): Edit[] {
  const present: number[] = []
  for (let i = 0; i < body.length; i++) if ((body[i] as MsgElement).MsgType === 'TIMCustomElem') present.push(i)
  if (present.length === 0) return [appendElement(element)]
  if (ifPresent === 'skip') return []
  const [first, ...rest] = present as [number, ...number[]]
  const edits: Edit[] = rest.map((i) => removeElement(i))
  const existing = body[first] as MsgElement
  const identical =
    Object.keys(existing).length === 2 && sameContent(existing.MsgContent, element.MsgContent as Record<string, unknown>)
  if (!identical) edits.unshift(removeElement(first), insertElement(first, element))
  return edits
}
