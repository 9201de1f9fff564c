import t from 'tap'
import { createPipeline, type PluginSettings } from '../../../core/pipeline/index.js'
import { c2cRequest, friendAddRequest, groupRequest } from '../../../core/requests.js'
import { createMemoryStore } from '../../../core/store/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import rateLimit, { rateLimitOptions } from '../../../plugins/rate-limit/index.js'

/** A pipeline of rate-limit alone on a memory store with a clock the test moves. */
async function limited(options: unknown, settings: PluginSettings = {}) {
  const clock = { now: 1_000_000 }
  const pipeline = await createPipeline({ plugins: [[rateLimit, options, settings]], store: createMemoryStore({ now: () => clock.now }) })
  t.teardown(() => pipeline.close())
  return { pipeline, clock }
}

t.test('is built in under its name, with 5 messages a second per sender by default', async (t) => {
  t.equal(builtinPlugins['rate-limit'], rateLimit)
  t.same(rateLimitOptions.parse({}).limits, [{ per: 'sender', max: 5, windowMs: 1000 }])
  const { pipeline, clock } = await limited({})
  const send = (from: string) => pipeline.runNow(c2cRequest({ from })) as Awaited<ReturnType<typeof pipeline.run>>
  for (let i = 0; i < 5; i++) t.equal(send('alice').decision, 'allow', `message ${i + 1}`)
  const sixth = send('alice')
  t.equal(sixth.decision, 'reject', 'the sixth in the second is refused, synchronously on the memory store')
  t.equal(sixth.reply.ErrorInfo, 'You are sending messages too fast')
  t.match(sixth.trace[0], { plugin: 'rate-limit', outcome: 'reject', reason: 'over the sender limit of 5 messages per 1000 ms' })
  t.equal(send('bob').decision, 'allow', 'another sender has a count of its own')
  clock.now += 1000
  t.equal(send('alice').decision, 'allow', 'a new window')
})

t.test('per sender in a group and per group, with codes', async (t) => {
  const { pipeline } = await limited({
    limits: [{ per: 'sender-group', max: 2, windowMs: 60_000 }, { per: 'group', max: 3, windowMs: 60_000 }],
    code: 120010, groupCode: 10110, info: 'Slow down',
  })
  const group = (from: string, groupId: string) => pipeline.run(groupRequest({ from, groupId }))
  t.equal((await group('a', 'g1')).decision, 'allow')
  t.equal((await group('a', 'g1')).decision, 'allow')
  const third = await group('a', 'g1')
  t.match(third, { decision: 'reject', reply: { ErrorCode: 10110, ErrorInfo: 'Slow down' } }, 'a sender past its limit in one group')
  t.equal((await group('a', 'g2')).decision, 'allow', 'the same sender in another group')
  t.match(await group('b', 'g1'), { decision: 'reject', trace: [{ reason: 'over the group limit of 3 messages per 60000 ms' }] }, 'the group is past its own limit')
  t.equal((await pipeline.run(c2cRequest({ from: 'a' }))).decision, 'allow', 'a C2C message has no group to count')
  t.equal((await pipeline.run(c2cRequest({ from: undefined as unknown as string, extra: { From_Account: undefined } }))).decision, 'allow', 'nor a message without a sender')
})

t.test('drop, scopes that exempt admins, and friend requests per friend', async (t) => {
  const { pipeline } = await limited({ limits: [{ per: 'sender', max: 1, windowMs: 60_000 }], action: 'drop', friendCode: 38010 }, { except: { senders: ['admin'] } })
  t.equal((await pipeline.run(c2cRequest({ from: 'x' }))).decision, 'allow')
  t.equal((await pipeline.run(c2cRequest({ from: 'x' }))).decision, 'drop')
  for (let i = 0; i < 3; i++) t.equal((await pipeline.run(c2cRequest({ from: 'admin' }))).decision, 'allow', 'an exempt sender is never counted')
  const friends = friendAddRequest({ from: 'y' })
  ;(friends as unknown as { FriendItem: Array<Record<string, unknown>> }).FriendItem.push({ To_Account: 'id2', AddWording: 'hi' })
  const result = await pipeline.run(friends)
  t.same(result.items?.map((i) => [i.to, i.decision, i.code]), [['id1', 'allow', 0], ['id2', 'reject', 38000]], 'a request to two people counts twice; a friend request cannot be dropped, so it is refused')
})
