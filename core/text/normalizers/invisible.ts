/**
 * Removes invisible and format characters that split a word without showing: zero-width space / joiners,
 * soft hyphen, BOM, bidi marks and isolates, word joiner, tag characters (all `\p{Cf}`), the combining
 * grapheme joiner, variation selectors and the Hangul fillers that render as nothing.
 * @module
 */
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer, StageContext } from '../stage.js'

const CLASS = String.raw`\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}`
const INVISIBLE = new RegExp(`^[${CLASS}]$`, 'u')
const ANY_INVISIBLE = new RegExp(`[${CLASS}]`, 'u')

/**
 * Drop invisible characters. The neighbours keep their spans, so a hit across a removed character maps
 * back over it: "f\u200Buck" is found as one span of 5 code units.
 * @example invisible(context)(workspace.initialStage('f\u200Buck')).text // 'fuck'
 */
export function invisible({ workspace }: StageContext): Normalizer {
  return (input) =>
    ANY_INVISIBLE.test(input.text) ? mapCodePoints(workspace, input, (cp, ch) => (cp >= 0xad && INVISIBLE.test(ch) ? '' : undefined)) : input
}
