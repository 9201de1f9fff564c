// Every text a sender writes is filtered by the embedded default configuration, over real HTTP: push texts,
// merged forwards, locations, file names, friend requests, group names; an odd element never switches the
// filter off; clean versions get a bare OK, and app JSON is left alone unless the config names it.
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { request } from 'undici'
import { buildServer } from '../../server/app.js'
import { configSchema, defaultConfig, type PresendConfig } from '../../server/config.js'
import type { MsgElement } from '../../core/protocol/index.js'

interface Fixture { id: string; body: Record<string, unknown>; reply?: unknown }
const shared = JSON.parse(readFileSync(new URL('../core/fixtures/tencent-bodies.json', import.meta.url), 'utf8')) as { bodies: Fixture[] }
const before = JSON.parse(readFileSync(new URL('../core/fixtures/before-callbacks.json', import.meta.url), 'utf8')) as { bodies: Fixture[] }
const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }

async function serve(t: Test, config: PresendConfig = defaultConfig) {
  const app = await buildServer(config, { logger: false, defaultMetrics: false })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  return async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await request(`${address}/?CallbackCommand=${String(body.CallbackCommand)}&SdkAppid=1400000000`, { method: 'POST', body: JSON.stringify(body) })
    t.equal(res.statusCode, 200)
    return (await res.body.json()) as Record<string, unknown>
  }
}

const c2c = (MsgBody: unknown[], extra: Record<string, unknown> = {}) => ({
  CallbackCommand: 'C2C.CallbackBeforeSendMsg', From_Account: 'jared', To_Account: 'Jonh', MsgBody, ...extra,
})
const relay = (inner: MsgElement[], abstract = 'A: hello'): MsgElement => ({
  MsgType: 'TIMRelayElem',
  MsgContent: { Title: 'Group chat history', MsgNum: 1, CompatibleText: 'Please upgrade.', AbstractList: [abstract], MsgList: [{ From_Account: 'A', GroupId: 'g', MsgSeq: 85, MsgRandom: 3998651049, MsgTimeStamp: 1664437702, MsgBody: inner }] },
})

t.test("Tencent's documented bodies, as published, are answered as the docs say: clean, so a bare OK", async (t) => {
  const post = await serve(t)
  for (const { id, body } of shared.bodies) {
    // The friend request is answered per friend: its documented reply is in before-callbacks.json, below.
    if (!String(body.CallbackCommand).includes('CallbackBefore')) continue
    const reply = await post(body)
    t.same(reply, OK, id)
  }
  for (const { id, body, reply } of before.bodies) t.same(await post(body), reply, id)
})

t.test('profanity wherever a sender writes it in a message is masked, every other field kept', async (t) => {
  const post = await serve(t)
  const cases: Array<[string, MsgElement[], MsgElement[]]> = [
    ['a push text', [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'order:42', Desc: 'fuck you', Ext: 'url', Sound: 'dingdong.aiff' } }],
      [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'order:42', Desc: '**** you', Ext: 'url', Sound: 'dingdong.aiff' } }]],
    ["a merged forward's nested text", [relay([relay([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'fuck this' } }])])],
      [relay([relay([{ MsgType: 'TIMTextElem', MsgContent: { Text: '**** this' } }])])]],
    ["a merged forward's abstract", [relay([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }], 'A: fuck')],
      [relay([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }], 'A: ****')]],
    ['a location', [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: 'fuck street', Latitude: 29.34, Longitude: 116.2 } }],
      [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: '**** street', Latitude: 29.34, Longitude: 116.2 } }]],
    ['a file name', [{ MsgType: 'TIMFileElem', MsgContent: { Url: 'https://cos.example/f', UUID: 'u', FileSize: 1773552, FileName: 'fuck.pdf', Download_Flag: 2 } }],
      [{ MsgType: 'TIMFileElem', MsgContent: { Url: 'https://cos.example/f', UUID: 'u', FileSize: 1773552, FileName: '****.pdf', Download_Flag: 2 } }]],
  ]
  for (const [what, body, expected] of cases) {
    t.same(await post(c2c(body)), { ...OK, MsgBody: expected }, what)
    const clean = JSON.parse(JSON.stringify(body).replaceAll('fuck', 'nice')) as MsgElement[]
    t.same(await post(c2c(clean)), OK, `${what}, clean: a bare OK`)
  }
})

t.test('a text beside any malformed element is still filtered, the odd element passed through as sent', async (t) => {
  const post = await serve(t)
  const odd: unknown[] = [
    { MsgType: 'TIMFaceElem', MsgContent: { Index: '1' } },
    { MsgType: 'TIMLocationElem', MsgContent: { Latitude: '29.34', Longitude: 'x' } },
    { MsgType: 'TIMCustomElem', MsgContent: { Data: { nested: true } } },
    { MsgType: 'TIMTextElem', MsgContent: { Text: null } },
    { MsgType: 'TIMNewElem', MsgContent: [1, 2] },
    { MsgContent: { Text: 'no MsgType' } },
    7,
  ]
  for (const element of odd) {
    const reply = await post(c2c([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'fuck you' } }, element]))
    t.same(reply, { ...OK, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '**** you' } }, element] }, JSON.stringify(element))
  }
  const adminSend = await post({ CallbackCommand: 'Group.CallbackBeforeSendMsg', GroupId: '@TGS#1', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'fuck' } }] })
  t.same(adminSend.MsgBody, [{ MsgType: 'TIMTextElem', MsgContent: { Text: '****' } }], 'a body without From_Account (an admin send)')
})

t.test('friend requests and group names: refused where profane, for that friend only', async (t) => {
  const post = await serve(t)
  const friends = structuredClone(before.bodies.find((b) => b.id === 'friend-add')!.body) as { FriendItem: Array<Record<string, unknown>> }
  friends.FriendItem[1]!.AddWording = 'fuck you, add me'
  const reply = await post(friends)
  t.match(reply, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' })
  t.match(reply.ResultItem, [{ To_Account: 'id1', ResultCode: 0, ResultInfo: '' }, { To_Account: 'id2', ResultCode: 38000, ResultInfo: /profanity/ }])
  const group = structuredClone(before.bodies.find((b) => b.id === 'group-create')!.body)
  t.match(await post({ ...group, Name: 'fuck club' }), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: /group-name/ })
  t.same(await post({ ...group, Name: 'book club' }), OK, 'a clean name: OK')
  const apply = structuredClone(before.bodies.find((b) => b.id === 'group-apply')!.body)
  t.match(await post({ ...apply, ApplyMsg: 'see evil.example.com' }), { ErrorCode: 1, ErrorInfo: /links/ }, 'links in a join application')
})

t.test('app JSON is left alone unless the configuration names it', async (t) => {
  const data = '{"businessID":"text_link","text":"fuck, see evil.example.com","link":"https://evil.example.com/x","n":1.50}'
  const body = c2c([{ MsgType: 'TIMCustomElem', MsgContent: { Data: data } }], { CloudCustomData: '{"caption":"fuck"}' })
  t.same(await (await serve(t))(body), OK, 'the default reads no app JSON')
  const configured = configSchema.parse({
    pipeline: { jsonText: [{ in: 'custom-data', when: { businessID: 'text_link' }, paths: ['text'] }, { in: 'cloud-custom-data', paths: ['caption'] }] },
  }) as PresendConfig
  const reply = await (await serve(t, configured))(body)
  t.same(reply.MsgBody, [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"businessID":"text_link","text":"****, see [link]","link":"https://evil.example.com/x","n":1.50}' } }], 'only the named string changes; the URL field and 1.50 stay as sent')
  t.equal(reply.CloudCustomData, '{"caption":"****"}')
})
