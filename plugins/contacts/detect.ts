/**
 * The detector: one text in, the contact details in it out, in the text's own coordinates. The text is
 * normalised by the core's machinery with the switches that keep digits digits (no leet folding, no
 * separator or repeat removal: those would turn "1" into "i" and "133" into "13"), numerals are folded to
 * digits, and then three finders read the result: cued ids (WeChat, QQ), e-mail addresses, and chains of
 * digits, each chain read whole or as a run of its groups, longest first.
 * @module
 */
import { compileNormalizer } from '../../core/text/index.js'
import { chains, foldNumerals, NUMERAL_CHARS } from './digits.js'
import { cuedIds, emails, QQ_CUES, WECHAT_CUES } from './handles.js'
import { classify, mayBeNumber, PARSE_BUDGET, type Budget, type NumberKinds } from './numbers.js'
import type { ContactKind } from './options.js'

/** A contact detail found in a text. */
export interface ContactHit {
  readonly kind: ContactKind
  /** Its span in the original text. */
  readonly start: number
  readonly end: number
  /** Where the digits that may stay readable start (`end` when none do). */
  readonly keepFrom: number
  /** Its normalised form, compared with the allow list: E.164 for phones, lower case for ids and addresses. */
  readonly key: string
}

/** A hit in folded-text coordinates, before mapping back. */
interface Found {
  kind: ContactKind
  start: number
  end: number
  key: string
}

/** The longest number worth reading: a 19-digit card, or an international number with `00` and 15 digits. */
const MAX_DIGITS = 19

/**
 * A text can hold a contact detail only if it has one of these: a digit, a numeral, an `@`, a cue's
 * first character or Latin spelling, or a character the normaliser would change into something that
 * matters (full-width letters and digits, circled digits, invisible characters, accented and look-alike
 * letters…). Everything else sits in the ranges below: ASCII, Latin-1 punctuation (not its superscripts
 * and fractions), the common dashes and quotes, CJK and full-width punctuation, kana, ideographs, hangul,
 * and emoji (not the mathematical U+1D400… or enclosed U+1F100… alphanumerics). A text with none of them —
 * most chat — is answered without normalising it. A table lookup a code unit: a regular expression
 * with these astral ranges is slower on emoji-laden lines, where a table costs the same every unit.
 */
const SAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x7f], [0xa0, 0xb1], [0xb4, 0xb8], [0xba, 0xbb], [0xbf, 0xbf], [0x2010, 0x2027], [0x3001, 0x303f],
  [0x3040, 0x30ff], [0x4e00, 0x9fff], [0xac00, 0xd7af], [0xff01, 0xff0f], [0xff1a, 0xff1f], [0xff3b, 0xff40],
  [0xff5b, 0xff65],
]
const CUES: readonly string[] = [...WECHAT_CUES, ...QQ_CUES]
/** 1 for a BMP code unit that may matter; surrogates are read as pairs. */
const TRIGGERS = new Uint8Array(0x10000).fill(1)
for (const [from, to] of SAFE_RANGES) TRIGGERS.fill(0, from, to + 1)
for (const ch of `0123456789@${NUMERAL_CHARS}`) TRIGGERS[ch.charCodeAt(0)] = 1
const ASTRAL_CUES = new Set<number>()
for (const cue of CUES) {
  const cp = cue.codePointAt(0)!
  if (cp > 0xffff) ASTRAL_CUES.add(cp)
  else if (!/[a-z+]/.test(cue[0]!)) TRIGGERS[cp] = 1
}
/** Latin cues, in any case (ASCII passes the table). */
// Written out factored: the plain alternation of the cues took 1.6 times as long on the bench's texts.
const LATIN_CUES = /v ?[x信号]|wx|we(?:ixin|chat)|\+v|q[q号群]|kou ?kou/i

/**
 * True if `text` may hold a contact detail (false: it holds none).
 * @example mayHold('see you at noon') // false
 */
export function mayHold(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const cp = text.codePointAt(i)!
      i++
      if (ASTRAL_CUES.has(cp) || !((cp >= 0x1f000 && cp <= 0x1f0ff) || (cp >= 0x1f200 && cp <= 0x1faff))) return true
    } else if (TRIGGERS[c] === 1 && (c < 0xdc00 || c > 0xdfff)) return true
  }
  return LATIN_CUES.test(text)
}

/** What the detector looks for. */
export interface DetectorSettings {
  readonly kinds: ReadonlySet<ContactKind>
  /** Trailing digits of a number left readable; a number with fewer than twice as many keeps none. */
  readonly keepLast: number
}

/**
 * Compile a detector once; call it per text.
 * @example createDetector({ kinds: new Set(['phone']), keepLast: 4 })('电话：138-1234-5678')
 */
export function createDetector(settings: DetectorSettings): (text: string) => ContactHit[] {
  const { kinds, keepLast } = settings
  const normalizer = compileNormalizer({ separators: false, leet: false, repeats: false, chinese: false })
  const numberKinds: NumberKinds = { phone: kinds.has('phone'), idCard: kinds.has('idCard'), bankCard: kinds.has('bankCard') }
  const anyNumber = numberKinds.phone || numberKinds.idCard || numberKinds.bankCard
  const wechat = kinds.has('wechat')
  const qq = kinds.has('qq')
  const email = kinds.has('email')

  /** The numbers in one chain: from each group, the longest run of groups that is one. */
  const numbers = (found: Found[], folded: string): void => {
    const budget: Budget = { left: PARSE_BUDGET }
    for (const chain of chains(folded)) {
      const { groups, offsets, digits } = chain
      for (let i = 0; i < groups.length;) {
        let j = i
        while (j + 1 < groups.length && offsets[j + 2]! - offsets[i]! <= MAX_DIGITS + 2) j++
        let next = i + 1
        const plus = chain.plus && i === 0
        for (; j >= i; j--) {
          if (!mayBeNumber(digits, offsets[i]!, offsets[j + 1]!, plus)) continue
          const n = classify(digits.slice(offsets[i], offsets[j + 1]), plus, numberKinds, budget)
          if (n !== undefined) {
            found.push({ kind: n.kind, start: i === 0 ? chain.start : groups[i]![0], end: groups[j]![1], key: n.key })
            next = j + 1
            break
          }
        }
        i = next
      }
    }
  }

  return (text) => {
    if (!mayHold(text)) return []
    const n = normalizer.normalizeTransient(text)
    const folded = foldNumerals(n.text)
    const found: Found[] = []
    // Appended one by one: spread as arguments, a text with ~100k hits (a raised body limit) overflows the stack.
    if (wechat || qq) for (const hit of cuedIds(folded, wechat, qq)) found.push(hit)
    if (email) for (const hit of emails(folded)) found.push(hit)
    if (anyNumber) numbers(found, folded)
    if (found.length === 0) return []
    // Overlaps (a QQ number that is also a phone number, a phone inside an address): the earlier, then longer, wins.
    found.sort((a, b) => a.start - b.start || b.end - a.end)
    const hits: ContactHit[] = []
    let cursor = 0
    for (const f of found) {
      if (f.start < cursor) continue
      cursor = f.end
      const start = n.start[f.start]!
      const end = n.end[f.end - 1]!
      let keepFrom = end
      if (keepLast > 0 && f.kind !== 'wechat' && f.kind !== 'email') {
        // The keepLast-th digit from the end, if the number has at least twice as many.
        let seen = 0
        let at = f.end
        let total = 0
        for (let i = f.end - 1; i >= f.start; i--) {
          const c = folded.charCodeAt(i)
          if ((c >= 48 && c <= 57) || c === 120) {
            total++
            if (++seen === keepLast) at = i
          }
        }
        if (total >= 2 * keepLast) keepFrom = n.start[at]!
      }
      hits.push({ kind: f.kind, start, end, keepFrom, key: f.key })
    }
    return hits
  }
}
