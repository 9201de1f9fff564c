import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { c2cRequest, friendAddRequest } from '../../../core/requests.js'
import { createMemoryStore } from '../../../core/store/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import keywordRewrite from '../../../plugins/keyword-rewrite/index.js'
import profanity from '../../../plugins/profanity/index.js'
import strikes, { strikesOptions } from '../../../plugins/strikes/index.js'
import { capturingLogger, sleep } from '../../core/fixtures/helpers.js'

t.test('is built in, with 3 strikes in 10 minutes giving 5 minutes of cool-down', async (t) => {
  t.equal(builtinPlugins.strikes, strikes)
  t.match(strikesOptions.parse({}), { max: 3, windowMs: 600_000, cooldownMs: 300_000, count: ['refused', 'edited'] })
})

t.test('after max refusals by other plugins, every message of the sender is refused for the cool-down', async (t) => {
  const clock = { now: 1_000_000 }
  const { logger, lines } = capturingLogger()
  const p = await createPipeline({
    logger,
    store: createMemoryStore({ now: () => clock.now }),
    plugins: [[strikes, { max: 2, cooldownMs: 1000, code: 120020, info: 'Blocked for a while' }], [profanity, { lists: [], words: ['darn'], action: 'reject' }]],
  })
  t.teardown(() => p.close())
  const send = (text: string, from = 'troll') => p.run(c2cRequest({ text, from }))
  t.equal((await send('darn')).decision, 'reject', 'strike 1 (profanity refused)')
  t.equal((await send('hello')).decision, 'allow', 'one strike is not enough')
  t.equal((await send('darn')).decision, 'reject', 'strike 2')
  await sleep(10)
  t.match(await send('hello'), { decision: 'reject', decidedBy: 'strikes', reply: { ErrorCode: 120020, ErrorInfo: 'Blocked for a while' }, trace: [{ reason: 'in a cool-down after 2 strikes' }] })
  t.equal((await send('hello', 'someone-else')).decision, 'allow', 'only the offender')
  t.match(lines.find((l) => l.level === 'info')?.msg, /troll refused for 1000 ms after 2 strikes/)
  clock.now += 1000
  t.equal((await send('hello')).decision, 'allow', 'the cool-down is over')
  t.equal((await send('darn')).decision, 'reject')
  await sleep(10)
  t.equal((await send('hello')).decision, 'reject', 'a strike inside the same window starts another cool-down at once')
  t.equal((await p.run(c2cRequest({ extra: { From_Account: undefined } }))).decision, 'allow', 'no sender: nothing to count')
})

t.test('what counts: edits, refusals, chosen plugins; a friend request is one strike', async (t) => {
  const p = await createPipeline({
    plugins: [
      [strikes, { max: 2, count: ['edited'], plugins: ['masker'] }],
      [keywordRewrite, { rules: [{ match: 'heck', replace: '****' }] }, { name: 'masker' }],
      [profanity, { lists: [], words: ['darn'], action: 'reject' }],
    ],
  })
  t.teardown(() => p.close())
  const send = async (text: string) => {
    const out = await p.run(c2cRequest({ text, from: 'u' }))
    await sleep(5)
    return out.decision
  }
  t.equal(await send('darn'), 'reject')
  t.equal(await send('darn'), 'reject')
  t.equal(await send('hello'), 'allow', 'refusals by a plugin not chosen are not strikes')
  t.equal(await send('heck'), 'allow')
  t.equal(await send('heck'), 'allow')
  t.equal(await send('hello'), 'reject', 'two masks by the chosen plugin are')

  const q = await createPipeline({ plugins: [[strikes, { max: 2 }], [profanity, { lists: [], words: ['darn'], action: 'reject' }]] })
  t.teardown(() => q.close())
  const friends = friendAddRequest({ text: 'darn', from: 'f' })
  ;(friends as unknown as { FriendItem: Array<Record<string, unknown>> }).FriendItem.push({ To_Account: 'id2', AddWording: 'darn' })
  await q.run(friends)
  await sleep(5)
  t.equal((await q.run(c2cRequest({ text: 'hi', from: 'f' }))).decision, 'allow', 'two refused friends in one request are one strike')
  await q.run(c2cRequest({ text: 'darn', from: 'f' }))
  await sleep(5)
  t.equal((await q.run(c2cRequest({ text: 'hi', from: 'f' }))).decision, 'reject', 'the second strike')
})
