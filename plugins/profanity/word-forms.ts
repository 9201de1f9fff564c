/**
 * English word forms of a whole-word pattern, generated once when a list is compiled: `butt` also
 * matches "butts", `fuck` "fucks", "fucked", "fucking", "fuckin" (and "fuckin'") and, derived, "fucker",
 * "fuckers", "fucky". Regular spelling rules only (a doubled final consonant, a dropped silent e, y → ie);
 * irregular forms are listed words of their own.
 *
 * Inflections (-s, -es, -ies, -ed, -ing) are the listed word itself and carry only its own senses.
 * Derived forms (-er, -ers, -y) and the dropped-g spelling (-in) can be another word altogether — `butt`
 * gives "butter", `tit` "titter", `cum` "cummin" — so they are marked `derived`: the plugin generates them
 * only for the bundled lists, whose curation checked each against a dictionary.
 * @module
 */

/** One generated form: a pattern in the same AutoMod syntax as the one it came from. */
export interface WordForm {
  readonly pattern: string
  /** -er, -ers, -y or -in: can be a different word, so it needs a dictionary check. */
  readonly derived: boolean
}

/** The last word of a pattern, when it is plain Latin letters: forms are made on it. */
const LAST_WORD = /^(.*?)([A-Za-z]{3,})$/
/** Nouns and adverbs by their ending: they take a plural at most ("hookers", "fingerings"). */
const NOUN_ENDING = /(?:ing|er|or|ism|ion|ity|ia|ly|us|is)$/
/** A single consonant after a single vowel, doubled before a vowel suffix in a one-syllable word ("cum" → "cumming"). */
const DOUBLING = /(?:^|[^aeiou])[aeiou][bdfgklmnprtvz]$/
const VOWEL_GROUPS = /[aeiouy]+/g
/** Already a plural or a third person ("tits", "sucks"); -ss, -us and -is are singular ("ass", "anus", "penis"). */
const PLURAL = /[^sui]s$/

/**
 * The forms of a pattern's last word, when the pattern needs a word boundary at its end (`word`, `*word`)
 * and that word is at least three Latin letters. Forms equal to the pattern are not returned.
 *
 * @example
 * wordForms('cum').map((f) => f.pattern) // ['cums', 'cummed', 'cumming', 'cummin', 'cummer', 'cummers', 'cummy']
 * wordForms('*hole').map((f) => f.pattern).slice(0, 2) // ['*holes', '*holed']
 * wordForms('fuck*') // [] (a prefix pattern already matches every ending)
 */
export function wordForms(pattern: string): WordForm[] {
  const trimmed = pattern.trim()
  const m = LAST_WORD.exec(trimmed)
  if (m === null) return []
  const head = m[1]!
  const word = m[2]!
  const lower = word.toLowerCase()
  if (PLURAL.test(lower)) return []
  const out: WordForm[] = []
  const add = (form: string, derived: boolean): void => {
    out.push({ pattern: head + form, derived })
  }
  const consonantY = /[^aeiou]y$/.test(lower)
  if (/(?:s|x|z|ch|sh)$/.test(lower)) add(`${word}es`, false)
  else if (consonantY) add(`${word.slice(0, -1)}ies`, false)
  else add(`${word}s`, false)
  if (NOUN_ENDING.test(lower)) return out

  const oneSyllable = (lower.match(VOWEL_GROUPS) ?? []).length === 1
  // Before a vowel suffix: "cum" → "cumm", "rape" → "rap", "horny" → "horni"; others as they are.
  const stem = oneSyllable && DOUBLING.test(lower) ? word + word.slice(-1) : /[^aeiouy]e$/.test(lower) ? word.slice(0, -1) : word
  const yStem = consonantY ? `${word.slice(0, -1)}i` : stem
  add(lower.endsWith('e') ? `${word}d` : `${yStem}ed`, false)
  add(`${consonantY ? word : stem}ing`, false)
  add(`${consonantY ? word : stem}in`, true)
  add(`${yStem}er`, true)
  add(`${yStem}ers`, true)
  if (!lower.endsWith('y') && !lower.endsWith('e')) add(`${stem}y`, true)
  return out
}
