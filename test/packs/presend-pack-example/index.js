// presend-pack-example: a filter pack with two plugins, written as plain ES modules so it needs no build.
//
// A pack's default export is a plugin or an array of plugins; `{ "use": "presend-pack-example" }` runs both
// in this order, `{ "use": "presend-pack-example#phone-mask" }` picks one.
import { definePlugin, allow, reject, edit, replaceText, rejectOptionsShape, z } from 'presend'

/**
 * no-shouting: rejects a message written mostly in capital letters.
 * Short messages ("OK", "LOL", "USA") pass: shouting needs at least `minLetters` cased letters.
 */
export const noShouting = definePlugin({
  name: 'no-shouting', // unique in a pipeline; the name used in config
  description: 'rejects messages written mostly in capital letters', // shown by presend validate
  // Validated before create(), errors naming the key; strict, so a misspelt key is an error with "did you mean".
  options: z.strictObject({
    /** Messages with fewer cased letters than this always pass. */
    minLetters: z.number().int().positive().default(8),
    /** Share of capitals (among cased letters) from which a message counts as shouting. */
    maxUpperRatio: z.number().gt(0).max(1).default(0.8),
    ...rejectOptionsShape, // code (C2C, Official Accounts), groupCode (groups), info: range-checked
  }),
  // Once per pipeline build, with the options parsed (defaults applied): compile lists and regexes here.
  create({ minLetters, maxUpperRatio, code, groupCode, info }) {
    // Only letters that have case count: Chinese, Japanese or digits are never shouting.
    const upper = /\p{Lu}/gu
    const lower = /\p{Ll}/gu
    return {
      // Per message; sync or async; never mutate message (return edits instead).
      check(message) {
        let caps = 0
        let small = 0
        for (const part of message.texts) {
          caps += part.text.match(upper)?.length ?? 0
          small += part.text.match(lower)?.length ?? 0
        }
        const letters = caps + small
        if (letters < minLetters || caps / letters < maxUpperRatio) return allow()
        return reject({
          code,
          groupCode,
          info: info ?? 'Please do not shout.',
          reason: `${Math.round((caps / letters) * 100)}% capitals`,
        })
      },
    }
  },
})

/**
 * phone-mask: masks phone numbers (7–15 digits, optionally with +, spaces, dots, dashes or brackets),
 * keeping the last `keepLast` digits so people can still tell numbers apart.
 */
export const phoneMask = definePlugin({
  name: 'phone-mask',
  description: 'masks phone numbers, keeping the last digits',
  options: z.strictObject({
    keepLast: z.number().int().min(0).max(4).default(2),
    mask: z.string().length(1).default('*'),
  }),
  create({ keepLast, mask }) {
    // Built once per pipeline; `g` regexes are reset per use through matchAll.
    const phone = /(?<![\p{L}\p{N}])\+?\d(?:[ .()-]?\d){6,14}(?![\p{L}\p{N}])/gu
    return {
      check(message) {
        const edits = []
        for (const part of message.texts) {
          for (const m of part.text.matchAll(phone)) {
            let digitsLeft = (m[0].match(/\d/g) ?? []).length
            let masked = ''
            for (const ch of m[0]) {
              if (/\d/.test(ch)) masked += digitsLeft-- > keepLast ? mask : ch
              else masked += ch
            }
            edits.push(replaceText(part.index, m.index, m.index + m[0].length, masked))
          }
        }
        return edit(edits, edits.length > 0 ? `masked ${edits.length} phone number(s)` : undefined)
      },
    }
  },
})

export default [noShouting, phoneMask]
