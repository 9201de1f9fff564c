// Editing text slots: push texts, forwarded texts, file names, app JSON and CloudCustomData, written back
// with every other byte as sent.
import t from 'tap'
import { applyEdits, InvalidEditError } from '../../core/edits.js'
import { createMessage } from '../../core/message.js'
import { customElement, replaceText, setCloudCustomData, textElement } from '../../core/plugin.js'
import type { MsgElement } from '../../core/protocol/index.js'
import { createPipeline } from '../../core/pipeline/index.js'
import { edit } from '../../core/plugin.js'
import { c2cRequest } from '../../core/testing/index.js'
import { inline } from './fixtures/helpers.js'

const relay = (inner: MsgElement[]): MsgElement => ({
  MsgType: 'TIMRelayElem',
  MsgContent: { Title: 'bad title', MsgNum: 1, AbstractList: ['A: bad'], MsgList: [{ From_Account: 'A', MsgSeq: 85, MsgBody: inner }] },
})

t.test('every kind of element slot is written back in place', async (t) => {
  const body: MsgElement[] = [
    textElement('bad text'),
    customElement({ Data: '{"n":1.50,"text":"bad card","id":"bad-id"}', Desc: 'bad push', Ext: 'x' }),
    { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'bad place', Latitude: 1, Longitude: 2 } },
    { MsgType: 'TIMFileElem', MsgContent: JSON.parse('{"FileName":"bad.pdf","FileSize":10,"__proto__":"kept"}') as Record<string, unknown> },
    relay([textElement('bad inside'), { MsgType: 'TIMFileElem', MsgContent: { FileName: 'bad2.pdf' } }]),
  ]
  const before = JSON.stringify(body)
  const message = createMessage(body, '{"caption":"bad caption","v":2}', {
    jsonText: [{ in: 'custom-data', paths: ['text'] }, { in: 'cloud-custom-data', paths: ['caption'] }],
  })
  const edits = message.slots.map((s) => replaceText(s, s.text.indexOf('bad'), s.text.indexOf('bad') + 3, '***'))
  const applied = applyEdits(body, message.cloudCustomData, edits, () => message.slots)
  t.equal(JSON.stringify(body), before, 'the input is untouched')
  t.same(applied.body, [
    textElement('*** text'),
    customElement({ Data: '{"n":1.50,"text":"*** card","id":"bad-id"}', Desc: '*** push', Ext: 'x' }),
    { MsgType: 'TIMLocationElem', MsgContent: { Desc: '*** place', Latitude: 1, Longitude: 2 } },
    { MsgType: 'TIMFileElem', MsgContent: JSON.parse('{"FileName":"***.pdf","FileSize":10,"__proto__":"kept"}') as Record<string, unknown> },
    {
      MsgType: 'TIMRelayElem',
      MsgContent: { Title: '*** title', MsgNum: 1, AbstractList: ['A: ***'], MsgList: [{ From_Account: 'A', MsgSeq: 85, MsgBody: [textElement('*** inside'), { MsgType: 'TIMFileElem', MsgContent: { FileName: '***2.pdf' } }] }] },
    },
  ])
  t.ok(Object.prototype.hasOwnProperty.call((applied.body[3] as { MsgContent: object }).MsgContent, '__proto__'), 'a __proto__ key stays an own key')
  t.equal(Object.getPrototypeOf((applied.body[3] as { MsgContent: object }).MsgContent), Object.prototype, 'and pollutes no prototype')
  t.equal(applied.cloudCustomData, '{"caption":"*** caption","v":2}')
  t.ok(applied.bodyChanged && applied.cloudCustomDataChanged && !applied.requestChanged)
  t.same(applied.changes, [
    'element 1 custom-desc: replaced [0, 3)',
    'element 1 custom-data text: replaced [0, 3)',
    'element 2 location: replaced [0, 3)',
    'element 3 file-name: replaced [0, 3)',
    'element 4 relay: replaced [0, 3)',
    'element 4 relay: replaced [3, 6)',
    'element 4 relay: replaced [0, 3)',
    'element 4 relay: replaced [0, 3)',
    'CloudCustomData cloud-custom-data caption: replaced [0, 3)',
    'element 0: replaced [0, 3)',
  ])
  t.equal(applied.body[4] === body[4], false)
  t.equal((applied.body[2] as MsgElement) !== body[2], true)
})

t.test('a forward nested a thousand deep, each level masked, is written back in one pass', async (t) => {
  let el: MsgElement = textElement('bad')
  for (let i = 0; i < 1000; i++) el = relay([el, textElement('bad')])
  const message = createMessage([el], undefined)
  t.equal(message.slots.length, 1000 * 3 + 1, "each level's title, abstract and text, and the innermost text")
  const started = performance.now()
  const applied = applyEdits([el], undefined, message.slots.map((s) => replaceText(s, s.text.indexOf('bad'), s.text.indexOf('bad') + 3, '***')), () => message.slots)
  const elapsed = performance.now() - started
  // Walked with a stack: JSON.stringify recurses, and this is deeper than its stack allows.
  let bad = 0
  let masked = 0
  for (const stack: unknown[] = [applied.body]; stack.length > 0;) {
    const v = stack.pop()
    if (typeof v === 'string') {
      if (v.includes('bad')) bad++
      if (v.includes('***')) masked++
    } else if (typeof v === 'object' && v !== null) stack.push(...Object.values(v))
  }
  t.same([bad, masked], [0, 3001], 'every level masked')
  t.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms: linear, far under a quadratic walk`)
})

t.test('slot edits and element edits of one text merge; set-cloud-custom-data wins over a slot edit', async (t) => {
  const body = [textElement('bad and bad')]
  const message = createMessage(body, '{"c":"bad"}', { jsonText: [{ in: 'cloud-custom-data', paths: ['c'] }] })
  const [text, cdd] = message.slots
  const applied = applyEdits(body, message.cloudCustomData, [replaceText(text!, 0, 3, 'X'), replaceText(0, 1, 5, 'Y'), replaceText(0, 8, 11, 'Z'), replaceText(cdd!, 0, 3, 'ok'), setCloudCustomData('whole')], () => message.slots)
  t.same(applied.body, [textElement('X and Z')], 'the first of overlapping spans wins, whichever form named it')
  t.equal(applied.cloudCustomData, 'whole')
  const emptied = applyEdits(body, undefined, [replaceText(text!, 0, 11, '')], () => message.slots)
  t.same(emptied.body, [], 'a text element emptied through its slot is removed')
  const same = applyEdits(body, undefined, [replaceText(text!, 0, 3, 'bad')], () => message.slots)
  t.notOk(same.bodyChanged, 'writing the same text changes nothing')
  const push = createMessage([customElement({ Desc: 'push' })], undefined)
  const unchanged = applyEdits(push.body, undefined, [replaceText(push.slots[0]!, 0, 4, 'push')], () => push.slots)
  t.notOk(unchanged.bodyChanged, 'nor in another slot')
  t.equal(unchanged.body, push.body)
})

t.test('an edit naming a slot that does not exist, or outside its text, is invalid', async (t) => {
  const message = createMessage([customElement({ Desc: 'push' })], undefined)
  const slots = () => message.slots
  t.throws(() => applyEdits(message.body, undefined, [{ op: 'replace-text', element: 0, slot: 5, start: 0, end: 1, text: '' }], slots), InvalidEditError)
  t.throws(() => applyEdits(message.body, undefined, [{ op: 'replace-text', element: 0, slot: 0.5, start: 0, end: 1, text: '' }], slots), { message: /slot 0.5/ })
  t.throws(() => applyEdits(message.body, undefined, [replaceText(message.slots[0]!, 0, 9, '')], slots), { message: /slot 0 \(custom-desc\) has span \[0, 9\) outside its 4-unit text/ })
  t.throws(() => applyEdits(message.body, undefined, [replaceText(message.slots[0]!, 0, 1, 5 as never)], slots), { message: /not a string/ })
  t.throws(() => applyEdits(message.body, undefined, [replaceText(message.slots[0]!, 0, 1, 'x')]), { message: /slot 0, which is not a text slot/ }, 'no slots given')
})

t.test('through the pipeline: a push text masked, the reply carries the new body', async (t) => {
  const p = await createPipeline({
    plugins: [inline('mask', (m) => edit(m.slots.filter((s) => s.text === 'bad').map((s) => replaceText(s, 0, 3, '***'))))],
    jsonText: [{ in: 'custom-data', when: { type: 'caption' }, paths: ['text'] }],
  })
  const body = [customElement({ Desc: 'bad', Data: '{"type":"caption","text":"bad","url":"bad"}' }), textElement('fine')]
  const result = await p.run(c2cRequest({ body }))
  t.same(result.reply.MsgBody, [customElement({ Desc: '***', Data: '{"type":"caption","text":"***","url":"bad"}' }), textElement('fine')])
  const clean = await p.run(c2cRequest({ body: [customElement({ Desc: 'ok', Data: '{"type":"caption","text":"ok"}' })] }))
  t.same(clean.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }, 'clean: a bare OK')
  const broken = await createPipeline({ plugins: [inline('broken', () => edit([{ op: 'replace-text', element: undefined, slot: 9, start: 0, end: 0, text: '' }]))] })
  const faulted = await broken.run(c2cRequest())
  t.match(faulted.trace[0], { outcome: 'fault', error: /returned an invalid edit: replace-text names slot 9/ })
})

t.test('texts over maxTextLength are answered by the fault policy without running the plugins', async (t) => {
  let ran = 0
  const spy = inline('spy', () => {
    ran++
    return edit([])
  })
  const allowing = await createPipeline({ plugins: [spy], maxTextLength: 10 })
  const long = await allowing.run(c2cRequest({ body: [textElement('12345'), customElement({ Desc: '123456' })] }))
  t.equal(ran, 0)
  t.same(long.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  t.match(long.trace, [{ plugin: 'presend', outcome: 'fault', error: /the texts total 11 UTF-16 units, over the pipeline's maxTextLength of 10/ }])
  t.equal(long.faults, 1)
  const rejecting = await createPipeline({ plugins: [spy], maxTextLength: 10, onFault: 'reject' })
  t.same((await rejecting.run(c2cRequest({ text: 'x'.repeat(11) }))).reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'presend: the message is too long to check; rejected by fault policy' })
  t.equal((await rejecting.run(c2cRequest({ text: 'x'.repeat(10) }))).decision, 'allow', 'at the limit: checked')
  t.equal(ran, 1)
  await t.rejects(createPipeline({ plugins: [], maxTextLength: 0 }), { code: 'PRESEND_INVALID_PIPELINE_OPTIONS', message: /maxTextLength/ })
  await t.rejects(createPipeline({ plugins: [], jsonText: [{ in: 'nowhere', paths: ['a'] }] } as never), { message: /jsonText\[0\]\.in/ })
  await t.rejects(createPipeline({ plugins: [], deadlineMS: 5 } as never), { message: /deadlineMS: unknown key \(did you mean "deadlineMs"\?\)/ })
})
