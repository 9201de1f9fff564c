// The contacts plugin: every written form of every kind it finds, the everyday texts it must leave alone,
// its actions, allow list and the slots it reads.
import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { customElement, textElement } from '../../../core/plugin.js'
import { c2cRequest, friendAddRequest, groupCreateRequest, groupRequest } from '../../../core/requests.js'
import { checkMessage, type OptionsOf } from '../../../core/testing/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import contacts, {
  CONTACT_KINDS,
  chains,
  classify,
  contactsOptions,
  createDetector,
  cuedIds,
  emails,
  foldNumerals,
  isBankCard,
  isIdCard,
  mayBeNumber,
  mayHold,
  phone,
} from '../../../plugins/contacts/index.js'

const detect = createDetector({ kinds: new Set(CONTACT_KINDS), keepLast: 4 })
/** `[kind, the text found]` of every hit. */
const found = (text: string): Array<[string, string]> => detect(text).map((h) => [h.kind, text.slice(h.start, h.end)])

/** The text of a one-element message after the plugin ran with `options`. */
async function masked(text: string, options: OptionsOf<typeof contacts> = {}): Promise<string> {
  const result = await checkMessage(contacts, options, text)
  return result.body.map((element) => (element.MsgContent as { Text?: string }).Text ?? '').join('|')
}

t.test('mainland phone numbers, however they are written', async (t) => {
  const cases: Array<[string, string]> = [
    ['我的电话13812345678', '13812345678'],
    ['电话：138-1234-5678', '138-1234-5678'],
    ['call 138 1234 5678 now', '138 1234 5678'],
    ['138.1234.5678', '138.1234.5678'],
    ['1-3-8-1-2-3-4-5-6-7-8', '1-3-8-1-2-3-4-5-6-7-8'],
    ['+86 138 1234 5678', '+86 138 1234 5678'],
    ['+8613812345678', '+8613812345678'],
    ['0086-13812345678', '0086-13812345678'],
    ['８６１３８１２３４５６７８', '８６１３８１２３４５６７８'],
    ['8613812345678', '8613812345678'],
    ['＋８６ １３８１２３４５６７８', '＋８６ １３８１２３４５６７８'],
    ['１３８－１２３４－５６７８', '１３８－１２３４－５６７８'],
    ['一三八一二三四五六七八', '一三八一二三四五六七八'],
    ['幺三八 幺二三四 五六七八', '幺三八 幺二三四 五六七八'],
    ['壹叁捌壹贰叁肆伍陆柒捌', '壹叁捌壹贰叁肆伍陆柒捌'],
    ['一三九〇〇〇〇零零零零', '一三九〇〇〇〇零零零零'],
    ['①③⑧①②③④⑤⑥⑦⑧', '①③⑧①②③④⑤⑥⑦⑧'],
    ['❶❸❽➀➁➂➃➄➅➆➇', '❶❸❽➀➁➂➃➄➅➆➇'],
    ['1３8一二三4 5⑥⑦⑧', '1３8一二三4 5⑥⑦⑧'],
    ['landline 010-12345678', '010-12345678'],
    ['座机(0755)8888 1234', '(0755)8888 1234'],
    ['+86 10 8888 1234', '+86 10 8888 1234'],
    ['+86 010 8888 1234', '+86 010 8888 1234'],
    ['客服 400-812-3123', '400-812-3123'],
    ['vx13812345678', '13812345678'],
    ['tel:13812345678', '13812345678'],
  ]
  for (const [text, hit] of cases) t.same(found(text), [['phone', hit]], text)
})

t.test('international numbers after + or 00, read with libphonenumber-js', async (t) => {
  t.same(found('+44 20 7946 0958'), [['phone', '+44 20 7946 0958']])
  t.same(found('call +1 (415) 555-2671'), [['phone', '+1 (415) 555-2671']])
  t.same(found('0044 20 7946 0958'), [['phone', '0044 20 7946 0958']])
  t.same(found('+81 3-1234-5678'), [['phone', '+81 3-1234-5678']])
  t.same(found('+44 12'), [], 'too short')
  t.same(found('+999 1234567890'), [], 'no such country')
  t.same(found('+86 12345678901'), [], 'not a mainland number')
  t.same(found('+86 2024 0501'), [], 'a date after +86')
  t.equal(phone('14155552671', true, { left: 4 }), '+14155552671')
  t.equal(phone('8613812345678', false, { left: 4 }), '+8613812345678', 'a mobile with 86 and no +')
  t.equal(phone('8601012345678', false, { left: 4 }), undefined, 'only a mobile is read with a bare 86')
  t.equal(phone('0123456789', true, { left: 4 }), undefined, 'no country code starts with 0')
  t.notOk(mayBeNumber('2024050113', 0, 8, false), 'a date is no number classify reports')
  t.ok(mayBeNumber('8004567890', 0, 10, false), 'an 800 number')
  t.notOk(mayBeNumber('0000000000', 0, 10, false), '00 and a 0')
  t.equal(phone('02012345678', false, { left: 0 }), '+862012345678', 'past the budget, the shape is enough')
  t.equal(phone('4001234567', false, { left: 0 }), '+864001234567')
  t.equal(phone('442079460959', true, { left: 0 }), '+442079460959')
  const budget = { left: 2 }
  t.equal(phone('447911123456', true, budget), '+447911123456')
  t.equal(phone('447911123456', true, budget), '+447911123456', 'judged once, then remembered')
  t.equal(phone('10000000001', true, budget), undefined)
  t.equal(phone('10000000001', true, budget), undefined, 'an invalid one too')
  t.equal(budget.left, 0)
  t.same(
    found('+1 000 000 0011 or +1 000 000 0012 or +1 000 000 0013 or +1 000 000 0014 or +1 000 000 0015').map(([, text]) => text),
    ['+1 000 000 0015'],
    'decoys spend the budget, and what comes after them is flagged on its shape',
  )
  const many = { left: 5000 }
  for (let i = 0; i < 4100; i++) phone(`0755${String(20000000 + i)}`, false, many)
  t.equal(phone('075520000000', false, many), '+8675520000000', 'the cache, cleared when full, still answers')
  t.same(found('+86 0000 0000 00'), [], 'zeros after +86')
})

t.test('WeChat ids after their cue words and look-alikes', async (t) => {
  const cues = ['微信', '威信', 'V信', 'v信', 'vx', 'VX', 'wx', 'Wx:', '薇', '加V', '加v', '+v', '加微', 'weixin', 'WeChat', '微信号', '绿泡泡', '維信']
  for (const cue of cues) t.same(found(`${cue} zhang_san88`), [['wechat', 'zhang_san88']], cue)
  t.same(found('加我微信号是：abc-12345 谢谢'), [['wechat', 'abc-12345']])
  t.same(found('ｖｘ：Ａｂｃ１２３４'), [['wechat', 'Ａｂｃ１２３４']], 'full-width')
  t.same(found('微信 zhangsan'), [['wechat', 'zhangsan']], 'letters only, at the end')
  t.same(found('加微信 zhangsan 谢谢'), [['wechat', 'zhangsan']])
  t.same(found('微信 payment is easy'), [], 'English prose after the cue')
  t.same(found('微信 ab12'), [], 'too short for an id')
  t.same(found('微信 1abcdef'), [], 'an id starts with a letter')
  t.same(found('他的威信很高'), [], 'the cue alone')
  t.same(found('jinx abcdef1'), [], 'a Latin cue inside a word')
  t.same(found('微信 13812345678'), [['phone', '13812345678']], 'a phone number as the id')
})

t.test('QQ numbers after their cue words', async (t) => {
  for (const cue of ['QQ', 'qq', 'ＱＱ', '扣扣', '企鹅', 'Q号', 'QQ群', '球球']) t.same(found(`${cue}：12345678`), [['qq', '12345678']], cue)
  t.same(found('企鹅号是987654321'), [['qq', '987654321']])
  t.same(found('扣扣 1234 5678'), [['qq', '1234 5678']])
  t.same(found('QQ 壹贰叁肆伍陆柒捌玖'), [['qq', '壹贰叁肆伍陆柒捌玖']])
  t.same(found('QQ 13812345678'), [['qq', '13812345678']], 'a QQ number shaped like a phone is reported once')
  t.same(found('qq 1234'), [], 'too short')
  t.same(found('qq 012345'), [], 'starts with 0')
  t.same(found('qq 123456789012'), [], 'too long')
  t.same(found('我qq音乐会员'), [], 'the cue alone')
})

t.test('e-mail addresses', async (t) => {
  t.same(found('mail me a.b@example.com'), [['email', 'a.b@example.com']])
  t.same(found('邮箱：zhang.san+x@mail.qq.com。'), [['email', 'zhang.san+x@mail.qq.com']])
  t.same(found('ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ'), [['email', 'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ']], 'full-width')
  t.same(found('Name.Surname@Example.ORG'), [['email', 'Name.Surname@Example.ORG']])
  t.same(found('..a@b.io'), [['email', 'a@b.io']], 'leading dots are not the address')
  t.same(found('@alice look'), [], 'a mention')
  t.same(found('a@b'), [], 'no domain')
  t.same(found('x @b.io'), [], 'nothing before the @')
  t.same(found('a@b.c'), [], 'a one-letter top-level domain')
  t.same(found('a@b.io1'), [], 'a domain running on')
  t.same(emails('a@b.io c@d.io').map((h) => h.key), ['a@b.io', 'c@d.io'])
})

t.test('resident id numbers: 18 characters, a real date, the GB 11643 check character', async (t) => {
  t.same(found('身份证11010519491231002X'), [['idCard', '11010519491231002X']])
  t.same(found('id 110105 19491231 002x'), [['idCard', '110105 19491231 002x']])
  t.same(found('440301199001015678'.slice(0, 17)), [], '17 digits')
  t.ok(isIdCard('11010519491231002x'))
  t.notOk(isIdCard('110105194912310021'), 'wrong check character')
  t.notOk(isIdCard('110105194902300028'), '30 February')
  t.notOk(isIdCard('110105209912310021'), 'born in the future')
  t.notOk(isIdCard('910105194912310021'), 'no such region')
  t.same(found('11010519491231002Xyz'), [], 'glued to a word')
})

t.test('bank card numbers: 16–19 digits, a scheme prefix, Luhn', async (t) => {
  t.same(found('卡号 6222 0212 3456 7890 128'), [['bankCard', '6222 0212 3456 7890 128']])
  t.same(found('4111 1111 1111 1111'), [['bankCard', '4111 1111 1111 1111']])
  t.same(found('5500-0000-0000-0004'), [['bankCard', '5500-0000-0000-0004']])
  t.same(found('６２２２０２１２３４５６７８９０１２８'), [['bankCard', '６２２２０２１２３４５６７８９０１２８']])
  t.ok(isBankCard('4111111111111111'))
  t.notOk(isBankCard('4111111111111112'), 'Luhn fails')
  t.notOk(isBankCard('1111111111111117'), 'no scheme starts with 1')
  t.same(found('6222021234567890123'), [], 'a long number that fails Luhn')
})

t.test('everyday texts pass', async (t) => {
  const everyday = [
    '这件衣服¥1380.00，打折后￥999',
    'Total: $1,380.00 incl. tax',
    '我们2024-05-01见',
    '2024/05/01 13:45 出发',
    '2024年5月1日下午13:45开会',
    '订单号 DD20240501138123 已发货',
    'order #A13812345678 shipped',
    'Your order 2024050113812345 is on its way',
    'SF1234567890123 顺丰单号',
    'upgrade to v13.8.1234 or 1.2.3.4',
    'node 20.19.43, typescript 5.9.3',
    '13:45:30 到 14:00',
    'the year 1949, 2008 and 2024',
    '1234567812345678 is not a card',
    '110105194912310021 wrong check',
    '第一二三名都有奖',
    '我有一个朋友，三个人去了八次',
    '温度 36.5℃，湿度 80%',
    '房间 1301，电梯 B2',
    'score 3-2, then 4:1',
    '微信支付 138 元',
    'QQ音乐 vip',
    'iPhone15 Pro Max 256G',
    'ISBN 978-7-111-12345-6',
    '1714521600 seconds since epoch',
    'ip 192.168.1.100',
    '3.14159265358979',
    '价格 1 380 元',
    'my phone is an iphone15',
    'SKU A12B34C56D78E90F12 in stock',
  ]
  for (const text of everyday) t.same(found(text), [], text)
})

t.test('texts that cannot hold a contact detail are answered before normalising', async (t) => {
  t.notOk(mayHold('see you at noon 🍜🎉'))
  t.notOk(mayHold('今天天气很好，我们下午去公园散步吧。'))
  t.ok(mayHold('call 𝟏𝟑𝟖'), 'mathematical digits')
  t.ok(mayHold('🄂'), 'enclosed digits')
  t.ok(mayHold('🟢 zhangsan'), 'an emoji cue')
  t.ok(mayHold('V X zhangsan'), 'a Latin cue')
  t.ok(mayHold('q\u200bq'), 'an invisible character')
  t.ok(mayHold('ｖｘ'), 'full-width letters')
  t.same(found('🟢 zhang_san88'), [['wechat', 'zhang_san88']])
  t.same(found('call 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖'), [['phone', '𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖']])
  t.same(found('v\u200bx abc_1234'), [['wechat', 'abc_1234']])
})

t.test('numerals, chains and classify, alone', async (t) => {
  t.equal(foldNumerals('plain text'), 'plain text')
  t.equal(foldNumerals('一三八 ❶❷ 〇'), '138 12 0')
  t.same(chains('a 12 3x'), [{ groups: [[2, 4], [5, 7]], digits: '123x', offsets: [0, 2, 4], plus: false, start: 2 }])
  t.same(chains('12345abc 6'), [{ groups: [[9, 10]], digits: '6', offsets: [0, 1], plus: false, start: 9 }], 'a number glued to a word after it')
  t.same(chains('12  -  3'), [{ groups: [[0, 2]], digits: '12', offsets: [0, 2], plus: false, start: 0 }, { groups: [[7, 8]], digits: '3', offsets: [0, 1], plus: false, start: 7 }], 'a gap too wide')
  t.same(chains('12-'), [{ groups: [[0, 2]], digits: '12', offsets: [0, 2], plus: false, start: 0 }])
  const none = { phone: false, idCard: false, bankCard: false }
  t.equal(classify('13812345678', false, none, { left: 4 }), undefined)
  t.same(classify('13812345678', false, { ...none, phone: true }, { left: 4 }), { kind: 'phone', key: '+8613812345678' })
  t.equal(classify('12345678901234567x', false, { ...none, phone: true, bankCard: true }, { left: 4 }), undefined)
  t.same(cuedIds('vx abcdef1 qq 12345', false, true).map((h) => h.kind), ['qq'])
})

t.test('mask keeps the last digits of numbers and hides ids and addresses whole', async (t) => {
  t.equal(await masked('电话：138-1234-5678'), '电话：*********5678')
  t.equal(await masked('一三八一二三四五六七八 ok'), '*******五六七八 ok')
  t.equal(await masked('电话 13812345678', { keepLast: 0 }), '电话 ***********')
  t.equal(await masked('电话 13812345678', { keepLast: 5, maskChar: '#' }), '电话 ######45678')
  t.equal(await masked('电话 13812345678', { keepLast: 6 }), '电话 ***********', 'fewer than twice keepLast digits: masked whole')
  t.equal(await masked('QQ 123456'), 'QQ ******', 'fewer than twice keepLast digits: masked whole')
  t.equal(await masked('加微信 abc_123 谢谢'), '加微信 ******* 谢谢')
  t.equal(await masked('mail a@b.io'), 'mail ******')
  t.equal(await masked('身份证11010519491231002X'), '身份证**************002X')
  t.equal(await masked('a 13812345678 b 13912345678'), 'a *******5678 b *******5678')
  t.equal(await masked('no contact here'), 'no contact here')
})

t.test('reject and drop', async (t) => {
  const r = await checkMessage(contacts, { action: 'reject', code: 120002, info: 'No contact details, please' }, 'vx abc_1234')
  t.equal(r.decision, 'reject')
  t.match(r.reply, { ErrorCode: 120002, ErrorInfo: 'No contact details, please' })
  t.match(r.trace, [{ reason: 'contacts: 1 found (wechat)' }])
  const g = await checkMessage(contacts, { action: 'reject', groupCode: 10100 }, groupRequest({ text: '13812345678 a@b.io' }))
  t.match(g.reply, { ErrorCode: 10100 })
  t.match(g.trace, [{ reason: 'contacts: 2 found (phone, email)' }])
  const d = await checkMessage(contacts, { action: 'drop' }, '13812345678')
  t.equal(d.decision, 'drop')
})

t.test('the allow list, compared after normalisation', async (t) => {
  const options = { allow: ['+86 400-812-3123', 'presend_help', '10001', 'help@presend.io', '13812345678'] }
  t.equal(await masked('客服 4008123123 微信 presend_help QQ 10001 help@presend.io', options), '客服 4008123123 微信 presend_help QQ 10001 help@presend.io')
  t.equal(await masked('客服 四〇〇-八一二-三一二三，或 +86 138 1234 5678', options), '客服 四〇〇-八一二-三一二三，或 +86 138 1234 5678')
  t.equal(await masked('客服 4008123124', options), '客服 ******3124', 'another number is masked')
  t.equal(await masked('vx Presend_Help2', options), 'vx *************')
})

t.test('kinds: only the kinds asked for', async (t) => {
  t.equal(await masked('13812345678 a@b.io', { kinds: ['email'] }), '13812345678 ******')
  t.equal(await masked('13812345678 a@b.io vx abcdef1', { kinds: ['phone'] }), '*******5678 a@b.io vx abcdef1')
  t.equal(await masked('4111111111111111 11010519491231002X', { kinds: ['idCard'] }), '4111111111111111 **************002X')
  t.equal(await masked('qq 12345678 vx abcdef1', { kinds: ['wechat'] }), 'qq 12345678 vx *******')
})

t.test('every text slot is read: custom elements, merged forwards, file names, friend requests, group names', async (t) => {
  const pipeline = await createPipeline({ plugins: [[contacts, {}]] })
  t.teardown(() => pipeline.close())
  const custom = await pipeline.run(c2cRequest({ body: [customElement({ Desc: '加vx abc_1234', Data: '{}' }), textElement('ok')] }))
  t.match(custom.body[0], { MsgContent: { Desc: '加vx ********' } })
  const relay = await pipeline.run(
    c2cRequest({
      body: [{ MsgType: 'TIMRelayElem', MsgContent: { Title: 'chat', MsgList: [{ MsgBody: [textElement('13812345678')] }] } } as never],
    }),
  )
  t.match(relay.body[0], { MsgContent: { MsgList: [{ MsgBody: [{ MsgContent: { Text: '*******5678' } }] }] } })
  const file = await pipeline.run(c2cRequest({ body: [{ MsgType: 'TIMFileElem', MsgContent: { FileName: 'call 13812345678.pdf' } } as never] }))
  t.match(file.body[0], { MsgContent: { FileName: 'call *******5678.pdf' } })
  const friend = await pipeline.run(friendAddRequest({ text: '加我微信 abc_1234' }))
  t.equal(friend.decision, 'reject', 'a friend request cannot be rewritten: refused')
  const group = await pipeline.run(groupCreateRequest({ text: 'QQ群 12345678' }))
  t.equal(group.decision, 'reject', 'a group name cannot be rewritten: refused')
  const only = await checkMessage(contacts, { slots: ['custom-desc'] }, '13812345678')
  t.equal(only.decision, 'allow', 'a text slot not asked for')
})

t.test('registered by name, with documented defaults', async (t) => {
  t.equal(builtinPlugins.contacts, contacts)
  t.match(contactsOptions.parse({}), { kinds: [...CONTACT_KINDS], action: 'mask', keepLast: 4, maskChar: '*', allow: [], slots: 'all' })
  t.throws(() => contactsOptions.parse({ kinds: ['fax'] }))
  t.throws(() => contactsOptions.parse({ maskChar: '**' }))
  t.throws(() => contactsOptions.parse({ keepLast: 9 }))
  t.throws(() => contactsOptions.parse({ colour: 'red' }))
})

t.test('masking is linear in the text, whatever its characters (regression: full-width numbers were quadratic)', async (t) => {
  // Full-width digits and ideographic spaces leave no boundary the grapheme snapper sees without the
  // segmenter: a fresh snapper a hit walked back to the text's start, and 12k characters took 25 s.
  const timeOf = async (n: number): Promise<number> => {
    const text = '１３８１２３４５６７８　'.repeat(n)
    const started = performance.now()
    const r = await checkMessage(contacts, {}, text)
    const elapsed = performance.now() - started
    t.equal((r.body[0]?.MsgContent as { Text: string }).Text, '＊＊＊＊＊＊＊５６７８　'.replaceAll('＊', '*').repeat(n))
    return elapsed
  }
  await timeOf(250)
  const small = Math.min(await timeOf(1000), await timeOf(1000))
  const large = Math.min(await timeOf(4000), await timeOf(4000))
  t.ok(large / small <= 10, `4× the text took ${(large / small).toFixed(1)}× the time (${large.toFixed(0)} / ${small.toFixed(0)} ms)`)
})

t.test('a text with more hits than a call can take as arguments', async (t) => {
  // 150k addresses and 150k QQ numbers: spread into push(), the hits overflowed the stack.
  t.equal(detect('a@b.co '.repeat(150_000)).length, 150_000)
  t.equal(detect('qq 12345 '.repeat(150_000)).length, 150_000)
})
