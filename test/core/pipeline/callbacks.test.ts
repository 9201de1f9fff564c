// The other "before" callbacks: friend requests decided per friend, group and topic creation, join
// applications and Official Account creation refused in their own reply shapes and code ranges.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createPipeline, type PluginEntry } from '../../../core/pipeline/index.js'
import { policyReply } from '../../../core/pipeline/result.js'
import { allow, appendElement, drop, edit, reject, replaceText, setCloudCustomData, textElement } from '../../../core/plugin.js'
import { parseRequest, type CallbackRequest } from '../../../core/protocol/index.js'
import { capturingLogger, inline, sleep } from '../fixtures/helpers.js'

interface Fixture { id: string; body: Record<string, unknown>; reply: Record<string, unknown> }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/before-callbacks.json', import.meta.url), 'utf8')) as { bodies: Fixture[] }
const body = (id: string, patch: Record<string, unknown> = {}): CallbackRequest =>
  parseRequest({ ...structuredClone(fixtures.bodies.find((b) => b.id === id)!.body), ...patch })

/** A plugin that masks every slot holding "bad" (what profanity would do). */
const masker = inline('masker', (m) => {
  const edits = m.slots.filter((s) => s.text.includes('bad')).map((s) => replaceText(s, s.text.indexOf('bad'), s.text.indexOf('bad') + 3, '***'))
  return edit(edits, 'masked bad')
})
const pipeline = (plugins: PluginEntry[], options = {}) => createPipeline({ plugins, ...options })

t.test("Tencent's documented bodies, clean, are answered as the docs answer them", async (t) => {
  const p = await pipeline([masker])
  for (const { id, body: raw, reply } of fixtures.bodies) {
    const result = await p.run(parseRequest(structuredClone(raw)))
    t.same(result.reply, reply, id)
    t.equal(result.decision, 'allow', id)
  }
})

t.test('a friend request is refused for the friend whose wording is bad, and only for that one', async (t) => {
  const p = await pipeline([masker])
  const request = body('friend-add')
  ;(request as unknown as { FriendItem: Array<Record<string, unknown>> }).FriendItem[1]!.AddWording = 'you are bad'
  const result = await p.run(request)
  t.equal(result.decision, 'reject')
  t.equal(result.decidedBy, 'masker')
  t.same(result.reply, {
    ActionStatus: 'OK',
    ErrorCode: 0,
    ErrorInfo: '',
    ResultItem: [
      { To_Account: 'id1', ResultCode: 0, ResultInfo: '' },
      { To_Account: 'id2', ResultCode: 38000, ResultInfo: 'refused by masker: the friend-wording cannot be rewritten, and masker would change it' },
    ],
  })
  t.same(result.items?.map((i) => [i.to, i.decision, i.code]), [['id1', 'allow', 0], ['id2', 'reject', 38000]])
  t.same(result.trace.map((e) => [e.item, e.plugin, e.outcome]), [['id1', 'masker', 'allow'], ['id2', 'masker', 'reject']])
  t.same(result.trace[1]?.changes, ['FriendItem.1.AddWording friend-wording: replaced [8, 11)'], 'the trace names the slot kind')
  const remark = body('friend-response')
  ;(remark as unknown as { ResponseFriendItem: Array<Record<string, unknown>> }).ResponseFriendItem[0]!.Remark = 'bad guy'
  t.same((await p.run(remark)).reply.ResultItem?.map((i) => i.ResultCode), [38000, 0], 'a response: per friend too')
})

t.test('refusal codes per command family', async (t) => {
  const judge = (options: Parameters<typeof reject>[0]) => inline('judge', () => reject(options))
  const friend = async (options: Parameters<typeof reject>[0]) => (await (await pipeline([judge(options)])).run(body('friend-add'))).reply.ResultItem?.[0]
  t.match(await friend({ friendCode: 38123, info: 'no strangers' }), { ResultCode: 38123, ResultInfo: 'no strangers' })
  t.match(await friend({ code: 120001 }), { ResultCode: 38000 }, 'a code of another family: the friend default')
  const { logger, lines } = capturingLogger()
  const loud = await createPipeline({ plugins: [inline('judge', () => reject({ friendCode: 1 }))], logger })
  t.match((await loud.run(body('friend-add'))).reply.ResultItem?.[0], { ResultCode: 38000 })
  t.match(lines, [{ level: 'warn', msg: /code 1, which is outside the range Tencent allows for Sns.CallbackPrevFriendAdd; answering 38000 instead/ }])
  const group = await pipeline([judge({ code: 120001, groupCode: 10150, info: 'name taken' })])
  t.same((await group.run(body('group-create'))).reply, { ActionStatus: 'OK', ErrorCode: 10150, ErrorInfo: 'name taken' })
  t.same((await group.run(body('topic-create'))).reply.ErrorCode, 10150)
  t.same((await group.run(body('group-apply'))).reply.ErrorCode, 10150)
  t.same((await group.run(body('official-account-create'))).reply.ErrorCode, 120001, 'Official Account creation: the C2C range')
})

t.test('a drop or an edit of a callback that cannot be rewritten is a refusal', async (t) => {
  t.same((await (await pipeline([inline('quiet', () => drop())])).run(body('group-create'))).reply.ErrorInfo, 'refused by quiet', 'a drop without a reason')
  const dropper = await pipeline([inline('dropper', () => drop('spam'))])
  t.same((await dropper.run(body('group-create'))).reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'spam' }, 'no silent drop for a group')
  t.same((await dropper.run(body('friend-add'))).reply.ResultItem?.[0], { To_Account: 'id1', ResultCode: 38000, ResultInfo: 'spam' })
  const named = await pipeline([masker])
  const bad = await named.run(body('group-create', { Name: 'bad group' }))
  t.same(bad.reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'refused by masker: the group-name cannot be rewritten, and masker would change it' })
  t.same(bad.trace.map((e) => [e.outcome, e.code, e.reason]), [['reject', 1, 'masked bad']])
  t.equal((await named.run(body('topic-create', { Name: 'bad topic' }))).decision, 'reject')
  t.equal((await named.run(body('group-apply', { ApplyMsg: 'bad intent' }))).decision, 'reject')
  t.equal((await named.run(body('official-account-create', { Name: 'bad news' }))).decision, 'reject')
  const ignoring = await pipeline([[masker, {}, { blockOnly: 'ignore' }]])
  const ignored = await ignoring.run(body('group-create', { Name: 'bad group' }))
  t.same(ignored.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }, 'blockOnly: ignore lets it through')
  t.same(ignored.trace.map((e) => [e.outcome, e.reason]), [['allow', 'masked bad (ignored: the group-name cannot be rewritten)']])
  const silent = inline('silent', (m) => edit(m.slots.map((s) => replaceText(s, 0, 1, '*'))))
  const unexplained = await (await pipeline([[silent, {}, { blockOnly: 'ignore' }]])).run(body('group-create'))
  t.equal(unexplained.trace[0]?.reason, 'edit (ignored: the group-name cannot be rewritten)')
  const tagger = inline('tagger', () => edit([appendElement(textElement('tag')), setCloudCustomData('x')]))
  const tagged = await (await pipeline([tagger])).run(body('group-create'))
  t.same(tagged.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }, 'element and CloudCustomData edits mean nothing here: allowed, unchanged')
  t.equal(tagged.trace[0]?.outcome, 'edit')
  const mixed = inline('mixed', (m) => edit([setCloudCustomData('x'), ...m.slots.map((s) => replaceText(s, 0, 1, '*'))], 'masked'))
  const refused = await (await pipeline([mixed])).run(body('group-create'))
  t.same(refused.trace.map((e) => [e.outcome, e.reason]), [['reject', 'masked']], 'a name edit beside a CloudCustomData edit: still a refusal')
})

t.test('ctx: what a plugin is told about the other callbacks', async (t) => {
  const seen: unknown[] = []
  const p = await pipeline([inline('spy', (m, ctx) => {
    seen.push([ctx.command, ctx.kind, ctx.blockOnly, ctx.from, ctx.to, ctx.groupId, ctx.groupType, m.body.length, m.texts.length, m.slots.map((s) => s.kind)])
    return allow()
  })])
  await p.run(body('friend-add'))
  await p.run(body('group-create'))
  await p.run(body('group-apply'))
  await p.run(body('official-account-create'))
  t.same(seen, [
    ['Sns.CallbackPrevFriendAdd', 'friend-add', true, 'id', 'id1', undefined, undefined, 0, 0, ['friend-wording', 'friend-remark', 'friend-group']],
    ['Sns.CallbackPrevFriendAdd', 'friend-add', true, 'id', 'id2', undefined, undefined, 0, 0, ['friend-wording', 'friend-remark', 'friend-group']],
    ['Group.CallbackBeforeCreateGroup', 'group-create', true, 'leckie', undefined, undefined, 'Public', 0, 0, ['group-name']],
    ['Group.CallbackBeforeApplyJoinGroup', 'group-apply', true, 'jared', undefined, '@TGS#2J4SZEAEL', 'Public', 0, 0, ['apply-message']],
    ['OfficialAccount.CallbackBeforeCreateOfficialAccount', 'official-account-create', true, '107867', undefined, undefined, undefined, 0, 0, ['account-name']],
  ])
})

t.test('friends are run in order, an async plugin included, within one deadline', async (t) => {
  const p = await pipeline([inline('slowly', async (m) => {
    await sleep(1)
    return m.slots.some((s) => s.text.includes('id2')) ? reject({ friendCode: 38002 }) : allow()
  })])
  t.same((await p.run(body('friend-add'))).reply.ResultItem?.map((i) => i.ResultCode), [0, 38002])
  const empty = await p.run(body('friend-add', { FriendItem: [] }))
  t.same(empty.reply, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: [] })
  const odd = await p.run(body('friend-add', { FriendItem: ['not an object', { AddWording: 'no To_Account' }] }))
  t.same(odd.reply.ResultItem, [{ To_Account: '', ResultCode: 0, ResultInfo: '' }, { To_Account: '', ResultCode: 0, ResultInfo: '' }], 'one verdict per item, whatever its shape')
  const failing = await createPipeline({ plugins: [inline('boom', () => { throw new Error('x') })], onFault: 'reject' })
  t.same((await failing.run(body('friend-add'))).reply.ResultItem?.map((i) => i.ResultCode), [38000, 38000], 'a fault under the reject policy refuses each friend')
  t.same((await failing.run(body('group-create'))).reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'presend: plugin boom failed; message rejected by fault policy' })
})

t.test('the fault policy answers an unreadable body in its command\'s shape', async (t) => {
  t.same(policyReply('allow', 'Sns.CallbackPrevFriendAdd', { FriendItem: [{ To_Account: 'a' }, 5] }), {
    ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: [{ To_Account: 'a', ResultCode: 0, ResultInfo: '' }, { To_Account: '', ResultCode: 0, ResultInfo: '' }],
  })
  t.same(policyReply('reject', 'Sns.CallbackPrevFriendResponse', { ResponseFriendItem: [{ To_Account: 'a' }] })?.ResultItem, [
    { To_Account: 'a', ResultCode: 38000, ResultInfo: 'presend: the callback could not be checked; rejected by fault policy' },
  ])
  t.same(policyReply('reject', 'Sns.CallbackPrevFriendAdd', 'not an object').ResultItem, [])
  t.same(policyReply('allow', 'Sns.CallbackPrevFriendAdd', { FriendItem: 'x' }).ResultItem, [])
  t.same(policyReply('reject', 'Group.CallbackBeforeCreateGroup', {}), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'presend: the callback could not be checked; rejected by fault policy' })
  t.same(policyReply('allow', 'Group.CallbackBeforeCreateGroup', {}), { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  t.same(policyReply('reject', 'State.StateChange', {}).ErrorCode, 1, 'a command presend does not decide')
  t.same(policyReply('allow', undefined, {}), { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
})
