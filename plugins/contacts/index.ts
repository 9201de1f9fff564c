/**
 * `contacts`: finds the contact details users trade to move a conversation off the platform — phone
 * numbers (mainland and international), WeChat and QQ ids after the words that announce them, e-mail
 * addresses, resident id numbers and bank card numbers — however they are written (full-width digits,
 * Chinese numerals, circled digits, separators between the digits), and masks them (keeping the last
 * digits), rejects the message or drops it. Options and examples: README.md beside this file.
 *
 * @module
 */
import { GraphemeSnapper } from '../../core/edits.js'
import { allow, definePlugin, drop, edit, reject, replaceText, type Edit } from '../../core/plugin.js'
import { slotKinds } from '../../core/slots.js'
import { maskSpan } from '../../core/mask.js'
import { createDetector, type ContactHit } from './detect.js'
import { CONTACT_KINDS, contactsOptions, type ContactKind } from './options.js'

export { contactsOptions, CONTACT_KINDS, CONTACT_ACTIONS, type ContactKind, type ContactAction, type ContactsOptions, type ContactsOptionsInput } from './options.js'
export { createDetector, mayHold, type ContactHit, type DetectorSettings } from './detect.js'
export { classify, mayBeNumber, phone, isIdCard, isBankCard, PARSE_BUDGET, type Budget } from './numbers.js'
export { chains, foldNumerals } from './digits.js'
export { cuedIds, emails, WECHAT_CUES, QQ_CUES } from './handles.js'

/**
 * The allow list's keys: each entry read by a detector of every kind (so "+86 400-812-3123" becomes the
 * E.164 form its hits will have), and the entry itself folded to lower case without spaces (a bare WeChat
 * id or QQ number, written without its cue).
 */
function allowKeys(entries: readonly string[]): Set<string> {
  const all = createDetector({ kinds: new Set(CONTACT_KINDS), keepLast: 0 })
  const keys = new Set<string>()
  for (const entry of entries) {
    for (const hit of all(entry)) keys.add(hit.key)
    // The bare form, read as a QQ number or WeChat id would be after a cue.
    const bare = all(`qq ${entry}`).concat(all(`vx ${entry}`))
    for (const hit of bare) keys.add(hit.key)
  }
  return keys
}

/**
 * The `contacts` plugin.
 *
 * @example
 * const pipeline = await createPipeline({
 *   plugins: [[contacts, { kinds: ['phone', 'wechat', 'qq'], action: 'reject', code: 120002, allow: ['400-812-3123'] }]],
 * })
 */
export const contacts = definePlugin({
  name: 'contacts',
  description: 'Masks, rejects or drops phone numbers, WeChat/QQ ids, e-mail addresses, id and bank card numbers.',
  options: contactsOptions,
  create(options, env) {
    const detect = createDetector({ kinds: new Set(options.kinds), keepLast: options.action === 'mask' ? options.keepLast : 0 })
    const allowed = allowKeys(options.allow)
    const slotKindsRead = slotKinds(options.slots)
    env.log.debug({ kinds: options.kinds, allow: allowed.size }, 'contacts: detector compiled')

    return {
      check(message) {
        const edits: Edit[] = []
        const seen = new Set<ContactKind>()
        let count = 0
        for (const slot of message.slots) {
          if (!slotKindsRead.has(slot.kind)) continue
          // One snapper a text, asked left to right (hits come sorted and apart): a fresh one a hit walked
          // back to the text's start through text with no plain boundary (full-width digits and spaces),
          // which made masking quadratic.
          const snapper = new GraphemeSnapper(slot.text)
          for (const hit of detect(slot.text) as ContactHit[]) {
            if (allowed.has(hit.key)) continue
            count++
            seen.add(hit.kind)
            if (options.action !== 'mask') continue
            const m = maskSpan(slot.text, hit.start, hit.keepFrom, options.maskChar, snapper)
            edits.push(replaceText(slot, m.start, m.end, m.text))
          }
        }
        if (count === 0) return allow()
        const reason = `contacts: ${count} found (${[...seen].join(', ')})`
        if (options.action === 'reject') {
          return reject({ code: options.code, groupCode: options.groupCode, friendCode: options.friendCode, info: options.info, reason })
        }
        if (options.action === 'drop') return drop(reason)
        return edit(edits, `${reason}, masked`)
      },
    }
  },
})

export default contacts
