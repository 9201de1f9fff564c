// Scopes: a plugin runs only where its `only` matches and not where its `except` matches; names are checked
// when the pipeline is built.
import t from 'tap'
import { createPipeline, type Scope } from '../../../core/pipeline/index.js'
import { reject } from '../../../core/plugin.js'
import { c2cRequest, groupRequest, officialAccountRequest } from '../../../core/testing/index.js'
import { parseRequest } from '../../../core/protocol/index.js'
import { inline } from '../fixtures/helpers.js'

const refuse = inline('refuse', () => reject({ info: 'no' }))
const run = async (scope: { only?: Scope; except?: Scope }, request: Parameters<Awaited<ReturnType<typeof createPipeline>>['run']>[0], meta = {}) => {
  const p = await createPipeline({ plugins: [[refuse, {}, scope]] })
  const result = await p.run(request, meta)
  return result.trace[0]?.outcome === 'skipped' ? 'skipped' : result.decision
}

t.test('except: an admin, a bot, a kind of group, a platform', async (t) => {
  t.equal(await run({ except: { senders: ['admin', 'bot'] } }, c2cRequest({ from: 'admin' })), 'skipped')
  t.equal(await run({ except: { senders: ['admin'] } }, c2cRequest({ from: 'alice' })), 'reject')
  t.equal(await run({ except: { groupTypes: ['AVChatRoom'] } }, groupRequest({ type: 'AVChatRoom' })), 'skipped')
  t.equal(await run({ except: { groupTypes: ['Work'] } }, groupRequest({ type: 'Private' })), 'skipped', 'Private is the old name of Work')
  t.equal(await run({ except: { groupTypes: ['ChatRoom'] } }, groupRequest({ type: 'Meeting' })), 'skipped', 'ChatRoom is the old name of Meeting')
  t.equal(await run({ except: { groupTypes: ['Public'] } }, c2cRequest()), 'reject', 'no group type: not excepted')
  t.equal(await run({ except: { groupTypes: ['Public'] } }, groupRequest({ type: 'SomeNewType' })), 'reject', 'a type Tencent adds later: not excepted')
  t.equal(await run({ except: { platforms: ['iOS'] } }, c2cRequest(), { platform: 'Symbian' }), 'reject', 'an unknown platform: not excepted')
  t.equal(await run({ except: { platforms: ['restapi'] } }, c2cRequest(), { platform: 'RESTAPI' }), 'skipped', 'platforms compare without case')
  t.equal(await run({ except: { platforms: ['macOS'] } }, c2cRequest(), { platform: 'Mac' }), 'skipped', 'Mac and macOS are one platform')
  t.equal(await run({ except: { platforms: ['iOS'] } }, c2cRequest()), 'reject', 'no platform: not excepted')
  t.equal(await run({ except: { groupIds: ['@TGS#1'] } }, groupRequest({ groupId: '@TGS#1' })), 'skipped')
  t.equal(await run({ except: { senders: ['admin'], groupIds: ['@TGS#9'] } }, groupRequest({ groupId: '@TGS#9' })), 'skipped', 'any dimension excepts')
})

t.test('only: every dimension named must match', async (t) => {
  t.equal(await run({ only: { commands: ['group'] } }, c2cRequest()), 'skipped')
  t.equal(await run({ only: { commands: ['Group.CallbackBeforeSendMsg'] } }, groupRequest()), 'reject', 'a full command name')
  t.equal(await run({ only: { commands: ['c2c', 'official-account'] } }, officialAccountRequest()), 'reject')
  t.equal(await run({ only: { commands: ['group'], groupTypes: ['Public'] } }, groupRequest({ type: 'Community' })), 'skipped')
  t.equal(await run({ only: { groupIds: ['@TGS#1'] } }, c2cRequest()), 'skipped', 'no group: not in a group scope')
  t.equal(await run({ only: { senders: ['alice'] } }, groupRequest({ from: 'alice' })), 'reject')
  t.equal(await run({ only: { platforms: ['Web'] } }, c2cRequest(), { platform: 'web' }), 'reject')
  t.equal(await run({ only: { commands: ['friend-add'] } }, parseRequest({ CallbackCommand: 'Sns.CallbackPrevFriendAdd', FriendItem: [{ To_Account: 'x', AddWording: 'hi' }] })), 'reject')
  t.equal(await run({ only: { senders: ['alice'] }, except: { groupTypes: ['AVChatRoom'] } }, groupRequest({ from: 'alice', type: 'AVChatRoom' })), 'skipped', 'except wins over only')
})

t.test('the trace says the plugin was out of scope; the next one still runs', async (t) => {
  const p = await createPipeline({ plugins: [[refuse, {}, { except: { senders: ['admin'] } }], inline('after', () => reject({ info: 'after' }))] })
  const result = await p.run(c2cRequest({ from: 'admin' }))
  t.same(result.trace.map((e) => [e.plugin, e.outcome, e.reason]), [['refuse', 'skipped', 'scope'], ['after', 'reject', undefined]])
  t.equal(result.faults, 0, 'out of scope is not a fault')
})

t.test('scope names are checked when the pipeline is built, with a guess', async (t) => {
  const build = (scope: unknown) => createPipeline({ plugins: [[refuse, {}, scope as never]] })
  await t.rejects(build({ except: { groupTypes: ['Publik'] } }), {
    code: 'PRESEND_INVALID_PIPELINE_OPTIONS',
    message: /except\.groupTypes\[0\]: "Publik" is not a group type \(did you mean "Public"\?\); expected one of Public, Private, Work/,
  })
  await t.rejects(build({ only: { commands: ['grup'] } }), { message: /only\.commands\[0\]: "grup" is not a command presend decides \(did you mean "group"\?\)/ })
  await t.rejects(build({ only: { platforms: ['Symbian'] } }), { message: /only\.platforms\[0\]: "Symbian" is not a platform; expected one of restapi/ })
  await t.rejects(build({ only: { senders: [] } }), { message: /only\.senders/ }, 'an empty list is refused')
  await t.rejects(build({ only: { sender: ['a'] } }), { message: /only\.sender: unknown key \(did you mean "senders"\?\)/ })
  await t.rejects(build({ blockOnly: 'maybe' }), { message: /blockOnly/ })
})
