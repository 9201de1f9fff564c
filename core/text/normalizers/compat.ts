/**
 * Unicode compatibility folding (NFKC, code point by code point): full-width forms, half-width katakana,
 * circled, parenthesised and mathematical letters, ligatures, superscripts. A half-width voiced mark
 * (ﾞ ﾟ) is composed with the kana before it, as NFKC of the whole string would do.
 * @module
 */
import { StageBuilder, type Stage, type Normalizer } from '../stage.js'

const VOICING = /^[\u3099\u309a]$/

/**
 * Fold compatibility characters to their plain forms.
 * @example compat()(initialStage('ｆｕｃｋ')).text // 'fuck'
 */
export function compat(): Normalizer {
  return (input: Stage) => {
    const { text } = input
    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!
      const len = cp > 0xffff ? 2 : 1
      if (cp >= 0xa0) {
        const ch = len === 1 ? text[i]! : text.slice(i, i + 2)
        const folded = ch.normalize('NFKC')
        if (folded !== ch) {
          out ??= new StageBuilder()
          out.copy(input, copiedTo, i)
          copiedTo = i + len
          const e = input.end[i + len - 1]!
          if (VOICING.test(folded) && out.length > 0) {
            // ﾊﾞ → バ: the mark composes with the kana already written, whose span grows over the mark.
            const prev = out.lastUnits(1)
            const composed = (prev + folded).normalize('NFC')
            if (composed.length === 1) {
              out.replaceLast(1, composed, e)
              i += len
              continue
            }
          }
          out.push(folded, input.start[i]!, e)
        }
      }
      i += len
    }
    if (out === undefined) return input
    out.copy(input, copiedTo, text.length)
    return out.build()
  }
}
