// Text slots: every text a sender wrote, wherever it sits in a callback, read without ever refusing an odd element.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { compileJsonText, jsonTextRuleSchema } from '../../core/json-text.js'
import { createMessage } from '../../core/message.js'
import type { MsgElement } from '../../core/protocol/index.js'
import { messageSlots, requestSlots, slotKinds, slotsOption, SLOT_KINDS } from '../../core/slots.js'

interface Fixture { id: string; body: Record<string, unknown> }
const shared = JSON.parse(readFileSync(new URL('fixtures/tencent-bodies.json', import.meta.url), 'utf8')) as { bodies: Fixture[] }
const before = JSON.parse(readFileSync(new URL('fixtures/before-callbacks.json', import.meta.url), 'utf8')) as { bodies: Fixture[] }
const body = (id: string): MsgElement[] => shared.bodies.find((b) => b.id === id)!.body.MsgBody as MsgElement[]
const kindsAndTexts = (slots: ReadonlyArray<{ kind: string; text: string }>) => slots.map((s) => [s.kind, s.text])

t.test("the Message Formats page's elements", async (t) => {
  t.same(kindsAndTexts(messageSlots(body('c2c-elem-custom'), undefined, {})), [['custom-desc', 'notification']], 'a custom element: its push text; Data is app data')
  t.same(kindsAndTexts(messageSlots(body('c2c-elem-location'), undefined, {})), [['location', (body('c2c-elem-location')[0]!.MsgContent as { Desc: string }).Desc]])
  t.same(kindsAndTexts(messageSlots(body('c2c-elem-file4'), undefined, {})), [['file-name', (body('c2c-elem-file4')[0]!.MsgContent as { FileName: string }).FileName]])
  t.same(kindsAndTexts(messageSlots(body('c2c-elem-relay'), undefined, {})), [
    ['relay', 'Group chat history'],
    ['relay', 'A: What do you think of this?'],
    ['relay', "B: I think it's great."],
    ['relay', 'The SDK version does not support combined messages. Please upgrade to the latest version.'],
    ['relay', ' What do you think of this?'],
    ['relay', "I think it's great."],
  ], 'a merged forward: title, abstracts, compatible text and every forwarded text')
  for (const id of ['c2c-elem-face', 'c2c-elem-image', 'c2c-elem-sound4', 'c2c-elem-video4']) t.same(messageSlots(body(id), undefined, {}), [], `${id}: no text`)
  const slots = messageSlots(body('c2c-fmt-custom-text-apns'), undefined, {})
  t.same(slots.map((s) => [s.index, s.element, s.path]), [[0, 0, ['MsgContent', 'Desc']], [1, 1, ['MsgContent', 'Text']]], 'indices, elements and paths')
})

t.test('a forward nested to any depth is read whole, with paths into it', async (t) => {
  let el: MsgElement = { MsgType: 'TIMTextElem', MsgContent: { Text: 'deep' } }
  for (let i = 0; i < 500; i++) el = { MsgType: 'TIMRelayElem', MsgContent: { MsgList: [{ MsgBody: [el] }] } }
  const [slot] = messageSlots([el], undefined, {})
  t.equal(slot?.text, 'deep')
  t.equal(slot?.kind, 'relay')
  t.equal(slot?.path.length, 500 * 5 + 2, 'MsgContent, MsgList, m, MsgBody, k per level')
  const nested: MsgElement = {
    MsgType: 'TIMRelayElem',
    MsgContent: {
      MsgList: [
        'not an object',
        { MsgBody: 'not a list', CloudCustomData: '{"c":"forwarded caption"}' },
        { MsgBody: [{ MsgType: 'TIMCustomElem', MsgContent: { Desc: 'push', Data: '{"text":"card"}' } }, { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'here' } }, { MsgType: 'TIMFileElem', MsgContent: { FileName: 'f.txt' } }] },
      ],
      AbstractList: ['a', 5, null],
    },
  }
  const readers = compileJsonText([jsonTextRuleSchema.parse({ in: 'custom-data', paths: ['text'] }), jsonTextRuleSchema.parse({ in: 'cloud-custom-data', paths: ['c'] })])
  t.same(kindsAndTexts(messageSlots([nested], undefined, readers)), [
    ['relay', 'a'],
    ['cloud-custom-data', 'forwarded caption'],
    ['relay', 'push'],
    ['custom-data', 'card'],
    ['relay', 'here'],
    ['relay', 'f.txt'],
  ], 'inside a forward every text is a relay slot; app JSON keeps its own kinds')
})

t.test('an odd element yields what it can and never stops the rest', async (t) => {
  const odd = [
    7,
    null,
    { MsgType: 'TIMTextElem', MsgContent: { Text: null } },
    { MsgType: 'TIMTextElem' },
    { MsgType: 'TIMFaceElem', MsgContent: { Index: '1' } },
    { MsgType: 'TIMCustomElem', MsgContent: { Data: { a: 1 }, Desc: 5 } },
    { MsgType: 'TIMLocationElem', MsgContent: 'x' },
    { MsgType: 'TIMRelayElem', MsgContent: { MsgList: 'no', Title: 1 } },
    { MsgType: 'TIMStreamElem', MsgContent: { Text: 'not a known text field' } },
    { MsgType: 'TIMTextElem', MsgContent: Object.create({ Text: 'inherited' }) },
    { MsgType: 'TIMTextElem', MsgContent: { Text: 'still read' } },
  ] as unknown as MsgElement[]
  t.same(kindsAndTexts(messageSlots(odd, undefined, {})), [['text', 'still read']])
})

t.test('app JSON is read only where the rules say', async (t) => {
  const data = JSON.stringify({ businessID: 'text_link', text: 'hello there', link: 'https://evil.example' })
  const message = [{ MsgType: 'TIMCustomElem', MsgContent: { Data: data, Desc: 'push' } }]
  t.same(kindsAndTexts(createMessage(message, '{"caption":"cap"}').slots), [['custom-desc', 'push']], 'no rule: Data and CloudCustomData are app data')
  const configured = createMessage(message, '{"caption":"cap"}', {
    jsonText: [
      { in: 'custom-data', when: { businessID: 'text_link' }, paths: ['text'] },
      { in: 'cloud-custom-data', paths: ['caption'] },
    ],
  })
  t.same(configured.slots.map((s) => [s.kind, s.text, s.path, s.json]), [
    ['custom-desc', 'push', ['MsgContent', 'Desc'], undefined],
    ['custom-data', 'hello there', ['MsgContent', 'Data'], ['text']],
    ['cloud-custom-data', 'cap', ['CloudCustomData'], ['caption']],
  ])
})

t.test("the other callbacks' text fields", async (t) => {
  const get = (id: string) => before.bodies.find((b) => b.id === id)!.body
  const slots = (id: string, item?: number) => {
    const request = get(id)
    return kindsAndTexts(requestSlots({ command: request.CallbackCommand as never, request, item, readers: {} }))
  }
  t.same(slots('friend-add', 1), [['friend-wording', 'this is id2!'], ['friend-remark', 'remark2'], ['friend-group', 'group1']], 'one friend of the request')
  t.same(slots('friend-response', 0), [['friend-remark', 'remark1'], ['friend-group', 'group1']])
  t.same(slots('friend-add', 9), [], 'no such friend')
  t.same(slots('group-create'), [['group-name', 'MyFirstGroup']])
  t.same(slots('group-apply'), [['apply-message', 'test']])
  t.same(slots('topic-create'), [['topic-name', 'MyFirstTopic']])
  t.same(slots('official-account-create'), [['account-name', 'TestOfficialAccount']])
  const proxied = { ...get('group-create'), Introduction: 'intro', Notification: 'notice' }
  t.same(kindsAndTexts(requestSlots({ command: 'Group.CallbackBeforeCreateGroup', request: proxied, item: undefined, readers: {} })), [
    ['group-name', 'MyFirstGroup'],
    ['group-introduction', 'intro'],
    ['group-notification', 'notice'],
  ], 'introduction and notification, where an app sends them')
  const path = requestSlots({ command: 'Sns.CallbackPrevFriendAdd', request: get('friend-add'), item: 0, readers: {} })[0]
  t.same([path?.element, path?.path], [undefined, ['FriendItem', 0, 'AddWording']])
  const badItem = { ...get('friend-add'), FriendItem: ['x'] }
  t.same(requestSlots({ command: 'Sns.CallbackPrevFriendAdd', request: badItem, item: 0, readers: {} }), [], 'an item that is not an object')
})

t.test('the slots option', async (t) => {
  const schema = slotsOption(['text'])
  t.same(schema.parse(undefined), ['text'])
  t.equal(slotsOption('all').parse(undefined), 'all')
  t.same(schema.parse(['relay', 'custom-desc']), ['relay', 'custom-desc'])
  t.match(schema.safeParse(['txt']).error?.issues[0]?.message, /expected "all" or a list of slot kinds/)
  t.notOk(schema.safeParse([]).success, 'an empty list reads nothing: refused')
  t.same([...slotKinds('all')], [...SLOT_KINDS])
  t.same([...slotKinds(['text', 'relay'])], ['text', 'relay'])
})
