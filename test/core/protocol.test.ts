// The protocol schemas: every documented payload parses, lenient input, strict output, reject code ranges.
import t from 'tap'
import { readFileSync } from 'node:fs'
import {
  BEFORE_SEND_COMMANDS,
  KNOWN_MSG_TYPES,
  OK_REPLY,
  REJECT_CODE_RANGES,
  beforeSendRequestSchema,
  c2cRejectCode,
  callbackQuerySchema,
  callbackReplySchema,
  groupRejectCode,
  isBeforeSendCommand,
  isValidRejectCode,
  msgElementSchema,
  numberish,
  rejectOptionsShape,
} from '../../core/protocol/index.js'
import { parseRequest } from '../../core/protocol/index.js'
import { formatZodIssues, isPresendError } from '../../core/errors.js'
import { z } from 'zod'

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>

t.test('documented example payloads parse unchanged', async (t) => {
  for (const name of ['c2c-example.json', 'c2c-example-old.json', 'group-example.json', 'group-topic-example.json', 'all-elements.json']) {
    const json = fixture(name)
    const parsed = beforeSendRequestSchema.safeParse(json)
    t.ok(parsed.success, `${name} parses`)
    t.same(parsed.data, json, `${name} comes out exactly as it went in`)
    t.same(parseRequest(json), json, `${name} through parseRequest`)
  }
})

t.test('every documented MsgType is known and present in the all-elements fixture', async (t) => {
  t.same(KNOWN_MSG_TYPES, [
    'TIMTextElem',
    'TIMLocationElem',
    'TIMFaceElem',
    'TIMCustomElem',
    'TIMSoundElem',
    'TIMImageElem',
    'TIMFileElem',
    'TIMVideoFileElem',
    'TIMRelayElem',
  ])
  const body = fixture('all-elements.json').MsgBody as Array<{ MsgType: string }>
  for (const type of KNOWN_MSG_TYPES) t.ok(body.some((e) => e.MsgType === type), `${type} in the fixture`)
})

t.test('unknown fields and unknown MsgTypes pass through untouched', async (t) => {
  const json = {
    ...fixture('c2c-example.json'),
    SomethingNew: { nested: [1, 2, 3] },
    MsgBody: [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi', Future: true }, ElemExtra: 'x' },
      { MsgType: 'TIMStreamElem', MsgContent: { Chunks: ['a', 'b'] }, Other: 1 },
      { MsgType: 'TIMGroupTipElem' },
      { MsgType: 'TIMImageElem', MsgContent: { UUID: 'u', ImageInfoArray: [{ Type: 1, Extra: 'kept' }], NewField: null } },
    ],
  }
  const parsed = parseRequest(json)
  t.same(parsed, json)
  t.equal((parsed as Record<string, unknown>).SomethingNew !== undefined, true)
  t.ok(msgElementSchema.safeParse({ MsgType: 'TIMSomethingElem', MsgContent: 42 }).success, 'unknown content of any shape')
})

t.test('quoted numbers are accepted where Tencent quotes them', async (t) => {
  const json = { ...fixture('c2c-example.json'), EventTime: '1670574414123', MsgSeq: '48374', OnlineOnlyFlag: '1' }
  t.same(parseRequest(json), json, 'kept as sent (strings stay strings)')
  t.ok(numberish.safeParse('-12.5').success)
  t.ok(numberish.safeParse(7).success)
  t.notOk(numberish.safeParse('12abc').success, 'a string that is not a number is refused')
  t.notOk(numberish.safeParse(true).success)
})

t.test('missing required fields fail with a message that names them', async (t) => {
  const base = fixture('c2c-example.json')
  for (const field of ['From_Account', 'To_Account', 'MsgBody']) {
    const json: Record<string, unknown> = { ...base }
    delete json[field]
    const parsed = beforeSendRequestSchema.safeParse(json)
    t.notOk(parsed.success, `${field} is required`)
    t.match(formatZodIssues(parsed.error!), field, `the message names ${field}`)
    t.throws(() => parseRequest(json), { code: 'PRESEND_INVALID_REQUEST', message: new RegExp(field) })
  }
  const group: Record<string, unknown> = { ...fixture('group-example.json') }
  delete group.GroupId
  t.throws(() => parseRequest(group), { code: 'PRESEND_INVALID_REQUEST', message: /GroupId/ })
  t.throws(() => parseRequest({ ...base, CallbackCommand: 'C2C.CallbackAfterSendMsg' }), {
    code: 'PRESEND_INVALID_REQUEST',
    message: /CallbackCommand/,
  })
  t.throws(() => parseRequest({ ...base, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }), {
    code: 'PRESEND_INVALID_REQUEST',
    message: /MsgBody\[0\]/,
  }, 'a text element without Text is refused and located')
  t.throws(() => parseRequest({ ...base, MsgBody: [{ MsgContent: { Text: 'x' } }] }), { message: /MsgBody\[0\]/ }, 'an element without MsgType')
})

t.test('the OfficialAccount request needs only the command and the body', async (t) => {
  const json = { CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg', MsgBody: [] }
  t.same(parseRequest(json), json)
  t.throws(() => parseRequest({ CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg' }), { message: /MsgBody/ })
})

t.test('reply schema is strict', async (t) => {
  t.ok(callbackReplySchema.safeParse(OK_REPLY).success)
  t.ok(Object.isFrozen(OK_REPLY))
  t.same(OK_REPLY, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 })
  t.ok(
    callbackReplySchema.safeParse({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }, { MsgType: 'TIMNewElem', Any: 1 }],
      CloudCustomData: 'c',
    }).success,
    'MsgBody elements may carry any fields',
  )
  const bad: Array<[string, unknown]> = [
    ['an extra top-level field', { ...OK_REPLY, Extra: 1 }],
    ['no ErrorInfo', { ActionStatus: 'OK', ErrorCode: 0 }],
    ['no ErrorCode', { ActionStatus: 'OK', ErrorInfo: '' }],
    ['no ActionStatus', { ErrorCode: 0, ErrorInfo: '' }],
    ['an unknown ActionStatus', { ...OK_REPLY, ActionStatus: 'MAYBE' }],
    ['a fractional ErrorCode', { ...OK_REPLY, ErrorCode: 1.5 }],
    ['a string ErrorCode', { ...OK_REPLY, ErrorCode: '0' }],
    ['an element without MsgType', { ...OK_REPLY, MsgBody: [{ MsgContent: {} }] }],
    ['a non-string CloudCustomData', { ...OK_REPLY, CloudCustomData: 5 }],
  ]
  for (const [what, reply] of bad) t.notOk(callbackReplySchema.safeParse(reply).success, `refuses ${what}`)
})

t.test('before-send commands', async (t) => {
  t.same([...BEFORE_SEND_COMMANDS], ['C2C.CallbackBeforeSendMsg', 'Group.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeSendMsg'])
  for (const c of BEFORE_SEND_COMMANDS) t.ok(isBeforeSendCommand(c), c)
  for (const c of ['C2C.CallbackAfterSendMsg', 'c2c.callbackbeforesendmsg', '', undefined, 1]) t.notOk(isBeforeSendCommand(c), String(c))
})

t.test('reject code ranges per command', async (t) => {
  t.same(REJECT_CODE_RANGES['C2C.CallbackBeforeSendMsg'], { min: 120001, max: 130000 })
  const c2c = 'C2C.CallbackBeforeSendMsg' as const
  for (const code of [1, 120001, 125000, 130000]) t.ok(isValidRejectCode(c2c, code), `C2C ${code}`)
  for (const code of [0, 2, 10100, 120000, 130001, 120001.5, Number.NaN]) t.notOk(isValidRejectCode(c2c, code), `C2C not ${code}`)
  for (const command of ['Group.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeSendMsg'] as const) {
    for (const code of [1, 10100, 10150, 10200]) t.ok(isValidRejectCode(command, code), `${command} ${code}`)
    for (const code of [0, 2, 10099, 10201, 120001, 10100.5]) t.notOk(isValidRejectCode(command, code), `${command} not ${code}`)
  }
  for (const code of [1, 120001, 130000]) t.ok(c2cRejectCode.safeParse(code).success, `c2cRejectCode ${code}`)
  for (const code of [0, 2, 10100, 130001, 120001.5, '120001']) {
    const r = c2cRejectCode.safeParse(code)
    t.notOk(r.success, `c2cRejectCode refuses ${String(code)}`)
    t.match(r.error?.issues[0]?.message, /120001 to 130000/)
  }
  for (const code of [1, 10100, 10200]) t.ok(groupRejectCode.safeParse(code).success, `groupRejectCode ${code}`)
  for (const code of [0, 2, 10099, 10201, 120001]) {
    const r = groupRejectCode.safeParse(code)
    t.notOk(r.success, `groupRejectCode refuses ${code}`)
    t.match(r.error?.issues[0]?.message, /10100 to 10200/)
  }
})

t.test('rejectOptionsShape checks codes at build time', async (t) => {
  const schema = z.object({ ...rejectOptionsShape })
  t.ok(schema.safeParse({}).success, 'all optional')
  t.ok(schema.safeParse({ code: 120001, groupCode: 10100, info: 'no' }).success)
  const bad = schema.safeParse({ code: 10100, groupCode: 120001, info: 'x'.repeat(1001) })
  t.notOk(bad.success)
  t.same(bad.error?.issues.map((i) => i.path.join('.')).sort(), ['code', 'groupCode', 'info'])
})

t.test('callback query parameters', async (t) => {
  const q = { SdkAppid: '888888', CallbackCommand: 'C2C.CallbackBeforeSendMsg', contenttype: 'json', ClientIP: '127.0.0.1', OptPlatform: 'iOS', RequestTime: '1669872112', Sign: 'abc', extra: 'kept' }
  t.same(callbackQuerySchema.parse(q), q)
  t.ok(callbackQuerySchema.safeParse({}).success, 'every parameter optional')
  t.notOk(callbackQuerySchema.safeParse({ SdkAppid: '88x' }).success)
  t.notOk(callbackQuerySchema.safeParse({ RequestTime: '-1' }).success)
})

t.test('parseRequest failure carries the zod issues and a 400 status', async (t) => {
  try {
    parseRequest({ CallbackCommand: 'C2C.CallbackBeforeSendMsg', From_Account: 1 })
    t.fail('should throw')
  } catch (err) {
    t.ok(isPresendError(err, 'PRESEND_INVALID_REQUEST'))
    if (!isPresendError(err)) return
    t.equal(err.statusCode, 400)
    t.ok(Array.isArray(err.details))
    t.match(err.message, /^Invalid callback body: .*From_Account/)
  }
  t.throws(() => parseRequest(null), { code: 'PRESEND_INVALID_REQUEST', message: /\(root\)|CallbackCommand/ })
})
