/**
 * The detector: one text in, the contact details in it out, in the text's own coordinates. The text is
 * normalised by the core's machinery with the switches that keep digits digits (no leet folding, no
 * separator or repeat removal: those would turn "1" into "i" and "133" into "13"), numerals are folded to
 * digits, and then three finders read the result: cued ids (WeChat, QQ), e-mail addresses, and chains of
 * digits, each chain read whole or as a run of its groups, longest first.
 * @module
 */
import { compileNormalizer } from '../../core/text/index.js'
import { chains, foldNumerals } from './digits.js'
import { cuedIds, emails } from './handles.js'
import { classify, type NumberKinds } from './numbers.js'
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
    for (const chain of chains(folded)) {
      const { groups, offsets, digits } = chain
      for (let i = 0; i < groups.length; ) {
        let j = i
        while (j + 1 < groups.length && offsets[j + 2]! - offsets[i]! <= MAX_DIGITS + 2) j++
        let next = i + 1
        for (; j >= i; j--) {
          const n = classify(digits.slice(offsets[i], offsets[j + 1]), chain.plus && i === 0, numberKinds)
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
    const n = normalizer.normalizeTransient(text)
    const folded = foldNumerals(n.text)
    const found: Found[] = []
    if (wechat || qq) found.push(...cuedIds(folded, wechat, qq))
    if (email) found.push(...emails(folded))
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
