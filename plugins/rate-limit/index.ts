/**
 * `rate-limit`: refuse a sender's (or a group's) messages past a number per window. The counters live in
 * the store, so instances sharing a Redis enforce one limit together. Options: README.md beside this file.
 * @module
 */
import { allow, definePlugin, type Verdict } from '../../core/plugin.js'
import { refuse } from '../../core/refusal.js'
import { whenReady, type HitOp, type StoreResult } from '../../core/store/index.js'
import { rateLimitOptions } from './options.js'

export { rateLimitOptions, type RateLimitOptions } from './options.js'

/**
 * The `rate-limit` plugin. Every message counts, refused ones too, so a sender who keeps flooding stays
 * refused until the flood stops. A friend request counts once per friend it asks.
 *
 * @example
 * const pipeline = await createPipeline({
 *   plugins: [[rateLimit, { limits: [{ per: 'sender', max: 5, windowMs: 1000 }, { per: 'group', max: 50, windowMs: 1000 }] }]],
 * })
 */
export const rateLimit = definePlugin({
  name: 'rate-limit',
  description: 'Refuses messages past a number per window, per sender, per sender in a group, or per group',
  options: rateLimitOptions,
  create(options, { store }) {
    const limits = options.limits.map((limit, i) => ({ ...limit, tag: `${i}:${limit.per}:` }))
    const reasons = limits.map((l) => `over the ${l.per} limit of ${l.max} messages per ${l.windowMs} ms`)
    return {
      check(_message, ctx) {
        const ops: HitOp[] = []
        const which: number[] = []
        for (const [i, limit] of limits.entries()) {
          let subject: string | undefined
          if (limit.per === 'sender') subject = ctx.from
          else if (limit.per === 'group') subject = ctx.groupId
          else if (ctx.from !== undefined && ctx.groupId !== undefined) subject = `${ctx.groupId}:${ctx.from}`
          if (subject === undefined) continue
          ops.push({ op: 'hit', key: limit.tag + subject, windowMs: limit.windowMs })
          which.push(i)
        }
        if (ops.length === 0) return allow()
        return whenReady(store.batch(ops), (counts: StoreResult[]): Verdict => {
          for (const [j, count] of counts.entries()) {
            const i = which[j] as number
            if ((count as number) > (limits[i] as { max: number }).max) return refuse(options, reasons[i] as string)
          }
          return allow()
        })
      },
    }
  },
})

export default rateLimit
