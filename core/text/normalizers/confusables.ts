/**
 * Folds look-alike letters from Cyrillic, Greek and Armenian, Latin small capitals ("ꜰᴜᴄᴋ", as small-caps text
 * generators write), negative circled and squared letters ("🅵🆄🅲🅺", which NFKC leaves alone) and a few IPA
 * oddities to the Latin letter they imitate, so "fυсk" (Greek upsilon, Cyrillic es) is "fuck". Terms go through
 * the same fold, so lists in those scripts still match themselves. Regional indicator letters (🇫🇺) are left
 * alone: two of them make a flag.
 * @module
 */
import { mapCodePoints } from '../map-code-points.js'
import type { Normalizer, StageContext } from '../stage.js'

/**
 * The 26 letters from `first` on (negative circled 🅐…, negative squared 🅰…), each to its small letter: they
 * have no case of their own, and the fold lower-cases before it gets here, like the small capitals below.
 */
function lettersFrom(first: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 26 }, (_, k) => [String.fromCodePoint(first + k), String.fromCharCode(0x61 + k)]))
}

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
  // Latin small capitals (ǫ, which small-caps generators use for q, is left: it is an o with ogonek), IPA
  // letters and the hooked f that pass for plain ones
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n',
  ᴏ: 'o', ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z',
  ɑ: 'a', ɩ: 'i', ƒ: 'f',
  ...lettersFrom(0x1f150),
  ...lettersFrom(0x1f170),
})

/** The lowest code point with an entry (ƒ): every character below it is left as it is without a lookup. */
const FIRST = 0x192

/**
 * Fold look-alike letters to Latin.
 * @example confusables(context)(workspace.initialStage('fυсk')).text // 'fuck'
 */
export function confusables({ workspace }: StageContext): Normalizer {
  return (input) =>
    /[\u0192\u0250-\u058f\u1d00-\u1d22\ua730\ua731\u{1f150}-\u{1f169}\u{1f170}-\u{1f189}]/u.test(input.text) ? mapCodePoints(workspace, input, (cp, ch) => (cp < FIRST ? undefined : CONFUSABLES[ch])) : input
}
