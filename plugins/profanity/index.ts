/**
 * `profanity`: finds listed words — inline, from files, from the bundled curated lists — on a normalised
 * copy of each text element (so "f.u.c.k", "ｆｕｃｋ", "sh1t", "傻 逼" are caught) and masks them, rejects
 * the message or drops it; per-category overrides pick a stricter action for some words. Options and
 * examples: README.md beside this file.
 *
 * @module
 */
import { allow, definePlugin, drop, edit, reject, replaceText, type Edit } from '../../core/plugin.js'
import { slotKinds } from '../../core/slots.js'
import { compileTerms, type TermEntry } from '../../core/terms.js'
import { maskSpan } from './mask.js'
import { profanityOptions, type Action } from './options.js'
import { readBundledList, readWordFile } from './word-files.js'

export { profanityOptions, BUNDLED_LISTS, ACTIONS, type Action, type ProfanityOptions, type ProfanityOptionsInput } from './options.js'
export { parseWordFile, readWordFile, readBundledList, type FileTerm } from './word-files.js'
export { maskSpan } from './mask.js'

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
    for (const name of options.lists) {
      const list = await readBundledList(name)
      for (const t of list.terms) entries.push({ pattern: t.pattern, data: dataOf(t.category) })
      allowList.push(...list.allow)
    }
    for (const file of options.files) {
      for (const t of await readWordFile(file, env.baseDir)) entries.push({ pattern: t.pattern, data: dataOf(t.category) })
    }
    for (const w of options.words) {
      entries.push(typeof w === 'string' ? { pattern: w, data: dataOf(undefined) } : { pattern: w.pattern, data: dataOf(w.category) })
    }
    const terms = compileTerms(entries, { allow: allowList, normalize: options.normalize })
    const actionOf = (data: TermData | undefined): Action =>
      (data?.category === undefined ? undefined : options.categories[data.category]) ?? options.action
    const kinds = slotKinds(options.slots)
    env.log.debug({ terms: terms.size, allow: allowList.length }, 'profanity: lists compiled')

    return {
      check(message) {
        let action: Action | undefined
        let hits = 0
        const edits: Edit[] = []
        for (const slot of message.slots) {
          if (!kinds.has(slot.kind)) continue
          const found = terms.find(slot.text)
          for (const hit of found) {
            const a = actionOf(hit.data)
            if (action === undefined || SEVERITY[a] > SEVERITY[action]) action = a
            const m = maskSpan(slot.text, hit.start, hit.end, options.maskChar)
            edits.push(replaceText(slot, m.start, m.end, m.text))
          }
          hits += found.length
        }
        if (action === undefined) return allow()
        const reason = `profanity: ${hits} listed word${hits === 1 ? '' : 's'} found`
        if (action === 'reject') return reject({ code: options.code, groupCode: options.groupCode, info: options.info, reason })
        if (action === 'drop') return drop(reason)
        return edit(edits, `${reason}, masked`)
      },
    }
  },
})

export default profanity
