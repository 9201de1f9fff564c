// The request builders: realistic bodies that parse, one builder per command in REQUEST_BUILDERS.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { customElement, textElement } from '../../core/plugin.js'
import { BEFORE_SEND_COMMANDS, DECIDED_COMMANDS, parseRequest, type CallbackRequest, type DecidedCommand } from '../../core/protocol/index.js'
import {
  REQUEST_BUILDERS, c2cRequest, friendAddRequest, friendResponseRequest, groupApplyRequest, groupCreateRequest, groupRequest,
  officialAccountCreateRequest, officialAccountRequest, requestFor, requestWithText, seedRequest, topicCreateRequest,
} from '../../core/requests.js'

t.test('the builders make requests that parse', async (t) => {
  const all = [
    c2cRequest(),
    c2cRequest({ text: 'hi', from: 'alice', to: 'bob', cloudCustomData: 'c', extra: { MsgSeq: 1, Custom: 'x' } }),
    c2cRequest({ body: [textElement('a'), customElement({ Data: 'd' })] }),
    groupRequest(),
    groupRequest({ text: 'hi all', groupId: 'g', topicId: 't', type: 'Community', from: 'carol', cloudCustomData: 'c' }),
    officialAccountRequest(),
    officialAccountRequest({ account: '@TOA#_x', from: 'ed', text: 'news', extra: { EventTime: '1' } }),
    seedRequest(),
    ...BEFORE_SEND_COMMANDS.map((c) => requestFor(c, { text: 'x' })),
  ]
  for (const r of all) t.same(parseRequest(r), r, `${r.CallbackCommand} parses unchanged`)
  t.match(c2cRequest(), {
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgKey: '48374_2837546_1557481126',
    MsgBody: [textElement('hello')],
  })
  t.notOk('CloudCustomData' in c2cRequest(), 'no CloudCustomData unless asked')
  t.match(c2cRequest({ from: 'alice', to: 'bob', cloudCustomData: 'c', extra: { Custom: 'x' } }), { From_Account: 'alice', To_Account: 'bob', CloudCustomData: 'c', Custom: 'x' })
  t.match(groupRequest({ from: 'carol', topicId: 't', type: 'Community' }), {
    CallbackCommand: 'Group.CallbackBeforeSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    From_Account: 'carol',
    Operator_Account: 'carol',
    TopicId: 't',
    Type: 'Community',
    EventTime: '1670574414123',
  })
  t.notOk('TopicId' in groupRequest())
  t.match(groupRequest(), { Type: 'Public', From_Account: 'jared' })
  t.match(officialAccountRequest(), { CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg', Official_Account: '@TOA#_news', From_Account: 'admin' })
  t.match(officialAccountRequest({ account: 'a', from: 'b' }), { Official_Account: 'a', From_Account: 'b' })
  t.same(requestFor('C2C.CallbackBeforeSendMsg').MsgBody, [textElement('hello')])
  t.same(c2cRequest({ text: '' }).MsgBody, [textElement('')], 'an empty text is kept, not defaulted')
})

t.test('REQUEST_BUILDERS: one builder per command presend decides, each building its own command', async (t) => {
  t.same(Object.keys(REQUEST_BUILDERS), [...DECIDED_COMMANDS])
  for (const [command, build] of Object.entries(REQUEST_BUILDERS)) {
    const built = (build as () => CallbackRequest)()
    t.equal(built.CallbackCommand, command)
    t.equal(parseRequest(built), built, `${command}: a body the pipeline reads`)
    const withText = requestWithText(command as DecidedCommand, 'the text')
    t.ok(JSON.stringify(withText).includes('"the text"'), `${command}: the text lands in the body`)
  }
  for (const command of BEFORE_SEND_COMMANDS) t.equal(requestFor(command, { text: 'x' }).CallbackCommand, command)
  t.ok(Object.isFrozen(REQUEST_BUILDERS))
})

t.test('the other callbacks\' builders take the text, the sender and extra fields', async (t) => {
  t.match(friendAddRequest({ text: 'add me', from: 'alice', to: 'bob' }), { From_Account: 'alice', FriendItem: [{ To_Account: 'bob', AddWording: 'add me' }] })
  t.match(friendResponseRequest({ text: 'cousin', to: 'bob' }), { ResponseFriendItem: [{ To_Account: 'bob', Remark: 'cousin' }] })
  t.match(groupCreateRequest({ text: 'club', type: 'Work', extra: { Introduction: 'intro' } }), { Name: 'club', Type: 'Work', Introduction: 'intro' })
  t.match(groupApplyRequest({ text: 'let me in', groupId: '@TGS#9' }), { GroupId: '@TGS#9', ApplyMsg: 'let me in' })
  t.match(topicCreateRequest({ from: 'op' }), { Operator_Account: 'op', Name: 'hello' })
  t.match(officialAccountCreateRequest({ text: 'News' }), { Name: 'News', Owner_Account: '107867' })
})

t.test('seedRequest is the documented C2C example', async (t) => {
  const doc = JSON.parse(readFileSync(new URL('fixtures/c2c-example.json', import.meta.url), 'utf8')) as unknown
  t.same(seedRequest(), doc)
  t.not(seedRequest(), seedRequest(), 'a fresh object each call')
})
