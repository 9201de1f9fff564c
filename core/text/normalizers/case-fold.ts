/**
 * Case folding: every code point to lower case (Unicode-aware: `Ａ`, `Σ`, `Д` too).
 * @module
 */
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer } from '../stage.js'

/**
 * Lower-case every code point.
 * @example caseFold()(initialStage('FuCK')).text // 'fuck'
 */
export function caseFold(): Normalizer {
  return (input) =>
    mapCodePoints(input, (cp, ch) => {
      if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : undefined
      const lower = ch.toLowerCase()
      return lower === ch ? undefined : lower
    })
}
