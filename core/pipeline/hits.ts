/**
 * A plugin's hits are in the text as it saw it, after the edits of the plugins before it; the trace gives
 * them in the text Tencent sent, so a reader can mark them on what the sender wrote. Runs only for a
 * verdict that reports hits, never for a message nothing matched.
 * @module
 */
import type { Edit, Hit, ReplaceTextEdit } from '../plugin.js'
import type { TraceHit } from './types.js'

/** One verdict's replacements of one slot, sorted, with where each lands in the text after them. */
interface Shifts {
  readonly edits: readonly ReplaceTextEdit[]
  /** Start of edit k in the text after the edits. */
  readonly at: number[]
  /** End of edit k's new text in the text after the edits. */
  readonly after: number[]
  /** Length change of the edits before k (k = edits.length: of them all). */
  readonly delta: number[]
}

function shiftsOf(edits: ReplaceTextEdit[]): Shifts {
  edits.sort((a, b) => a.start - b.start)
  const at: number[] = []
  const after: number[] = []
  const delta = [0]
  let d = 0
  for (const e of edits) {
    at.push(e.start + d)
    after.push(e.start + d + e.text.length)
    d += e.text.length - (e.end - e.start)
    delta.push(d)
  }
  return { edits, at, after, delta }
}

/**
 * The position `pos` of a text after one verdict's edits, in the text before them. A position inside a
 * replacement goes to the replaced span's start (`side` 'start') or end ('end'), so a hit on replaced text
 * covers what was replaced. A binary search: the edits do not overlap, so only the last one starting before
 * `pos` can contain it, and a text with thousands of hits and edits maps in n log n, not n².
 */
function before(pos: number, s: Shifts, side: 'start' | 'end'): number {
  let lo = 0
  let hi = s.at.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((s.at[mid] as number) < pos) lo = mid + 1
    else hi = mid
  }
  // lo: the first edit starting at or after pos.
  if (lo > 0 && (side === 'start' ? pos < (s.after[lo - 1] as number) : pos <= (s.after[lo - 1] as number))) {
    const e = s.edits[lo - 1] as ReplaceTextEdit
    return side === 'start' ? e.start : e.end
  }
  if (side === 'start' && lo < s.at.length && s.at[lo] === pos) return (s.edits[lo] as ReplaceTextEdit).start
  return pos - (s.delta[lo] as number)
}

/**
 * `hits` in original coordinates, through `log`: the edits of the plugins before, in the order they applied.
 * @example mapHits([{ rule: 'x', slot: 0, start: 4, end: 5 }], [[replaceText(slot0, 0, 3, 'a')]])
 */
export function mapHits(hits: readonly Hit[], log: ReadonlyArray<readonly Edit[]> | undefined): TraceHit[] {
  // Per verdict in the log, per slot: its replacements, sorted once for every hit.
  const shifts = (log ?? []).map((edits) => {
    const bySlot = new Map<number, ReplaceTextEdit[]>()
    for (const e of edits) {
      // An edit without a slot names no text a hit could be in.
      if (e.op !== 'replace-text' || e.slot === undefined) continue
      const list = bySlot.get(e.slot)
      if (list === undefined) bySlot.set(e.slot, [e])
      else list.push(e)
    }
    return new Map([...bySlot].map(([slot, list]) => [slot, shiftsOf(list)]))
  })
  return hits.map((h) => {
    let start = h.start
    let end = h.end
    for (let i = shifts.length - 1; i >= 0; i--) {
      const s = (shifts[i] as Map<number, Shifts>).get(h.slot)
      if (s === undefined) continue
      start = before(start, s, 'start')
      end = Math.max(start, before(end, s, 'end'))
    }
    return { rule: h.rule, slot: h.slot, start, end }
  })
}
