// presend/testing: deepFreeze, checkMessage and what the entry re-exports.
import t from 'tap'
import { allow, customElement as coreCustomElement, textElement } from '../../../core/plugin.js'
import * as requests from '../../../core/requests.js'
import * as testing from '../../../core/testing/index.js'
import { checkMessage, deepFreeze, groupRequest } from '../../../core/testing/index.js'
import { inline } from '../fixtures/helpers.js'
import { shouty } from './fixtures/shouty.js'

t.test('the testing entry re-exports the element and request builders', async (t) => {
  t.equal(testing.textElement, textElement)
  t.equal(testing.customElement, coreCustomElement)
  for (const name of ['c2cRequest', 'groupRequest', 'officialAccountRequest', 'seedRequest', 'requestFor'] as const) t.equal(testing[name], requests[name], name)
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
  // @ts-expect-error -- the options are typed by the plugin's schema: max is a number
  await t.rejects(checkMessage(shouty, { max: 'three' }, 'x'), { code: 'PRESEND_INVALID_OPTIONS' }, 'bad options fail loudly at run time too')
  let closed = 0
  let baseDir: string | undefined
  const closing = inline('closing', () => allow(), () => void closed++, (env) => (baseDir = env.baseDir))
  await checkMessage(closing, {}, 'x', { baseDir: '/tmp/filters' })
  t.equal(closed, 1, 'the one-plugin pipeline is closed after the run')
  t.equal(baseDir, '/tmp/filters')
})
