/**
 * Unicode compatibility folding (NFKC, code point by code point): full-width forms, half-width katakana,
 * circled, parenthesised (brackets dropped: ⒦ is k) and mathematical letters, ligatures, superscripts. A half-width voiced mark
 * (ﾞ ﾟ) is composed with the kana before it, as NFKC of the whole string would do.
 * @module
 */
import { StageBuilder, type Stage, type Normalizer, type StageContext } from '../stage.js'

const VOICING = /^[\u3099\u309a]$/

/**
 * Parenthesised Latin letters and numbers (⒦ 🄚 ⑴), which NFKC writes with their brackets, "(k)": read as the
 * letter or number alone, as the circled ones (ⓚ) are, so "fuc⒦" is "fuck".
 */
const PARENTHESISED = /^[\u2474-\u2487\u249c-\u24b5\u{1f110}-\u{1f129}]$/u

// NFKC of one character never changes: cache it (bounded by the number of distinct characters seen).
const cache = new Map<string, string>()
function nfkc(ch: string): string {
  let folded = cache.get(ch)
  if (folded === undefined) {
    folded = ch.normalize('NFKC')
    if (PARENTHESISED.test(ch)) folded = folded.slice(1, -1)
    if (cache.size < 0x10000) cache.set(ch, folded)
  }
  return folded
}

/** Kana, CJK ideographs and Hangul syllables NFKC never changes: skipped without a call. */
function isStable(cp: number): boolean {
  return (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30a1 && cp <= 0x30fa) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3)
}

/**
 * Fold compatibility characters to their plain forms.
 * @example compat(context)(workspace.initialStage('ｆｕｃｋ')).text // 'fuck'
 */
export function compat({ workspace }: StageContext): Normalizer {
  return (input: Stage) => {
    const { text } = input
    // Text NFKC leaves as it is holds no compatibility character: one native pass decides.
    if (text.normalize('NFKC') === text) return input
    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i)!
      const len = cp > 0xffff ? 2 : 1
      if (cp >= 0xa0 && !isStable(cp)) {
        const ch = len === 1 ? text[i]! : text.slice(i, i + 2)
        const folded = nfkc(ch)
        if (folded !== ch) {
          out ??= new StageBuilder(workspace, input)
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
