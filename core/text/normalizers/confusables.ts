/**
 * Folds look-alike letters from Cyrillic, Greek and Armenian (and a few Latin/IPA oddities) to the Latin letter
 * they imitate, so "fυсk" (Greek upsilon, Cyrillic es) is "fuck". Terms go through the same fold, so lists in
 * those scripts still match themselves.
 * @module
 */
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer } from '../stage.js'

/** Look-alike → Latin, both cases (case folding may be off). */
export const CONFUSABLES: Readonly<Record<string, string>> = Object.freeze({
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ѵ: 'v', ү: 'y', ɡ: 'g',
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  Ѕ: 'S', І: 'I', Ї: 'I', Ј: 'J', Ԁ: 'D', Һ: 'H', Ӏ: 'I', Ԛ: 'Q', Ԝ: 'W', Ѵ: 'V', Ү: 'Y',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ω: 'w', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y',
  Χ: 'X', Ϲ: 'C',
  // Armenian small letters that pass for Latin ones (Unicode's confusables data maps each to this letter)
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n', ք: 'f', զ: 'q',
  // Latin small capitals, IPA letters and the hooked f that pass for plain ones
  ʀ: 'r', ʏ: 'y', ɪ: 'i', ʜ: 'h', ɴ: 'n', ʟ: 'l', ɑ: 'a', ɩ: 'i', ƒ: 'f',
})

/** The lowest code point with an entry (ƒ): every character below it is left as it is without a lookup. */
const FIRST = 0x192

/**
 * Fold look-alike letters to Latin.
 * @example confusables()(initialStage('fυсk')).text // 'fuck'
 */
export function confusables(): Normalizer {
  return (input) =>
    /[\u0192\u0250-\u058f]/.test(input.text) ? mapCodePoints(input, (cp, ch) => (cp < FIRST ? undefined : CONFUSABLES[ch])) : input
}
