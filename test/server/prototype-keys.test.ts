// Unknown and prototype-named keys (`__proto__`, `constructor`, `prototype`) inside elements round-trip exactly
// as sent in an edited reply, over real HTTP, and no prototype changes on the way (issue 18, item 7).
import t from 'tap'
import { request } from 'undici'
import { buildServer } from '../../server/app.js'
import { configSchema, type PresendConfig } from '../../server/config.js'

const CUSTOM =
  '{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\\"order\\":1}","__proto__":{"polluted":"yes"},' +
  '"constructor":{"prototype":{"polluted":"yes"}},"prototype":"p","Extra":{"__proto__":"s","Unknown":[1,{"constructor":2}]}}}'
const UNKNOWN = '{"MsgType":"TIMNewElem","__proto__":{"polluted":"yes"},"MsgContent":{"__proto__":[1,2]}}'

t.test('an edited reply sends every element back byte for byte, prototype-named keys included', async (t) => {
  const config = configSchema.parse({ plugins: [{ use: 'links', options: { action: 'replace' } }] }) as PresendConfig
  const app = await buildServer(config, { logger: false })
  t.teardown(() => app.close())
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const body =
    '{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgRandom":1,"MsgSeq":1,' +
    `"MsgTime":1,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"see https://evil.example.com now","__proto__":{"x":1}}},${CUSTOM},${UNKNOWN}],"CloudCustomData":""}`
  const res = await request(`${address}/?CallbackCommand=C2C.CallbackBeforeSendMsg`, { method: 'POST', body })
  t.equal(res.statusCode, 200)
  const text = await res.body.text()
  const reply = JSON.parse(text) as { ErrorCode: number; MsgBody: Array<{ MsgContent: { Text?: string } }> }
  t.equal(reply.ErrorCode, 0)
  t.notMatch(reply.MsgBody[0]?.MsgContent.Text, /evil\.example\.com/, 'the text element is edited')
  t.ok(text.includes(',"__proto__":{"x":1}}}'), 'the edited text element keeps its other keys')
  t.ok(text.includes(`${CUSTOM},${UNKNOWN}]`), 'the custom and unknown elements go back exactly as sent')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
  t.equal(Object.getPrototypeOf(reply.MsgBody[1]?.MsgContent), Object.prototype)
})
