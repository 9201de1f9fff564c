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
 * The most code units segmented in one go. V8's segment iterator slows down along a long string (a walk
 * costs more than in proportion to the string's length), so a long stretch without a plain boundary is
 * segmented a window at a time.
 */
const WINDOW = 1024

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

/**
 * Prepend characters (Unicode's Grapheme_Cluster_Break=Prepend: Arabic number signs, some Brahmic marks): the
 * only ones that join the character after them whatever it is.
 */
function isPrepend(cp: number): boolean {
  return (
    (cp >= 0x600 && cp <= 0x605) || cp === 0x6dd || cp === 0x70f || cp === 0x890 || cp === 0x891 || cp === 0x8e2 || cp === 0xd4e ||
    (cp >= 0x110bd && cp <= 0x11f02 && [0x110bd, 0x110cd, 0x111c2, 0x111c3, 0x1193f, 0x11941, 0x11a3a, 0x11a84, 0x11a85, 0x11a86, 0x11a87, 0x11a88, 0x11a89, 0x11d46, 0x11f02].includes(cp))
  )
}

/**
 * True when `i` is a grapheme-cluster boundary that needs no segmenter: the text's ends, between two simple
 * units, or before a simple unit that nothing joins — every simple unit but the pictographs © and ® (which a
 * zero-width joiner can bind to an emoji before it), after anything but a Prepend character. So a hit next to
 * an emoji or a CJK character is snapped without segmenting.
 */
function plainBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true
  const c = text.charCodeAt(i)
  if (!isSimple(c)) return false
  const before = text.codePointAt(i - 1) as number
  if (isSimple(before)) return true
  return c !== 0xa9 && c !== 0xae && !isPrepend(before >= 0xdc00 && before <= 0xdfff && i >= 2 ? (text.codePointAt(i - 2) as number) : before)
}

/**
 * True when every offset from `start` to `end` is a grapheme-cluster boundary found without a segmenter: the
 * span is then one cluster per code unit.
 * @example isPlainSpan('a笨蛋b', 1, 3) // true
 */
export function isPlainSpan(text: string, start: number, end: number): boolean {
  for (let i = start; i <= end; i++) if (!plainBoundary(text, i)) return false
  return true
}

/**
 * Grapheme clusters of one text, found by one forward segmentation of only the stretches that need it.
 * `Intl.Segments.containing()` costs time that grows with the text (about 0.7 ms a call past 65,536 code
 * units with any non-Latin-1 character), so calling it per edit made masking a long text quadratic. Instead,
 * a query segments the window around it between two plain boundaries (where no cluster can cross) and walks
 * forward; later queries at or after it continue the same walk. Asked in non-decreasing order, the whole text
 * is segmented at most once; a query before the last one starts its window afresh (correct, not linear).
 *
 * @example
 * const snapper = new GraphemeSnapper('a👍🏽b👍🏽')
 * snapper.snap(2, 3) // [1, 5]
 * snapper.snap(7, 8) // [6, 10]
 */
export class GraphemeSnapper {
  /** The window being walked: its bounds in the text, its segments, and the segment reached. */
  private from = 0
  private to = 0
  /** Whether the window ends at a boundary (else it was cut at `WINDOW` units and its last segment may go on). */
  private complete = true
  private segments: Iterator<Intl.SegmentData> | undefined
  private segment: Intl.SegmentData | undefined
  private last = 0

  constructor(readonly text: string) {}

  /** Segment from `from` (a boundary) to the first plain boundary after it, or `size` units, whichever is first. */
  private open(from: number, size: number): void {
    const text = this.text
    const cap = Math.min(text.length, from + size)
    let to = from + 1
    while (to < cap && !plainBoundary(text, to)) to++
    this.from = from
    this.to = to
    this.complete = plainBoundary(text, to)
    this.segments = segmenter.segment(text.slice(from, to))[Symbol.iterator]()
    this.segment = this.segments.next().value as Intl.SegmentData
  }

  /** A window from the plain boundary at or before `i`, never before `floor` (itself a boundary). */
  private reopen(i: number, floor: number): void {
    let from = i
    while (from > floor && !plainBoundary(this.text, from)) from--
    this.open(from, WINDOW)
  }

  /** The `[start, end)` of the cluster containing code unit `i` (0 < i < text length). */
  private cluster(i: number): [number, number] {
    if (this.segments === undefined || i < this.last) this.reopen(i, 0)
    this.last = i
    let size = WINDOW
    for (;;) {
      let seg = this.segment as Intl.SegmentData
      while (this.from + seg.index + seg.segment.length <= i) {
        const next = (this.segments as Iterator<Intl.SegmentData>).next()
        if (next.done === true) break
        seg = next.value
      }
      this.segment = seg
      const start = this.from + seg.index
      const end = start + seg.segment.length
      const cut = !this.complete && end === this.to
      if (end > i && !cut) return [start, end]
      if (!cut) this.reopen(i, this.to)
      // A cut window's last segment may go on: walk on from its start (a boundary), or, when the one segment
      // fills the window (a cluster longer than it), segment a window twice as long.
      else if (start > this.from) this.reopen(i, start)
      else this.open(start, (size *= 2))
    }
  }

  /** The cluster boundary at or before `i`. */
  startOf(i: number): number {
    return plainBoundary(this.text, i) ? i : this.cluster(i)[0]
  }

  /** The cluster boundary at or after `i`. */
  endOf(i: number): number {
    if (plainBoundary(this.text, i)) return i
    const [start, end] = this.cluster(i)
    return start === i ? i : end
  }

  /**
   * Widen `[start, end)` to the nearest cluster boundaries. An empty span (an insertion) stays empty and moves
   * to the start of the cluster it falls in.
   */
  snap(start: number, end: number): [number, number] {
    const s = this.startOf(start)
    return start === end ? [s, s] : [s, this.endOf(end)]
  }
}

/**
 * Widen `[start, end)` to the nearest grapheme-cluster boundaries of `text`. An empty span (an insertion)
 * stays empty and moves to the start of the cluster it falls in. For many spans of one text, use one
 * {@link GraphemeSnapper} and ask in order.
 * @example snapToGraphemes('a👍b', 2, 3) // [1, 3]
 */
export function snapToGraphemes(text: string, start: number, end: number): [number, number] {
  return new GraphemeSnapper(text).snap(start, end)
}

function isIndex(n: unknown, max: number): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max
}

function applySpans(text: string, spans: ReplaceTextEdit[], label: string, changes: string[]): string {
  // Every offset that needs the segmenter, snapped in increasing order by one forward walk (spans may
  // overlap, so their own order is not increasing).
  const snapper = new GraphemeSnapper(text)
  const needed: number[] = []
  for (const e of spans) {
    if (!plainBoundary(text, e.start)) needed.push(e.start)
    if (e.end !== e.start && !plainBoundary(text, e.end)) needed.push(e.end)
  }
  const starts = new Map<number, number>()
  const ends = new Map<number, number>()
  for (const i of needed.sort((a, b) => a - b)) {
    starts.set(i, snapper.startOf(i))
    ends.set(i, snapper.endOf(i))
  }
  // Stable sort by start, then end: the earlier-listed edit wins a tie.
  const sorted = spans
    .map((e, order) => {
      const start = starts.get(e.start) ?? e.start
      const end = e.end === e.start ? start : (ends.get(e.end) ?? e.end)
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
