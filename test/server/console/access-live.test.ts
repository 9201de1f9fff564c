// The console's gate and its live memory, on a clock of our own: limits that lapse, sessions that end,
// maps that stay bounded, a ring that keeps the latest, and a chart of the last minutes.
import t from 'tap'
import { ConsoleAccess } from '../../../server/console/access.js'
import { LiveFeed } from '../../../server/console/live.js'
import { inspect, requestOf, viewOf } from '../../../server/inspect.js'
import { createPipeline, type RunResult } from '../../../core/pipeline/index.js'
import { c2cRequest } from '../../../core/testing/index.js'
import { friendAddRequest, groupCreateRequest } from '../../../core/requests.js'
import { customElement, textElement } from '../../../core/plugin.js'

t.test('ConsoleAccess: constant-time match, a limit that lapses, sessions that end', async (t) => {
  let now = 1_000_000
  let token: string | undefined = 'right-token'
  const access = new ConsoleAccess(() => token, { maxFailures: 2, windowMs: 1000, sessionMs: 5000, now: () => now })
  t.ok(access.matches('right-token'))
  t.notOk(access.matches('right-token-and-more'), 'a longer guess')
  t.notOk(access.matches(42))
  t.equal(access.retryAfter('a'), 0)
  access.failed('a')
  t.equal(access.retryAfter('a'), 0, 'one failure: not yet limited')
  access.failed('a')
  t.equal(access.retryAfter('a'), 1, 'two: wait')
  now += 1000
  t.equal(access.retryAfter('a'), 0, 'the window lapsed')
  access.failed('a')
  t.equal(access.retryAfter('a'), 0, 'a fresh window')
  const id = access.open('a')
  t.ok(access.valid(id))
  t.notOk(access.valid(undefined))
  t.notOk(access.valid('nope'))
  t.equal(access.sessionSeconds, 5)
  now += 5000
  t.notOk(access.valid(id), 'expired')
  t.notOk(access.valid(id), 'and forgotten')
  access.close(undefined)
  token = undefined
  t.notOk(access.matches('right-token'), 'no credential: nothing matches')
})

t.test('ConsoleAccess: a flood of addresses and sessions stays bounded', async (t) => {
  let now = 0
  const access = new ConsoleAccess(() => 'x', { now: () => now, windowMs: 10, sessionMs: 10 })
  for (let i = 0; i < 10_000; i++) access.failed(`10.0.${i}`)
  now = 5
  access.failed('late')
  t.equal(access.retryAfter('late'), 0)
  const first = access.open('a')
  for (let i = 0; i < 10_000; i++) access.open('a')
  t.notOk(access.valid(first), 'the oldest session made room')
  now = 20
  access.failed('after')
  for (let i = 0; i < 10_000; i++) access.open('b')
  t.pass('expired entries are dropped first')
})

function result(over: Partial<RunResult>): RunResult {
  return { decision: 'allow', reply: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }, changed: false, body: [], cloudCustomData: undefined, decidedBy: undefined, faults: 0, trace: [], ...over }
}

t.test('LiveFeed: keeps the latest refused, dropped and edited, counts per plugin per minute', async (t) => {
  let now = 60_000 * 100
  const feed = new LiveFeed({ size: 2, minutes: 3, messageText: true, now: () => now })
  const req = c2cRequest({ text: 'x'.repeat(2500) })
  feed.record('C2C.CallbackBeforeSendMsg', req, result({}))
  t.same(feed.recent(), [], 'allowed unchanged: not kept')
  const seen: number[] = []
  const stop = feed.subscribe((e) => seen.push(e.id))
  t.equal(feed.listeners, 1)
  feed.record('C2C.CallbackBeforeSendMsg', req, result({ changed: true, trace: [{ plugin: 'a', outcome: 'edit', durationMs: 1, hits: [{ rule: 'r', slot: 0, start: 0, end: 1 }] }] }))
  now += 60_000
  feed.record('C2C.CallbackBeforeSendMsg', req, result({ decision: 'reject', decidedBy: 'b', trace: [{ plugin: 'b', outcome: 'reject', durationMs: 1 }] }))
  now += 3 * 60_000
  feed.record('C2C.CallbackBeforeSendMsg', req, result({ decision: 'drop', decidedBy: 'b' }))
  stop()
  t.same(seen, [1, 2, 3])
  t.same(feed.recent().map((e) => e.decision), ['reject', 'drop'], 'the ring keeps the latest two')
  t.equal(feed.recent()[0]?.texts?.[0]?.length, 2001, 'a long text is cut')
  t.same(feed.chart(), { start: (100 + 2) * 60_000, minutes: 3, plugins: { b: [0, 0, 1] } }, 'minutes past the window are gone')
  now += 60_000
  t.same(feed.chart().plugins, { b: [0, 1, 0] }, 'the chart moves on with the clock')
  now += 10 * 60_000
  t.same(feed.chart().plugins, {}, 'and forgets what is older than its window')
  const friend = new LiveFeed({ messageText: true })
  friend.record('Sns.CallbackPrevFriendAdd', friendAddRequest({ text: 'add me' }), result({ decision: 'reject', decidedBy: 'p' }))
  t.same(friend.recent()[0]?.texts, ['add me', 'remark1', 'group1'], 'a friend request: its wording, remark and group')
  const redacted = new LiveFeed()
  redacted.record('C2C.CallbackBeforeSendMsg', req, result({ decision: 'drop', decidedBy: 'p' }))
  t.equal(redacted.recent()[0]?.texts, undefined, 'no message text unless allowed')
})

t.test('inspect: the texts before and after, for messages and the other callbacks', async (t) => {
  t.same(viewOf(requestOf({ text: 'g', command: 'Group.CallbackBeforeCreateGroup', groupType: 'Public', from: 'ann' })).slots.map((s) => s.kind), ['group-name'])
  t.equal((requestOf({ text: 'hi', from: 'ann', groupType: '' }) as { From_Account?: string }).From_Account, 'ann')
  const body = c2cRequest({ body: [textElement('hi'), customElement({ Data: '{"t":"yo"}', Desc: 'push' })], cloudCustomData: '{"t":"cc"}' })
  const pipeline = await createPipeline({ plugins: [], jsonText: [{ in: 'cloud-custom-data', paths: ['t'] }] })
  const seen = await inspect(pipeline, requestOf({ body }), { jsonText: [{ in: 'cloud-custom-data', paths: ['t'] }] })
  t.same(seen.texts.map((x) => x.text), ['hi', 'push', 'cc'], 'custom-element push text and app JSON, as the plugins read them')
  t.equal(seen.edited, undefined)
  t.same((await inspect(pipeline, groupCreateRequest({ text: 'club' }))).texts.map((x) => x.kind), ['group-name'])
  t.equal((await inspect(pipeline, requestOf({ body: c2cRequest({ cloudCustomData: 'plain' }) }))).texts.length, 1, 'CloudCustomData that is not JSON: no text')
  await pipeline.close()
})
