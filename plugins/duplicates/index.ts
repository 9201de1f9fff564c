/**
 * `duplicates`: refuse the same text sent by one sender again and again, or into many groups or peers
 * (broadcast spam). Options: README.md beside this file.
 * @module
 */
import { createHash } from 'node:crypto'
import { allow, definePlugin, type Message, type Verdict } from '../../core/plugin.js'
import { refuse } from '../../core/refusal.js'
import { whenReady, type StoreOp, type StoreResult } from '../../core/store/index.js'
import { duplicatesOptions } from './options.js'

export { duplicatesOptions, type DuplicatesOptions } from './options.js'

/**
 * The message's text in a form that ignores what a spammer varies for free: width and compatibility forms
 * (NFKC), case, and runs of white space.
 */
export function normaliseText(message: Message): string {
  let text = ''
  for (const slot of message.slots) text += `${slot.text}\n`
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

/**
 * The `duplicates` plugin. The text is kept only as a hash. A friend request's wording counts per friend,
 * so one greeting sent to many people is broadcast spam.
 *
 * @example
 * const pipeline = await createPipeline({ plugins: [[duplicates, { maxRepeats: 3, maxTargets: 5, windowMs: 60000 }]] })
 */
export const duplicates = definePlugin({
  name: 'duplicates',
  description: 'Refuses the same text sent again and again by one sender, or into many groups or peers',
  options: duplicatesOptions,
  create(options, { store }) {
    const repeated = `sent more than ${options.maxRepeats} times in ${options.windowMs} ms`
    const spread = `sent into more than ${options.maxTargets} groups or peers in ${options.windowMs} ms`
    return {
      check(message, ctx) {
        if (ctx.from === undefined) return allow()
        const text = normaliseText(message)
        if (text.length < options.minLength) return allow()
        const hash = createHash('sha256').update(text).digest('base64url').slice(0, 22)
        const target = ctx.groupId ?? ctx.to
        const ops: StoreOp[] = [{ op: 'hit', key: `r:${ctx.from}:${hash}`, windowMs: options.windowMs }]
        if (options.maxTargets > 0 && target !== undefined) {
          ops.push({ op: 'distinct', key: `t:${ctx.from}:${hash}`, member: target, windowMs: options.windowMs })
        }
        return whenReady(store.batch(ops), ([repeats, targets]: StoreResult[]): Verdict => {
          if ((repeats as number) > options.maxRepeats) return refuse(options, repeated)
          if (targets !== undefined && (targets as number) > options.maxTargets) return refuse(options, spread)
          return allow()
        })
      },
    }
  },
})

export default duplicates
