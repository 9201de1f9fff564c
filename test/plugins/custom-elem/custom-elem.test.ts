// custom-elem behaviour through the pipeline: per-sender elements, ifPresent, CloudCustomData patches,
// and the option errors a configuration can cause.
import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { isPresendError } from '../../../core/errors.js'
import { customElement, textElement } from '../../../core/plugin.js'
import {
  c2cRequest,
  checkMessage,
  groupRequest,
  officialAccountRequest,
  testPlugin,
  type TestLike,
} from '../../../core/testing/index.js'
import customElem from '../../../plugins/custom-elem/index.js'

const level = { Desc: 'CustomElement.MemberLevel', Data: 'LV1' }
const hi = textElement('hi')
const face = { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } }
const theirs = customElement({ Data: 'their own' })
// tap's overloaded Test#test does not type-check against presend/testing's TestLike yet (reported to the lead).
const like = (t: unknown) => t as TestLike

t.test('elem and byAccount', async (t) => {
  testPlugin(like(t), customElem, {
    options: {
      elem: level,
      byAccount: { anna: { Data: 'LV9', Ext: 'gold' }, bot: false },
    },
    cases: [
      {
        name: 'a sender not in byAccount gets elem, appended after every element',
        request: c2cRequest({ from: 'jared', body: [hi, face] }),
        expect: { body: [hi, face, customElement(level)] },
      },
      {
        name: 'a sender in byAccount gets elem with their fields merged over it',
        request: c2cRequest({ from: 'anna' }),
        expect: { body: [textElement('hello'), customElement({ Desc: 'CustomElement.MemberLevel', Data: 'LV9', Ext: 'gold' })] },
      },
      {
        name: 'false in byAccount means no element for that sender',
        request: c2cRequest({ from: 'bot' }),
        expect: 'allow',
      },
      {
        name: 'group messages are tagged by sender too',
        request: groupRequest({ from: 'anna', text: 'hey all' }),
        expect: { body: [textElement('hey all'), customElement({ Desc: 'CustomElement.MemberLevel', Data: 'LV9', Ext: 'gold' })] },
      },
      {
        name: 'ifPresent skip (default): the message keeps its own custom element',
        request: c2cRequest({ body: [hi, theirs] }),
        expect: 'allow',
      },
    ],
  })
})

t.test('byAccount without elem: only the listed senders are tagged', async (t) => {
  testPlugin(like(t), customElem, {
    options: { byAccount: { anna: { Data: 'LV9' } } },
    cases: [
      { name: 'listed sender', request: c2cRequest({ from: 'anna', body: [hi] }), expect: { body: [hi, customElement({ Data: 'LV9' })] } },
      { name: 'unlisted sender', request: c2cRequest({ from: 'jared', body: [hi] }), expect: 'allow' },
      {
        name: 'an Official Account broadcast without a sender is not tagged',
        request: officialAccountRequest({ body: [hi], extra: { From_Account: undefined, Official_Account: undefined } }),
        expect: 'allow',
      },
    ],
  })
})

t.test('ifPresent replace', async (t) => {
  testPlugin(like(t), customElem, {
    options: { elem: level, ifPresent: 'replace' },
    cases: [
      {
        name: 'ours takes the place of the message’s custom element',
        request: c2cRequest({ body: [theirs, hi] }),
        expect: { body: [customElement(level), hi] },
      },
      {
        name: 'extra custom elements (which Tencent would refuse) are removed',
        request: c2cRequest({ body: [hi, theirs, face, customElement({ Data: 'second' })] }),
        expect: { body: [hi, customElement(level), face] },
      },
      {
        name: 'an identical element already present: nothing changes',
        request: c2cRequest({ body: [hi, customElement({ Data: 'LV1', Desc: 'CustomElement.MemberLevel' })] }),
        expect: 'allow',
      },
      {
        name: 'same content but an extra top-level field: replaced by the plain element',
        request: c2cRequest({ body: [hi, { ...customElement(level), Extra: 1 }] }),
        expect: { body: [hi, customElement(level)] },
      },
      {
        name: 'same number of fields, different values: replaced',
        request: c2cRequest({ body: [hi, customElement({ Desc: 'CustomElement.MemberLevel', Data: 'LV2' })] }),
        expect: { body: [hi, customElement(level)] },
      },
      {
        name: 'a custom element with a malformed MsgContent is replaced',
        request: c2cRequest({ body: [hi, { MsgType: 'TIMCustomElem', MsgContent: null }] }),
        expect: { body: [hi, customElement(level)] },
      },
    ],
  })
})

t.test('cloudCustomData', async (t) => {
  const merge = { cloudCustomData: { level: 'LV1', badge: { gold: true } } }
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['absent counts as {}', undefined, '{"level":"LV1","badge":{"gold":true}}'],
    ['empty counts as {}', '', '{"level":"LV1","badge":{"gold":true}}'],
    ['whitespace counts as {}', '  \n', '{"level":"LV1","badge":{"gold":true}}'],
    ['a JSON object is merged, its other keys kept', '{"a":1,"level":"old"}', '{"a":1,"level":"LV1","badge":{"gold":true}}'],
    ['nested objects merge', '{"badge":{"silver":true}}', '{"badge":{"silver":true,"gold":true},"level":"LV1"}'],
    ['not JSON: left alone', 'your cloud custom data', undefined],
    ['a JSON array: left alone', '[1,2]', undefined],
    ['a JSON string: left alone', '"x"', undefined],
    ['JSON null: left alone', 'null', undefined],
  ]
  for (const [name, current, wanted] of cases) {
    t.test(name, async (t) => {
      const result = await checkMessage(customElem, merge, c2cRequest({ cloudCustomData: current }))
      t.equal(result.faults, 0)
      t.equal(result.decision, 'allow')
      t.equal(result.changed, wanted !== undefined)
      t.equal(result.cloudCustomData, wanted ?? current)
      t.same(result.body, [textElement('hello')], 'body untouched')
    })
  }

  t.test('a string replaces whatever was there, JSON or not', async (t) => {
    for (const current of [undefined, '', 'plain', '{"a":1}']) {
      const result = await checkMessage(customElem, { cloudCustomData: 'new' }, c2cRequest({ cloudCustomData: current }))
      t.equal(result.cloudCustomData, 'new')
      t.equal(result.reply.CloudCustomData, 'new')
    }
  })

  t.test('a string equal to the current value changes nothing', async (t) => {
    const result = await checkMessage(customElem, { cloudCustomData: 'same' }, c2cRequest({ cloudCustomData: 'same' }))
    t.equal(result.changed, false)
    t.same(result.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  })

  t.test('cloudCustomData applies even when ifPresent skips the element', async (t) => {
    const result = await checkMessage(customElem, { elem: level, cloudCustomData: { tagged: true } }, c2cRequest({ body: [hi, theirs] }))
    t.same(result.body, [hi, theirs])
    t.equal(result.cloudCustomData, '{"tagged":true}')
  })
})

t.test('options are copied: changing them after the build changes nothing', async (t) => {
  const options = { elem: { Data: 'LV1' }, cloudCustomData: { nested: { a: 1 } } }
  const pipeline = await createPipeline({ plugins: [[customElem, options]] })
  t.teardown(() => pipeline.close())
  options.elem.Data = 'changed'
  options.cloudCustomData.nested.a = 2
  const result = await pipeline.run(c2cRequest({ body: [hi] }))
  t.same(result.body, [hi, customElement({ Data: 'LV1' })])
  t.equal(result.cloudCustomData, '{"nested":{"a":1}}')
})

t.test('option errors name the key and say what to do', async (t) => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['nothing to do', {}, /set elem, byAccount or cloudCustomData/],
    ['empty elem', { elem: {} }, /options\.elem: a custom element needs at least one of Data, Desc, Ext or Sound/],
    ['unknown elem field', { elem: { desc: 'x' } }, /options\.elem: .*desc/],
    ['non-string field', { elem: { Data: 1 } }, /options\.elem\.Data/],
    ['unknown option', { elem: level, ifpresent: 'replace' }, /ifpresent/],
    ['bad ifPresent', { elem: level, ifPresent: 'merge' }, /options\.ifPresent/],
    ['empty byAccount element without elem', { byAccount: { anna: {} } }, /options\.byAccount\.anna: the element for "anna" is empty/],
    ['true in byAccount', { elem: level, byAccount: { anna: true } }, /options\.byAccount\.anna/],
    ['cloudCustomData a number', { cloudCustomData: 3 }, /options\.cloudCustomData/],
  ]
  for (const [name, options, message] of bad) {
    const err = await createPipeline({ plugins: [[customElem, options]] }).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.ok(isPresendError(err, 'PRESEND_INVALID_OPTIONS'), `${name}: PRESEND_INVALID_OPTIONS`)
    t.match((err as Error | undefined)?.message, message, name)
  }
  const ok = await createPipeline({ plugins: [[customElem, { elem: level, byAccount: { anna: {} } }]] })
  t.same(ok.names, ['custom-elem'], 'an empty byAccount entry is fine when elem fills it')
  await ok.close()
})
