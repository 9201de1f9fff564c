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
  friendRejectCode,
  callbackReplySchema,
  groupRejectCode,
  isBeforeSendCommand,
  isValidRejectCode,
  msgElementSchema,
  numberish,
  parseRequest,
  rejectOptionsShape,
} from '../../core/protocol/index.js'
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

t.test('the documented schemas name the fields Tencent always sends', async (t) => {
  const base = fixture('c2c-example.json')
  for (const field of ['To_Account', 'MsgBody']) {
    const json: Record<string, unknown> = { ...base }
    delete json[field]
    const parsed = beforeSendRequestSchema.safeParse(json)
    t.notOk(parsed.success, `${field} is required by the schema`)
    t.match(formatZodIssues(parsed.error!), field, `the message names ${field}`)
  }
  const adminSend: Record<string, unknown> = { ...base }
  delete adminSend.From_Account
  t.ok(beforeSendRequestSchema.safeParse(adminSend).success, 'From_Account is optional: an admin send through the REST API may name no sender')
})

t.test('parseRequest reads what the pipeline needs and lets every odd field through', async (t) => {
  const base = fixture('c2c-example.json')
  const odd: Array<[string, Record<string, unknown>]> = [
    ['no From_Account (an admin send)', { ...base, From_Account: undefined }],
    ['no To_Account', { ...base, To_Account: undefined }],
    ['a numeric To_Account', { ...base, To_Account: 42 }],
    ['a face with a string Index', { ...base, MsgBody: [{ MsgType: 'TIMFaceElem', MsgContent: { Index: '1' } }] }],
    ['a location with a string Latitude', { ...base, MsgBody: [{ MsgType: 'TIMLocationElem', MsgContent: { Latitude: '29.3', Desc: 'x' } }] }],
    ['a custom element with an object Data', { ...base, MsgBody: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: { a: 1 } } }] }],
    ['a null Text', { ...base, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: null } }] }],
    ['a text element without Text', { ...base, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }],
    ['an element without MsgType', { ...base, MsgBody: [{ MsgContent: { Text: 'x' } }] }],
    ['an element that is not an object', { ...base, MsgBody: [7, 'x', null] }],
    ['a numeric CloudCustomData', { ...base, CloudCustomData: 5 }],
  ]
  for (const [what, json] of odd) t.equal(parseRequest(json), json, `${what}: read as it came`)
  const group: Record<string, unknown> = { ...fixture('group-example.json') }
  delete group.GroupId
  t.equal(parseRequest(group), group, 'a group body without GroupId')
})

t.test('parseRequest refuses only a body the pipeline cannot read, naming the field', async (t) => {
  const base = fixture('c2c-example.json')
  const refused: Array<[string, unknown, RegExp]> = [
    ['not an object', 'red packet', /expected a JSON object/],
    ['an array', [base], /expected a JSON object/],
    ['null', null, /expected a JSON object/],
    ['no MsgBody', { ...base, MsgBody: undefined }, /MsgBody: expected an array/],
    ['a string MsgBody', { ...base, MsgBody: 'red packet' }, /MsgBody: expected an array/],
    ['a command presend does not decide', { ...base, CallbackCommand: 'C2C.CallbackAfterSendMsg' }, /CallbackCommand: "C2C.CallbackAfterSendMsg" is not a command presend decides/],
    ['no command', { ...base, CallbackCommand: undefined }, /CallbackCommand: undefined is not/],
    ['a friend request without FriendItem', { CallbackCommand: 'Sns.CallbackPrevFriendAdd', From_Account: 'a' }, /FriendItem: expected an array/],
  ]
  for (const [what, json, message] of refused) {
    t.throws(() => parseRequest(json), { code: 'PRESEND_INVALID_REQUEST', statusCode: 400, message }, what)
  }
  try {
    parseRequest({ ...base, MsgBody: 1 })
  } catch (err) {
    t.ok(isPresendError(err, 'PRESEND_INVALID_REQUEST'))
    t.same((err as { details: unknown }).details, [{ path: ['MsgBody'], message: 'MsgBody: expected an array of message elements' }], 'details locate the field')
  }
  const long = parseRequest.bind(null, { ...base, CallbackCommand: 'x'.repeat(500) })
  t.throws(long, { message: new RegExp(`"${'x'.repeat(64)}" is not`) }, 'a caller-made command is cut short in the sentence')
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
  for (const command of ['Group.CallbackBeforeSendMsg', 'Group.CallbackBeforeCreateGroup', 'Group.CallbackBeforeApplyJoinGroup', 'Group.CallbackBeforeCreateTopic'] as const) {
    for (const code of [1, 10100, 10150, 10200]) t.ok(isValidRejectCode(command, code), `${command} ${code}`)
    for (const code of [0, 2, 10099, 10201, 120001, 10100.5]) t.notOk(isValidRejectCode(command, code), `${command} not ${code}`)
  }
  // Tencent's Official Account pages pass custom codes from the C2C range.
  for (const command of ['OfficialAccount.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeCreateOfficialAccount'] as const) {
    for (const code of [1, 120001, 130000]) t.ok(isValidRejectCode(command, code), `${command} ${code}`)
    for (const code of [0, 2, 10100, 130001]) t.notOk(isValidRejectCode(command, code), `${command} not ${code}`)
  }
  // A friend is refused with a code of its range; 1 is not one.
  for (const command of ['Sns.CallbackPrevFriendAdd', 'Sns.CallbackPrevFriendResponse'] as const) {
    t.same(REJECT_CODE_RANGES[command], { min: 38000, max: 39000 })
    for (const code of [38000, 38500, 39000]) t.ok(isValidRejectCode(command, code), `${command} ${code}`)
    for (const code of [0, 1, 2, 37999, 39001, 10100]) t.notOk(isValidRejectCode(command, code), `${command} not ${code}`)
  }
  for (const code of [38000, 39000]) t.ok(friendRejectCode.safeParse(code).success, `friendRejectCode ${code}`)
  for (const code of [1, 37999, 39001, 38000.5]) t.notOk(friendRejectCode.safeParse(code).success, `friendRejectCode refuses ${code}`)
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
  t.ok(schema.safeParse({ code: 120001, groupCode: 10100, friendCode: 38001, info: 'no' }).success)
  const bad = schema.safeParse({ code: 10100, groupCode: 120001, friendCode: 1, info: 'x'.repeat(1001) })
  t.notOk(bad.success)
  t.same(bad.error?.issues.map((i) => i.path.join('.')).sort(), ['code', 'friendCode', 'groupCode', 'info'])
})

t.test('callback query parameters', async (t) => {
  const q = { SdkAppid: '888888', CallbackCommand: 'C2C.CallbackBeforeSendMsg', contenttype: 'json', ClientIP: '127.0.0.1', OptPlatform: 'iOS', RequestTime: '1669872112', Sign: 'abc', extra: 'kept' }
  t.same(callbackQuerySchema.parse(q), q)
  t.ok(callbackQuerySchema.safeParse({}).success, 'every parameter optional')
  t.notOk(callbackQuerySchema.safeParse({ SdkAppid: '88x' }).success)
  t.notOk(callbackQuerySchema.safeParse({ RequestTime: '-1' }).success)
})
