/**
 * Applying a plugin's edits to a message: span replacements in original coordinates (snapped to grapheme
 * boundaries so a surrogate pair or emoji sequence is never split), element removal / insertion /
 * appending, and `CloudCustomData`. Overlapping span edits are resolved deterministically, as ESLint does
 * with overlapping fixes: sorted by start, the first one wins and the ones it overlaps are dropped.
 * @module
 */
import type { Edit, ReplaceTextEdit } from './plugin.js'
import type { MsgElement } from './protocol/index.js'
import { elementText } from './message.js'
import { replaceJsonStrings } from './json-text.js'
import { slotLabel, withKey, writeElementSlots, type SlotChange } from './slot-edits.js'
import { ElementSlot, type TextSlot } from './slots.js'

/** The outcome of applying one verdict's edits. */
export interface AppliedEdits {
  readonly body: readonly MsgElement[]
  readonly cloudCustomData: string | undefined
  readonly bodyChanged: boolean
  readonly cloudCustomDataChanged: boolean
  /**
   * True when an edit changed a text outside the body and `CloudCustomData` — a friend request's wording, a
   * group's name: a callback that cannot be rewritten, so the pipeline refuses it instead.
   */
  readonly requestChanged: boolean
  /** One line per change, for the trace (offsets, not message text). */
  readonly changes: string[]
}

/** An edit a plugin returned that cannot apply to the message it saw: a plugin bug, handled as a fault. */
export class InvalidEditError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidEditError'
  }
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * A code unit that never joins the unit before or after it into one grapheme cluster: printable ASCII and
 * Latin-1/Latin Extended (combining marks start at U+0300), CJK ideographs and spacing kana. A boundary
 * between two of these needs no segmenter, which keeps masking a long text of many hits linear.
 */
function isSimple(c: number): boolean {
  return (
    (c >= 0x20 && c < 0x7f) ||
    (c >= 0xa0 && c < 0x300) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3040 && c <= 0x3096) ||
    (c >= 0x30a0 && c <= 0x30ff)
  )
}

/** Lazily made, one per text: `Segments` answers `containing()` without re-segmenting the text each time. */
type SegmentsRef = { text: string; segments?: Intl.Segments }

function clusterAt(ref: SegmentsRef, i: number): Intl.SegmentData {
  ref.segments ??= segmenter.segment(ref.text)
  return ref.segments.containing(i)!
}

function snap(ref: SegmentsRef, start: number, end: number): [number, number] {
  const text = ref.text
  const insertion = start === end
  if (start > 0 && start < text.length && !(isSimple(text.charCodeAt(start - 1)) && isSimple(text.charCodeAt(start)))) {
    start = clusterAt(ref, start).index
  }
  // An insertion inside a cluster moves to the cluster's start; widening it would replace the cluster.
  if (insertion) return [start, start]
  if (end > 0 && end < text.length && !(isSimple(text.charCodeAt(end - 1)) && isSimple(text.charCodeAt(end)))) {
    const seg = clusterAt(ref, end)
    if (seg.index !== end) end = seg.index + seg.segment.length
  }
  return [start, end]
}

/**
 * Widen `[start, end)` to the nearest grapheme-cluster boundaries of `text`. An empty span (an insertion)
 * stays empty and moves to the start of the cluster it falls in.
 * @example snapToGraphemes('a👍b', 2, 3) // [1, 3]
 */
export function snapToGraphemes(text: string, start: number, end: number): [number, number] {
  return snap({ text }, start, end)
}

function isIndex(n: unknown, max: number): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max
}

function applySpans(text: string, spans: ReplaceTextEdit[], label: string, changes: string[]): string {
  // Stable sort by start, then end: the earlier-listed edit wins a tie.
  const ref: SegmentsRef = { text }
  const sorted = spans
    .map((e, order) => {
      const [start, end] = snap(ref, e.start, e.end)
      return { start, end, text: e.text, order }
    })
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order)
  let out = ''
  let cursor = 0
  for (const span of sorted) {
    // An overlap with a span already applied (or a second insertion inside it) is dropped.
    if (span.start < cursor) continue
    out += text.slice(cursor, span.start) + span.text
    cursor = span.end
    changes.push(`${label}: replaced [${span.start}, ${span.end})`)
  }
  return out + text.slice(cursor)
}

/** True for the slot that is a top-level text element's `Text`: its edits go with the element's own. */
function isElementText(slot: TextSlot): boolean {
  return slot.kind === 'text' && slot.json === undefined && slot.path.length === 2
}

const NO_SLOTS: () => readonly TextSlot[] = () => []

/**
 * Apply `edits` (all in the coordinates of `body` as the plugin saw it). Throws {@link InvalidEditError}
 * when an edit names an element that does not exist or is not text, a slot that does not exist, or an
 * offset outside the text. A text element whose text the edits empty is removed. `slots` gives the text
 * slots of the message the plugin saw (asked for only when an edit names one).
 */
export function applyEdits(
  body: readonly MsgElement[],
  cloudCustomData: string | undefined,
  edits: readonly Edit[],
  slots: () => readonly TextSlot[] = NO_SLOTS,
): AppliedEdits {
  const spans = new Map<number, ReplaceTextEdit[]>()
  const slotSpans = new Map<TextSlot, ReplaceTextEdit[]>()
  const removed = new Set<number>()
  const inserted = new Map<number, MsgElement[]>()
  const appended: MsgElement[] = []
  let newCloudCustomData = cloudCustomData
  let cloudCustomDataChanged = false
  const changes: string[] = []

  for (const e of edits) {
    switch (e?.op) {
      case 'replace-text': {
        if (e.slot !== undefined) {
          const slot = slots()[e.slot]
          if (slot === undefined || !Number.isInteger(e.slot)) throw new InvalidEditError(`replace-text names slot ${String(e.slot)}, which is not a text slot of the message`)
          if (!isIndex(e.start, slot.text.length) || !isIndex(e.end, slot.text.length) || e.end < e.start || typeof e.text !== 'string') {
            throw new InvalidEditError(
              `replace-text on slot ${e.slot} (${slot.kind}) has span [${String(e.start)}, ${String(e.end)}) outside its ${slot.text.length}-unit text, or a replacement that is not a string`,
            )
          }
          const key = isElementText(slot) ? (slot.element as number) : slot
          const map = (typeof key === 'number' ? spans : slotSpans) as Map<number | TextSlot, ReplaceTextEdit[]>
          let list = map.get(key)
          if (list === undefined) map.set(key, (list = []))
          list.push(e)
          break
        }
        const element = body[e.element as number]
        const text = element === undefined ? undefined : elementText(element)
        if (!isIndex(e.element, body.length - 1) || text === undefined) {
          throw new InvalidEditError(`replace-text names element ${String(e.element)}, which is not a text element of the message`)
        }
        if (!isIndex(e.start, text.length) || !isIndex(e.end, text.length) || e.end < e.start || typeof e.text !== 'string') {
          throw new InvalidEditError(
            `replace-text on element ${e.element} has span [${String(e.start)}, ${String(e.end)}) outside its ${text.length}-unit text, or a replacement that is not a string`,
          )
        }
        let list = spans.get(e.element)
        if (list === undefined) spans.set(e.element, (list = []))
        list.push(e)
        break
      }
      case 'remove-element':
        if (!isIndex(e.element, body.length - 1)) {
          throw new InvalidEditError(`remove-element names element ${String(e.element)}; the message has ${body.length}`)
        }
        removed.add(e.element)
        changes.push(`element ${e.element}: removed`)
        break
      case 'insert-element': {
        if (!isIndex(e.at, body.length) || !isElement(e.value)) {
          throw new InvalidEditError(`insert-element at ${String(e.at)} needs a position from 0 to ${body.length} and an element with a MsgType`)
        }
        let list = inserted.get(e.at)
        if (list === undefined) inserted.set(e.at, (list = []))
        list.push(e.value)
        changes.push(`inserted ${e.value.MsgType} at ${e.at}`)
        break
      }
      case 'append-element':
        if (!isElement(e.value)) throw new InvalidEditError('append-element needs an element with a MsgType')
        appended.push(e.value)
        changes.push(`appended ${e.value.MsgType}`)
        break
      case 'set-cloud-custom-data':
        if (typeof e.value !== 'string') throw new InvalidEditError('set-cloud-custom-data needs a string value')
        if (e.value !== newCloudCustomData) {
          newCloudCustomData = e.value
          cloudCustomDataChanged = newCloudCustomData !== cloudCustomData
          changes.push('CloudCustomData replaced')
        }
        break
      default:
        throw new InvalidEditError(`${JSON.stringify((e as { op?: unknown } | undefined)?.op)} is not an edit; build edits with replaceText, removeElement, insertElement, appendElement or setCloudCustomData`)
    }
  }

  // Texts of other slots, grouped by where they are written back.
  const byElement = new Map<number, SlotChange[]>()
  const inCloudCustomData: Array<{ json: readonly (string | number)[]; text: string }> = []
  let requestChanged = false
  for (const [slot, list] of slotSpans) {
    const next = applySpans(slot.text, list, slotLabel(slot), changes)
    if (next === slot.text) continue
    if (slot instanceof ElementSlot) {
      let group = byElement.get(slot.element)
      if (group === undefined) byElement.set(slot.element, (group = []))
      group.push({ slot, text: next })
    } else if (slot.path[0] === 'CloudCustomData') inCloudCustomData.push({ json: slot.json as readonly (string | number)[], text: next })
    else requestChanged = true
  }
  // A set-cloud-custom-data edit of the same verdict replaces the value whole, so it wins.
  if (inCloudCustomData.length > 0 && newCloudCustomData === cloudCustomData) {
    newCloudCustomData = replaceJsonStrings(cloudCustomData as string, inCloudCustomData)
    cloudCustomDataChanged = newCloudCustomData !== cloudCustomData
  }

  let bodyChanged = removed.size > 0 || inserted.size > 0 || appended.length > 0 || byElement.size > 0
  const out: MsgElement[] = []
  for (let i = 0; i <= body.length; i++) {
    const before = inserted.get(i)
    if (before !== undefined) out.push(...before)
    if (i === body.length) break
    let element = body[i] as MsgElement
    if (removed.has(i)) continue
    const others = byElement.get(i)
    if (others !== undefined) element = writeElementSlots(others) as MsgElement
    const list = spans.get(i)
    if (list === undefined) {
      out.push(element)
      continue
    }
    const text = elementText(element) as string
    const next = applySpans(text, list, `element ${i}`, changes)
    if (next === text) {
      out.push(element)
      continue
    }
    bodyChanged = true
    if (next === '') {
      changes.push(`element ${i}: emptied, removed`)
      continue
    }
    out.push(withKey(element, 'MsgContent', withKey(element.MsgContent, 'Text', next)) as MsgElement)
  }
  out.push(...appended)
  return { body: bodyChanged ? out : body, cloudCustomData: newCloudCustomData, bodyChanged, cloudCustomDataChanged, requestChanged, changes }
}

function isElement(value: unknown): value is MsgElement {
  return typeof value === 'object' && value !== null && typeof (value as MsgElement).MsgType === 'string'
}
