// presend/testing: the payload builders, deepFreeze, checkMessage and the testPlugin case runner.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { parseRequest } from '../../core/protocol/index.js'
import { allow, definePlugin, drop, edit, reject, replaceText, setCloudCustomData, textElement, customElement as coreCustomElement } from '../../core/plugin.js'
import { BEFORE_SEND_COMMANDS } from '../../core/protocol/index.js'
import {
  c2cRequest,
  checkMessage,
  customElement,
  deepFreeze,
  groupRequest,
  officialAccountRequest,
  requestFor,
  seedRequest,
  testPlugin,
  textElement as testingTextElement,
  type TestLike,
} from '../../core/testing/index.js'
import { inline } from './fixtures/helpers.js'

t.test('the builders make requests that parse', async (t) => {
  const all = [
    c2cRequest(),
    c2cRequest({ text: 'hi', from: 'alice', to: 'bob', cloudCustomData: 'c', extra: { MsgSeq: 1, Custom: 'x' } }),
    c2cRequest({ body: [textElement('a'), coreCustomElement({ Data: 'd' })] }),
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
  t.equal(requestFor('Group.CallbackBeforeSendMsg').CallbackCommand, 'Group.CallbackBeforeSendMsg')
  t.equal(requestFor('OfficialAccount.CallbackBeforeSendMsg').CallbackCommand, 'OfficialAccount.CallbackBeforeSendMsg')
  t.same(c2cRequest({ text: '' }).MsgBody, [textElement('')], 'an empty text is kept, not defaulted')
})

t.test('seedRequest is the documented C2C example', async (t) => {
  const doc = JSON.parse(readFileSync(new URL('fixtures/c2c-example.json', import.meta.url), 'utf8')) as unknown
  t.same(seedRequest(), doc)
  t.not(seedRequest(), seedRequest(), 'a fresh object each call')
})

t.test('the testing entry re-exports the element builders', async (t) => {
  t.equal(testingTextElement, textElement)
  t.equal(customElement, coreCustomElement)
})

t.test('deepFreeze', async (t) => {
  const value = { a: { b: [1, { c: 'x' }] }, d: 'y' }
  t.equal(deepFreeze(value), value, 'returns its argument')
  t.ok(Object.isFrozen(value) && Object.isFrozen(value.a) && Object.isFrozen(value.a.b) && Object.isFrozen(value.a.b[1]))
  t.throws(() => {
    ;(value.a.b[1] as { c: string }).c = 'changed'
  }, TypeError)
  const inner = { mutable: true }
  const shallow = Object.freeze({ inner })
  deepFreeze(shallow)
  t.ok(Object.isFrozen(inner), 'walks into an object that was already (shallowly) frozen')
  const cyclic: Record<string, unknown> = { name: 'loop' }
  cyclic.self = cyclic
  cyclic.list = [cyclic]
  t.equal(deepFreeze(cyclic), cyclic, 'a cycle terminates')
  t.ok(Object.isFrozen(cyclic.list))
  for (const v of [1, 'x', null, undefined, true]) t.equal(deepFreeze(v), v)
  const sym = Symbol('k')
  const withSymbol = { [sym]: { deep: 1 } }
  deepFreeze(withSymbol)
  t.ok(Object.isFrozen(withSymbol[sym]), 'symbol keys too')
})

const shouty = definePlugin({
  name: 'shouty',
  options: z.object({ max: z.number().default(3), code: z.number().optional(), groupCode: z.number().optional(), info: z.string().optional() }),
  create: ({ max, code, groupCode, info }) => ({
    check(message, ctx) {
      const text = message.texts.map((p) => p.text).join('')
      if (text === 'spam') return drop('spam')
      if (text === 'boom') throw new Error('boom')
      if (text === 'mutate') {
        ;(message.body[0]!.MsgContent as { Text: string }).Text = 'changed'
      }
      if (text.includes('darn')) {
        const part = message.texts.find((p) => p.text.includes('darn'))!
        const at = part.text.indexOf('darn')
        return edit([replaceText(part.index, at, at + 4, '****'), setCloudCustomData(`masked by ${ctx.kind} on ${ctx.platform ?? '?'}`)])
      }
      const caps = text.match(/\p{Lu}/gu)?.length ?? 0
      return caps > max ? reject({ code, groupCode, info }) : allow()
    },
  }),
})

t.test('checkMessage', async (t) => {
  const r = await checkMessage(shouty, {}, 'hello')
  t.equal(r.decision, 'allow')
  t.equal(r.faults, 0)
  t.equal((await checkMessage(shouty, { code: 120001 }, 'HELLO')).reply.ErrorCode, 120001, 'a string is sent as C2C')
  t.equal((await checkMessage(shouty, { code: 120001, groupCode: 10100 }, 'HELLO', { command: 'Group.CallbackBeforeSendMsg' })).reply.ErrorCode, 10100)
  t.equal((await checkMessage(shouty, {}, groupRequest({ text: 'spam' }))).decision, 'drop', 'a whole request')
  const meta = await checkMessage(shouty, {}, 'oh darn', { meta: { platform: 'Web' }, command: 'OfficialAccount.CallbackBeforeSendMsg' })
  t.equal(meta.cloudCustomData, 'masked by official-account on Web', 'meta and command reach the plugin')
  const thrown = await checkMessage(shouty, {}, 'boom')
  t.equal(thrown.decision, 'reject', 'faults reject by default, so a broken plugin fails its test')
  t.equal(thrown.faults, 1)
  t.equal((await checkMessage(shouty, {}, 'boom', { onFault: 'allow' })).decision, 'allow', 'unless asked otherwise')
  const mutated = await checkMessage(shouty, {}, 'mutate')
  t.equal(mutated.decision, 'reject', 'a plugin that mutates its input faults on the frozen request')
  t.match(mutated.trace[0]?.error, /threw: Cannot assign to read only property/)
  await t.rejects(checkMessage(shouty, { max: 'three' }, 'x'), { code: 'PRESEND_INVALID_OPTIONS' }, 'bad options fail loudly')
  let closed = 0
  let baseDir: string | undefined
  const closing = inline('closing', () => allow(), () => void closed++, (env) => (baseDir = env.baseDir))
  await checkMessage(closing, {}, 'x', { baseDir: '/tmp/filters' })
  t.equal(closed, 1, 'the one-plugin pipeline is closed after the run')
  t.equal(baseDir, '/tmp/filters')
})

t.test('testPlugin runs one subtest per case, with every kind of expectation', async (t) => {
  testPlugin(t, shouty, {
    options: { max: 3, code: 120001, groupCode: 10100, info: 'Please do not shout' },
    cases: [
      { name: 'quiet text passes', text: 'hello there', expect: 'allow' },
      { name: 'spam is dropped', text: 'spam', expect: 'drop' },
      { name: 'shouting is refused (C2C)', text: 'HELLO THERE', expect: { reject: 120001 } },
      { name: 'shouting is refused with info', text: 'HELLO THERE', expect: { reject: 120001, info: 'Please do not shout' } },
      { name: 'shouting in a group', text: 'HELLO THERE', command: 'Group.CallbackBeforeSendMsg', expect: { reject: 10100 } },
      { name: 'a swear word is masked (text)', text: 'oh darn it', expect: { text: 'oh **** it' } },
      {
        name: 'a swear word is masked (body and CloudCustomData)',
        request: c2cRequest({ body: [coreCustomElement({ Data: 'd' }), textElement('darn')] }),
        meta: { platform: 'iOS' },
        expect: { body: [coreCustomElement({ Data: 'd' }), textElement('****')], cloudCustomData: 'masked by c2c on iOS' },
      },
      { name: 'body only', request: groupRequest({ text: 'darn' }), expect: { body: [textElement('****')] } },
      { name: 'an empty text passes', text: '', expect: 'allow' },
      { name: 'no text at all is a default request', expect: 'allow' } as never,
    ],
  })
  testPlugin(t, inline('allow-all', () => allow()), { cases: [{ name: 'no options given', text: 'x', expect: 'allow' }] })
})

t.test('testPlugin really asserts: a recording TestLike sees the mismatches', async (t) => {
  const calls: Array<[string, unknown, unknown, string | undefined]> = []
  const pending: Array<Promise<void> | void> = []
  const names: string[] = []
  const fake: TestLike = {
    test(name, fn) {
      names.push(name)
      const tt = {
        test: fake.test,
        equal: (found: unknown, wanted: unknown, message: string) => void calls.push(['equal', found, wanted, message]),
        same: (found: unknown, wanted: unknown, message: string) => void calls.push(['same', found, wanted, message]),
      }
      pending.push(fn(tt))
    },
  }
  testPlugin(fake, shouty, {
    cases: [
      { name: 'wrong: expects a drop', text: 'hello', expect: 'drop' },
      { name: 'wrong: expects a custom code', text: 'HELLO', expect: { reject: 120001, info: 'nope' } },
      { name: 'wrong: expects a different text', text: 'darn', expect: { text: 'darn' } },
      { name: 'wrong: expects a different body', text: 'darn', expect: { body: [], cloudCustomData: 'x' } },
      { name: 'wrong: expects allow but it faults', text: 'boom', expect: 'allow' },
    ],
  })
  await Promise.all(pending)
  t.same(names, ['wrong: expects a drop', 'wrong: expects a custom code', 'wrong: expects a different text', 'wrong: expects a different body', 'wrong: expects allow but it faults'])
  const failed = calls.filter(([kind, found, wanted]) => (kind === 'equal' ? found !== wanted : JSON.stringify(found) !== JSON.stringify(wanted)))
  t.match(failed, [
    ['equal', 'allow', 'drop', 'decision'],
    ['equal', 1, 120001, 'reject code'],
    ['equal', 'rejected by shouty', 'nope', 'ErrorInfo'],
    ['same', '****', 'darn', 'text after edits'],
    ['same', [textElement('****')], [], 'body after edits'],
    ['equal', 'masked by c2c on ?', 'x', 'CloudCustomData'],
    ['equal', 1, 0, 'the plugin did not fault'],
    ['equal', 'reject', 'allow', 'decision'],
  ])
  t.equal(failed.length, 8)
})
