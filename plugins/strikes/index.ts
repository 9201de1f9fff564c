/**
 * `strikes`: repeat offenders. Counts, per sender, the messages other plugins refused or masked (told by
 * the pipeline's after-run hook); after `max` in a window, every message of that sender is refused for a
 * cool-down. Options: README.md beside this file.
 * @module
 */
import { allow, definePlugin, type RunFacts, type RunOutcome } from '../../core/plugin.js'
import { COMMANDS } from '../../core/protocol/commands.js'
import { refuse } from '../../core/refusal.js'
import { whenReady } from '../../core/store/index.js'
import { strikesOptions } from './options.js'

export { strikesOptions, type StrikesOptions } from './options.js'

/**
 * False for the second and later friends of a friend request: the pipeline runs once per friend, but one
 * request that asks ten people is one offence, not ten.
 */
function firstRunOfCallback(facts: RunFacts): boolean {
  const spec = COMMANDS[facts.command]
  if (!('items' in spec)) return true
  const items = facts.request[spec.items.field] as ReadonlyArray<{ To_Account?: unknown }>
  return items[0]?.To_Account === facts.to
}

/**
 * The `strikes` plugin. Put it first, so a sender in a cool-down costs the other plugins nothing.
 *
 * @example
 * const pipeline = await createPipeline({ plugins: [[strikes, { max: 3, cooldownMs: 300000 }], [profanity, { action: 'reject' }]] })
 */
export const strikes = definePlugin({
  name: 'strikes',
  description: 'Refuses every message of a sender for a cool-down after other plugins refused or masked N of theirs in a window',
  options: strikesOptions,
  create(options, { store, name, log }) {
    const counted = options.plugins === undefined ? undefined : new Set(options.plugins)
    const refused = options.count.includes('refused')
    const edited = options.count.includes('edited')
    const reason = `in a cool-down after ${options.max} strikes`
    const isStrike = (plugin: string) => plugin !== name && (counted === undefined || counted.has(plugin))
    return {
      check(_message, ctx) {
        if (ctx.from === undefined) return allow()
        return whenReady(store.get(`cool:${ctx.from}`), (until) => (until === undefined ? allow() : refuse(options, reason)))
      },
      async afterRun(outcome: RunOutcome, facts: RunFacts) {
        const from = facts.from
        if (from === undefined || !firstRunOfCallback(facts)) return
        const strike = (refused && outcome.refusedBy.some(isStrike)) || (edited && outcome.editedBy.some(isStrike))
        if (!strike) return
        const count = await store.hit(`strikes:${from}`, options.windowMs)
        if (count < options.max) return
        await store.set(`cool:${from}`, String(Date.now() + options.cooldownMs), options.cooldownMs)
        log.info({ from, strikes: count }, `strikes: ${from} refused for ${options.cooldownMs} ms after ${count} strikes`)
      },
    }
  },
})

export default strikes
