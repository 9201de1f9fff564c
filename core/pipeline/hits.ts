/**
 * A plugin's hits are in the text as it saw it, after the edits of the plugins before it; the trace gives
 * them in the text Tencent sent, so a reader can mark them on what the sender wrote. Runs only for a
 * verdict that reports hits, never for a message nothing matched.
 * @module
 */
import type { Edit, Hit, ReplaceTextEdit } from '../plugin.js'
import type { TraceHit } from './types.js'

/**
 * The position `pos` of a text after one verdict's `edits` (replacements of that slot, in the coordinates
 * before them), in the text before them. A position inside a replacement goes to the replaced span's start
 * (`side` 'start') or end ('end'), so a hit on replaced text covers what was replaced.
 */
function before(pos: number, edits: readonly ReplaceTextEdit[], side: 'start' | 'end'): number {
  let delta = 0
  for (const e of edits) {
    const at = e.start + delta
    if (pos < at || (pos === at && side === 'end')) break
    const after = at + e.text.length
    // A start inside the new text (or at a stripped span) and an end inside or at its end: the replaced span.
    if (side === 'start' ? pos < after || pos === at : pos <= after) return side === 'start' ? e.start : e.end
    delta += e.text.length - (e.end - e.start)
  }
  return pos - delta
}

/**
 * `hits` in original coordinates, through `log`: the edits of the plugins before, in the order they applied.
 * @example mapHits([{ rule: 'x', slot: 0, start: 4, end: 5 }], [[replaceText(slot0, 0, 3, 'a')]])
 */
export function mapHits(hits: readonly Hit[], log: ReadonlyArray<readonly Edit[]> | undefined): TraceHit[] {
  return hits.map((h) => {
    let start = h.start
    let end = h.end
    if (log !== undefined) {
      for (let i = log.length - 1; i >= 0; i--) {
        const edits = (log[i] as readonly Edit[])
          .filter((e): e is ReplaceTextEdit => e.op === 'replace-text' && e.slot === h.slot)
          .sort((a, b) => a.start - b.start)
        if (edits.length === 0) continue
        start = before(start, edits, 'start')
        end = Math.max(start, before(end, edits, 'end'))
      }
    }
    return { rule: h.rule, slot: h.slot, start, end }
  })
}
