/**
 * Case folding: every code point to lower case (Unicode-aware: `Ａ`, `Σ`, `Д` too).
 * @module
 */
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer, StageContext } from '../stage.js'

function lower(cp: number, ch: string): string | undefined {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : undefined
  const folded = ch.toLowerCase()
  return folded === ch ? undefined : folded
}

/**
 * Lower-case every code point.
 * @example caseFold(context)(workspace.initialStage('FuCK')).text // 'fuck'
 */
export function caseFold({ workspace }: StageContext): Normalizer {
  return (input) => {
    const folded = input.text.toLowerCase()
    // Already lower case (most chat): one native pass. Same length: every code unit folded in place (no
    // lower-case mapping shrinks a character), so the spans carry over unchanged.
    if (folded === input.text) return input
    if (folded.length === input.text.length) return { text: folded, start: input.start, end: input.end }
    return mapCodePoints(workspace, input, lower)
  }
}
