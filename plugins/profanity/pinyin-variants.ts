/**
 * Pinyin and homophone variants of Chinese terms, for the `pinyin` mode: `操你妈` also as "caonima" and
 * "cao ni ma" (tones fold away with the diacritics, so "cào nǐ mā" is caught too), as its initials "cnm",
 * and written with homophones, "草泥马". Generated once when a list is compiled; nothing here runs per
 * message.
 *
 * Readings come from `pinyin-pro`, which reads a polyphonic character from the word around it (干 in 干你娘
 * is gàn, not gān) — the part we would otherwise have to write and maintain a dictionary for. It is loaded
 * on first use, so the mode costs nothing while it is off. Homophones are the common characters that share
 * a syllable, tones aside, from `lists/zh.homophones.txt` (made by the curation script from jieba's
 * dictionary frequencies).
 * @module
 */
import { readFile } from 'node:fs/promises'

/** The kinds of variant, each switchable in the options. */
export const PINYIN_KINDS = ['spelling', 'initials', 'homophones'] as const
export type PinyinKind = (typeof PINYIN_KINDS)[number]

/** One generated variant: a pattern in AutoMod syntax, and how it was made. */
export interface PinyinVariant {
  readonly pattern: string
  readonly kind: PinyinKind
}

/** Makes the variants of one term. */
export type PinyinExpander = (term: string, kinds: ReadonlySet<PinyinKind>) => PinyinVariant[]

/** Terms written in Han characters only, two or more: one syllable alone ("ji", "cao") is too many words. */
const HAN_TERM = /^\p{Script=Han}{2,}$/u
/** A syllable pinyin-pro could read: a character it cannot read comes back as itself. */
const SYLLABLE = /^[a-zü]+$/
/**
 * Initials shorter than three letters collide with everyday Latin abbreviations ("md", "nm", "cn", "tm",
 * "jb"). "sb" is kept: it is how 傻逼 is most often written in Chinese chat, and English has no such word.
 */
const TWO_LETTER_INITIALS: ReadonlySet<string> = new Set(['sb'])
/**
 * Homophones for terms of 3 or 4 characters. Two characters written alike are everywhere across word
 * boundaries (你妈 → "是你吗", 妓院 → "以及原来"): the curation measured 8–12 times the list's own rate of
 * hits on pairs of everyday words with them, and none above it without. Longer terms multiply (a 4-character
 * term with 3 homophones a syllable has 255 spellings; a 5-character one 1023) and are rarely punned on.
 */
const MIN_HOMOPHONE_CHARS = 3
const MAX_HOMOPHONE_CHARS = 4
/**
 * Spaced spellings ("cao ni ma") for three syllables or more: two spaced syllables are any two syllables of
 * a sentence typed in pinyin ("ni ma" in "shi ni ma", 是你吗). Joined spellings ("nima") need a whole word.
 */
const MIN_SPACED_SYLLABLES = 3

/**
 * Parse the homophone table: one syllable a line, a TAB, then its common characters, most frequent first.
 * @example parseHomophones('ma\t吗马骂\n') // Map { 'ma' => ['吗', '马', '骂'] }
 */
export function parseHomophones(text: string): Map<string, string[]> {
  const table = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t')
    if (line.startsWith('#') || tab < 0) continue
    table.set(line.slice(0, tab), [...line.slice(tab + 1).trim()])
  }
  return table
}

/** The readings, as pinyin-pro's `pinyin(text, options)` gives them. */
type PinyinFn = (text: string, options: { toneType: 'none'; type: 'array'; pattern?: 'first' }) => string[]

/**
 * The variant maker, given pinyin-pro's `pinyin` and the homophone table.
 * @example
 * const expand = createPinyinExpander(pinyin, parseHomophones('cao\t草\nni\t泥\nma\t马\n'))
 * expand('操你妈', new Set(['spelling', 'initials', 'homophones'])).map((v) => v.pattern)
 * // ['caonima', 'cao ni ma', 'cnm', '操你马', '操泥妈', '操泥马', '草你妈', …, '草泥马']
 */
export function createPinyinExpander(pinyin: PinyinFn, homophones: ReadonlyMap<string, readonly string[]>): PinyinExpander {
  return (term, kinds) => {
    const text = term.trim()
    if (!HAN_TERM.test(text)) return []
    const syllables = pinyin(text, { toneType: 'none', type: 'array' })
    if (!syllables.every((s) => SYLLABLE.test(s))) return []
    const out: PinyinVariant[] = []
    if (kinds.has('spelling')) {
      // "ü" is typed as u (the diacritics normaliser folds ü to u as well) or v.
      const spellings = new Set([syllables.map((s) => s.replaceAll('ü', 'u')), syllables.map((s) => s.replaceAll('ü', 'v'))].map((s) => s.join('\u0000')))
      for (const s of spellings) {
        const parts = s.split('\u0000')
        out.push({ pattern: parts.join(''), kind: 'spelling' })
        if (parts.length >= MIN_SPACED_SYLLABLES) out.push({ pattern: parts.join(' '), kind: 'spelling' })
      }
    }
    if (kinds.has('initials')) {
      const initials = pinyin(text, { toneType: 'none', type: 'array', pattern: 'first' }).join('').replaceAll('ü', 'u')
      if (initials.length >= 3 || TWO_LETTER_INITIALS.has(initials)) out.push({ pattern: initials, kind: 'initials' })
    }
    const chars = [...text]
    if (kinds.has('homophones') && chars.length >= MIN_HOMOPHONE_CHARS && chars.length <= MAX_HOMOPHONE_CHARS) {
      let combos = ['']
      chars.forEach((c, i) => {
        const alike = [c, ...(homophones.get(syllables[i]!) ?? []).filter((h) => h !== c)]
        combos = combos.flatMap((prefix) => alike.map((h) => prefix + h))
      })
      for (const c of combos) if (c !== text) out.push({ pattern: c, kind: 'homophones' })
    }
    return out
  }
}

let loaded: Promise<PinyinExpander> | undefined

/**
 * The expander with pinyin-pro and the bundled homophone table, loaded once per process on first use.
 * @example
 * const expand = await loadPinyinExpander()
 * expand('傻逼', new Set(['initials'])) // [{ pattern: 'sb', kind: 'initials' }]
 */
export function loadPinyinExpander(): Promise<PinyinExpander> {
  loaded ??= Promise.all([
    import('pinyin-pro'),
    readFile(new URL('./lists/zh.homophones.txt', import.meta.url), 'utf8'),
  ]).then(([{ pinyin }, table]) => createPinyinExpander(pinyin as PinyinFn, parseHomophones(table)))
  return loaded
}
