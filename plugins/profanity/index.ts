/**
 * `profanity`: finds listed words — inline, from files, from the bundled curated lists — on a normalised
 * copy of each text element (so "f.u.c.k", "ｆｕｃｋ", "sh1t", "傻 逼" are caught) and masks them, rejects
 * the message or drops it; per-category overrides pick a stricter action for some words. Options and
 * examples: README.md beside this file.
 *
 * @module
 */
import { allow, definePlugin, drop, edit, reject, replaceText, type Edit, type Hit } from '../../core/plugin.js'
import { GraphemeSnapper } from '../../core/edits.js'
import { slotKinds } from '../../core/slots.js'
import { ShardedMap } from '../../core/sharded-map.js'
import { createSlicer } from '../../core/slices.js'
import { compileTermsAsync, type TermEntry } from '../../core/terms.js'
import { maskSpan } from '../../core/mask.js'
import { pinyinKinds, profanityOptions, type Action } from './options.js'
import { readBundledList, readWordFile } from './word-files.js'
import { wordForms } from './word-forms.js'
import { loadPinyinExpander, type PinyinExpander } from './pinyin-variants.js'
import { createNoiseFinder } from './noise.js'

export { profanityOptions, pinyinKinds, BUNDLED_LISTS, ACTIONS, type Action, type ProfanityOptions, type ProfanityOptionsInput } from './options.js'
export { parseWordFile, readWordFile, readBundledList, type FileTerm, type BundledList } from './word-files.js'
export { wordForms, type WordForm } from './word-forms.js'
export {
  createPinyinExpander,
  loadPinyinExpander,
  parseHomophones,
  PINYIN_KINDS,
  type PinyinExpander,
  type PinyinKind,
  type PinyinVariant,
} from './pinyin-variants.js'
export { createNoiseFinder, denoise, noisedTokens, MIN_NOISED_LETTERS, type NoiseFinder } from './noise.js'

/** What each term carries through the matcher. */
interface TermData {
  readonly category: string | undefined
}

/** The strictest action wins when a message has hits with different actions. */
const SEVERITY: Readonly<Record<Action, number>> = { mask: 0, drop: 1, reject: 2 }

/**
 * The `profanity` plugin.
 *
 * @example
 * const pipeline = await createPipeline({
 *   plugins: [[profanity, { words: [{ pattern: '*fuck*', category: 'severe' }], categories: { severe: 'reject' }, code: 120001 }]],
 * })
 */
export const profanity = definePlugin({
  name: 'profanity',
  description: 'Masks, rejects or drops messages holding listed words, evasions included (bundled en/zh/ja lists).',
  options: profanityOptions,
  async create(options, env) {
    const entries: Array<TermEntry<TermData>> = []
    const allowList: string[] = [...options.allow]
    // One data object per category, shared by its words: a 100k-word list holds 100k fewer objects.
    const byCategory = new Map<string | undefined, TermData>()
    const dataOf = (category: string | undefined): TermData => {
      let data = byCategory.get(category)
      if (data === undefined) byCategory.set(category, (data = Object.freeze({ category })))
      return data
    }
    const kinds = pinyinKinds(options.pinyin)
    const expand: PinyinExpander | undefined = kinds.size > 0 ? await loadPinyinExpander() : undefined
    // A variant made twice (from 幹你娘 and 干你娘, or a form that is listed too) is compiled once per category.
    const generated = new ShardedMap<true>()
    // A term and, when the options ask for them, its variants. Derived word forms need a dictionary
    // check, so only a bundled list (whose curation made `skip`) gets them.
    const add = (pattern: string, category: string | undefined, skip?: ReadonlySet<string>, pinyin = true): void => {
      const data = dataOf(category)
      entries.push({ pattern, data })
      const variant = (p: string): void => {
        const key = `${category ?? ''}\u0000${p}`
        if (skip?.has(p) === true || generated.has(key)) return
        generated.set(key, true)
        entries.push({ pattern: p, data })
      }
      if (options.forms) for (const f of wordForms(pattern)) if (skip !== undefined || !f.derived) variant(f.pattern)
      if (expand !== undefined && pinyin) for (const v of expand(pattern, kinds)) variant(v.pattern)
    }
    // Lists can be large: build in slices, so a server reloading this plugin keeps answering meanwhile.
    const slicer = createSlicer()
    for (const name of options.lists) {
      const list = await readBundledList(name)
      // Pinyin is for Chinese: the kanji of a Japanese term read in Mandarin are nobody's spelling of it.
      await slicer.each(list.terms, (t) => add(t.pattern, t.category, list.skip, name === 'zh'))
      allowList.push(...list.allow)
    }
    for (const file of options.files) {
      await slicer.each(await readWordFile(file, env.baseDir), (t) => add(t.pattern, t.category))
    }
    await slicer.each(options.words, (w) => (typeof w === 'string' ? add(w, undefined) : add(w.pattern, w.category)))
    // An allowed phrase's forms stay allowed: "blue tit" covers "blue tits" as it covers "blue tit".
    if (options.forms) allowList.push(...allowList.flatMap((phrase) => wordForms(phrase).filter((f) => !f.derived).map((f) => f.pattern)))
    const terms = await compileTermsAsync(entries, { allow: allowList, normalize: options.normalize })
    // Noise letters ("fxuxcxk") are read on the text the term list has just normalised, after its own hits.
    const noise = options.noiseLetters ? createNoiseFinder(terms, options.normalize) : undefined
    const actionOf = (data: TermData | undefined): Action =>
      (data?.category === undefined ? undefined : options.categories[data.category]) ?? options.action
    const slotKindsRead = slotKinds(options.slots)
    env.log.debug({ terms: terms.size, generated: generated.size, allow: allowList.length }, 'profanity: lists compiled')

    return {
      check(message) {
        let action: Action | undefined
        const hits: Hit[] = []
        const edits: Edit[] = []
        for (const slot of message.slots) {
          if (!slotKindsRead.has(slot.kind)) continue
          const found = noise === undefined ? terms.find(slot.text) : noise(slot.text, terms.find(slot.text))
          const snapper = new GraphemeSnapper(slot.text)
          for (const hit of found) {
            const a = actionOf(hit.data)
            if (action === undefined || SEVERITY[a] > SEVERITY[action]) action = a
            const m = maskSpan(slot.text, hit.start, hit.end, options.maskChar, snapper)
            edits.push(replaceText(slot, m.start, m.end, m.text))
            hits.push({ rule: hit.pattern, slot: slot.index, start: hit.start, end: hit.end })
          }
        }
        if (action === undefined) return allow()
        const n = hits.length
        const reason = `profanity: ${n} listed word${n === 1 ? '' : 's'} found`
        if (action === 'reject') return reject({ code: options.code, groupCode: options.groupCode, info: options.info, reason, hits })
        if (action === 'drop') return drop(reason, hits)
        return edit(edits, `${reason}, masked`, hits)
      },
    }
  },
})

export default profanity
