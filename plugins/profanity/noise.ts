/**
 * Noise letters: a listed word written with one filler character repeated between its letters — "fxuxcxk",
 * "sxhxixt", "f2u2c2k", "F x U x C x K" — is found, and its whole token reported in original coordinates
 * (so the mask covers the filler too: "*******").
 *
 * Read narrowly, because everyday words have the shape: "bananas", "caravan", "bikinis" alternate one letter
 * too. A token counts only when all of these hold, on the normalised text (case, width, look-alikes,
 * leetspeak, separators between single letters already folded):
 * - it is a whole word: ASCII letters and digits, with no letter, number or mark of a spaced script on
 *   either side;
 * - it alternates a letter of the word and one filler, the same filler between every pair of letters, none
 *   at the ends ("fxuxcxk", not "xfxuxcxkx");
 * - it spells at least {@link MIN_NOISED_LETTERS} letters, none of them the filler ("sxhxixt" spells "shit";
 *   a filler equal to the letter beside it has already merged with it, so "s1h1i1t", which leetspeak reads
 *   "sihiiit" and `repeats` "sihit", is not caught);
 * - the letters, read as a word, are a listed term or one of its word forms, whole: the term list decides,
 *   with its allow list, so an everyday word only hits when dropping every other letter of it leaves a
 *   listed word.
 * The curation (`scripts/curate.ts`) counts the everyday words this still hits; the plugin README publishes
 * the figures.
 *
 * Per message it costs one pass over the normalised text the term list has just made (the normaliser hands
 * back its last result), looking at two code units of most words; only a token of the shape is spelled out
 * and looked up.
 * @module
 */
import { compileNormalizer, type NormalizeOptions } from '../../core/text/index.js'
import { codePointAt, codePointBefore, isWordChar } from '../../core/text/scripts.js'
import type { TermHit, TermSet } from '../../core/terms.js'
import { unitAt, unitOrNaN } from '../../core/units.js'

/**
 * The fewest letters a noised token must spell. Three would take in "axsxs" for `ass`, and five-letter
 * everyday words of that shape are many; the curation's figures for each length are in the README.
 */
export const MIN_NOISED_LETTERS = 4

/** The shortest noised token: its letters and a filler between each two. */
const MIN_UNITS = 2 * MIN_NOISED_LETTERS - 1

/** Per ASCII unit: 1 for a letter or a digit (what a noised token is made of). */
const ALNUM = new Uint8Array(128).map((_, c) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 1 : 0,
)

/**
 * The letters `text[s, e)` spells when it has the shape of a noised token (odd length, at least
 * MIN_UNITS units, one filler at every odd offset, no letter equal to the filler), else undefined. It
 * does not look at the token's neighbours.
 * @example denoise('fxuxcxk', 0, 7) // 'fuck'
 * @example denoise('bananas', 0, 7) // 'bnns' (the shape alone: the term list decides)
 * @example denoise('axbxxxc', 0, 7) // undefined (a letter is the filler: only with `repeats` off, which leaves "xxx")
 */
export function denoise(text: string, s: number, e: number, minUnits = MIN_UNITS): string | undefined {
  if (((e - s) & 1) === 0 || e - s < minUnits) return undefined
  const filler = unitOrNaN(text, s + 1)
  for (let k = s + 3; k < e; k += 2) if (unitOrNaN(text, k) !== filler) return undefined
  let letters = ''
  for (let k = s; k < e; k += 2) {
    const c = unitOrNaN(text, k)
    if (c === filler) return undefined
    letters += text[k]
  }
  return letters
}

/**
 * Calls `visit(s, e, letters)` for each whole token of `text` that {@link denoise} spells out. A token is a
 * run of ASCII letters and digits with no other letter, number or mark of a spaced script next to it.
 */
export function noisedTokens(text: string, visit: (s: number, e: number, letters: string) => void, minUnits = MIN_UNITS): void {
  const n = text.length
  let i = 0
  while (i < n) {
    let c = unitAt(text, i)
    if (c >= 0x80 || ALNUM[c] === 0) {
      i++
      continue
    }
    const s = i
    while (++i < n && (c = unitAt(text, i)) < 0x80 && ALNUM[c] === 1);
    // Most words end here: too short, of even length, or a second filler unlike the first.
    if (((i - s) & 1) === 0 || i - s < minUnits || unitOrNaN(text, s + 1) !== unitOrNaN(text, s + 3)) continue
    const letters = denoise(text, s, i, minUnits)
    if (letters === undefined) continue
    if ((s > 0 && isWordChar(codePointBefore(text, s))) || (i < n && isWordChar(codePointAt(text, i)))) continue
    visit(s, i, letters)
  }
}

/** Finds the noised tokens of a text that spell a term of `terms`, beside the hits `terms` found itself. */
export type NoiseFinder<Data> = (text: string, found: Array<TermHit<Data>>) => Array<TermHit<Data>>

/**
 * A finder over `terms`, compiled with the same normaliser switches: `find(text, terms.find(text))` returns
 * those hits and, in text order, a hit for each noised token that spells a term whole (the term's pattern,
 * index and data; the token's span). A token a hit already overlaps is left to that hit.
 * @example
 * const terms = compileTerms([{ pattern: 'fuck' }])
 * const find = createNoiseFinder(terms)
 * find('what the fxuxcxk', terms.find('what the fxuxcxk')) // [{ start: 9, end: 16, pattern: 'fuck', … }]
 */
export function createNoiseFinder<Data>(terms: TermSet<Data>, normalize: NormalizeOptions = {}, minLetters = MIN_NOISED_LETTERS): NoiseFinder<Data> {
  // The normaliser the term list uses: its last result is the text `terms.find` has just normalised.
  const normalizer = compileNormalizer(normalize)
  const minUnits = 2 * minLetters - 1
  // Scratch: the tokens of the text being read (original spans, letters), reused.
  const starts: number[] = []
  const ends: number[] = []
  const spelled: string[] = []
  return (text, found) => {
    const n = normalizer.normalizeTransient(text)
    let count = 0
    noisedTokens(n.text, (s, e, letters) => {
      // Mapped now: looking the letters up below normalises them, which ends this result's maps.
      const span = n.toOriginal(s, e)
      starts[count] = span.start
      ends[count] = span.end
      spelled[count++] = letters
    }, minUnits)
    if (count === 0) return found
    const hits = found.slice()
    for (let k = 0; k < count; k++) {
      const start = starts[k]!
      const end = ends[k]!
      if (found.some((h) => h.start < end && h.end > start)) continue
      const letters = spelled[k]!
      const whole = terms.find(letters)
      const hit = whole.length === 1 && whole[0]!.start === 0 && whole[0]!.end === letters.length ? whole[0]! : undefined
      if (hit !== undefined) hits.push({ start, end, pattern: hit.pattern, index: hit.index, data: hit.data })
    }
    return hits.length === found.length ? found : hits.sort((a, b) => a.start - b.start)
  }
}
