// keyword-rewrite through the pipeline: the red-packet preset (fixture file), rules in order, one pass over
// every text element, emoji and surrogate pairs next to hits, and the elem / CloudCustomData side effects.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createPipeline } from '../../../core/pipeline/index.js'
import { isPresendError } from '../../../core/errors.js'
import { customElement, textElement } from '../../../core/plugin.js'
import { c2cRequest, checkMessage, groupRequest, testPlugin, type OptionsOf, type PluginCase, type TestLike } from '../../../core/testing/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import keywordRewrite from '../../../plugins/keyword-rewrite/index.js'

// tap's overloaded Test#test does not type-check against presend/testing's TestLike yet (reported to the lead).
const like = (t: unknown) => t as TestLike

const hi = textElement('hi')
const face = { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } }

t.test('registered as a built-in under its config name', async (t) => {
  t.equal(builtinPlugins['keyword-rewrite'], keywordRewrite)
})

t.test('preset red-packet (fixtures/red-packet.txt)', async (t) => {
  const lines = readFileSync(new URL('fixtures/red-packet.txt', import.meta.url), 'utf8').split('\n')
  const cases: PluginCase[] = []
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue
    const [input, output] = line.split('\t') as [string, string]
    cases.push({
      name: JSON.stringify(input),
      text: input,
      expect: output === '=' ? 'allow' : { body: [textElement(output)] },
    })
  }
  t.ok(cases.length >= 20, 'the fixture has its cases')
  testPlugin(like(t), keywordRewrite, { options: { preset: 'red-packet' }, cases })
})

t.test('rules', async (t) => {
  testPlugin(like(t), keywordRewrite, {
    options: {
      rules: [
        { match: 'red packet', replace: '[RP]' },
        { match: ['red*', '*wechat*'], replace: '[X]' },
        { match: 'packet', replace: '[P]' },
      ],
    },
    cases: [
      { name: 'the earlier rule wins a tie on the same span', text: 'a red packet', expect: { body: [textElement('a [RP]')] } },
      { name: 'leftmost-longest: a later rule on a longer span still loses to an earlier start', text: 'redpacket', expect: { body: [textElement('[X]')] } },
      { name: 'every rule applies in the same pass', text: 'redness packet, mywechatid', expect: { body: [textElement('[X] [P], [X]')] } },
      { name: 'no hit: unchanged', text: 'nothing here', expect: 'allow' },
      {
        name: 'hits in every text element; other elements untouched and in order',
        request: c2cRequest({ body: [textElement('red packet'), face, textElement('one packet'), hi] }),
        expect: { body: [textElement('[RP]'), face, textElement('one [P]'), hi] },
      },
      {
        name: 'a text element that is only a keyword replaced by nothing is removed',
        request: c2cRequest({ body: [textElement('packet'), hi] }),
        expect: { body: [textElement('[P]'), hi] },
      },
      { name: 'group messages too', request: groupRequest({ text: 'packet!' }), expect: { body: [textElement('[P]!')] } },
    ],
  })
})

t.test('emoji and surrogate pairs next to hits', async (t) => {
  testPlugin(like(t), keywordRewrite, {
    options: { rules: [{ match: 'packet', replace: '📦' }, { match: '红包', replace: '🧧' }] },
    cases: [
      { name: 'emoji on both sides', text: '😀packet😀', expect: { body: [textElement('😀📦😀')] } },
      { name: 'ZWJ sequences on both sides', text: '👩‍💻红包👩‍💻', expect: { body: [textElement('👩‍💻🧧👩‍💻')] } },
      { name: 'astral CJK characters on both sides', text: '𠀀红包𠀁', expect: { body: [textElement('𠀀🧧𠀁')] } },
      { name: 'skin-tone modifier before the hit', text: '👍🏽 packet 👍🏽', expect: { body: [textElement('👍🏽 📦 👍🏽')] } },
      { name: 'flag after the hit', text: 'packet🇨🇳', expect: { body: [textElement('📦🇨🇳')] } },
      { name: 'several hits between emoji', text: '红包😀红包😀packet', expect: { body: [textElement('🧧😀🧧😀📦')] } },
    ],
  })
})

t.test('caseSensitive, allow and normalize', async (t) => {
  const cs = await checkMessage(keywordRewrite, { rules: [{ match: 'Red Packet', replace: '🧧' }], caseSensitive: true }, 'Red Packet, red packet, RED PACKET')
  t.same(cs.body, [textElement('🧧, red packet, RED PACKET')], 'caseSensitive matches the case as written')

  const ci = await checkMessage(keywordRewrite, { rules: [{ match: 'Red Packet', replace: '🧧' }] }, 'Red Packet, red packet, RED PACKET')
  t.same(ci.body, [textElement('🧧, 🧧, 🧧')], 'case-insensitive by default')

  const allowed = await checkMessage(keywordRewrite, { preset: 'red-packet', allow: ['red packet challenge'] }, 'the red packet challenge, a red packet')
  t.same(allowed.body, [textElement('the red packet challenge, a 🧧')], 'an allow phrase cancels the hits it covers')

  const noChinese = await checkMessage(keywordRewrite, { rules: [{ match: '红包', replace: '🧧' }], normalize: { chinese: false } }, '紅包 红包')
  t.same(noChinese.body, [textElement('紅包 🧧')], 'normalize.chinese: false keeps traditional and simplified apart')

  const noSeparators = await checkMessage(keywordRewrite, { preset: 'red-packet', normalize: { separators: false } }, 'r.e.d packet')
  t.equal(noSeparators.changed, false, 'normalize.separators: false no longer joins "r.e.d"')

  const preset = await checkMessage(keywordRewrite, { preset: 'red-packet', normalize: { chinese: false } }, '紅包')
  t.same(preset.body, [textElement('🧧')], 'the preset lists the traditional form itself')

  const traditional = await checkMessage(keywordRewrite, { preset: 'red-packet', normalize: { chinese: false } }, '紅包裹 红包裹 紅包')
  t.same(traditional.body, [textElement('紅包裹 红包裹 🧧')], 'and its allow phrases in traditional form too')
})

t.test('preset with its own replacement, and user rules winning ties with it', async (t) => {
  const own = await checkMessage(keywordRewrite, { preset: { name: 'red-packet', replace: '[red packet]' } }, '发红包, hongbao')
  t.same(own.body, [textElement('发[red packet], [red packet]')])

  const first = await checkMessage(
    keywordRewrite,
    { rules: [{ match: 'hongbao', replace: '[hb]' }], preset: 'red-packet' },
    'hongbao 红包',
  )
  t.same(first.body, [textElement('[hb] 🧧')], 'rules come before the preset')
})

t.test('side effects when a rule fires', async (t) => {
  const options: OptionsOf<typeof keywordRewrite> = {
    rules: [
      { match: 'packet', replace: '📦', elem: { Desc: 'Rewrite', Data: 'packet' }, cloudCustomData: { packet: true } },
      { match: 'wechat', replace: '[contact]', elem: { Data: 'wechat' }, cloudCustomData: { contact: true } },
      { match: 'tag only', cloudCustomData: 'tagged' },
    ],
    preset: { name: 'red-packet' as const, elem: { Data: 'red-packet' } },
  }
  testPlugin(like(t), keywordRewrite, {
    options,
    cases: [
      {
        name: 'one rule: text replaced, element appended, CloudCustomData merged',
        request: c2cRequest({ text: 'a packet', cloudCustomData: '{"app":1}' }),
        expect: { body: [textElement('a 📦'), customElement({ Desc: 'Rewrite', Data: 'packet' })], cloudCustomData: '{"app":1,"packet":true}' },
      },
      {
        name: 'two rules: the earlier rule’s element (one a message), both patches in rule order',
        request: c2cRequest({ text: 'wechat me a packet' }),
        expect: {
          body: [textElement('[contact] me a 📦'), customElement({ Desc: 'Rewrite', Data: 'packet' })],
          cloudCustomData: '{"packet":true,"contact":true}',
        },
      },
      {
        name: 'a rule without replace keeps the text and only tags',
        request: c2cRequest({ text: 'tag only please', cloudCustomData: 'old' }),
        expect: { body: [textElement('tag only please')], cloudCustomData: 'tagged' },
      },
      {
        name: 'a rule without elem does not stop a later rule’s elem',
        request: c2cRequest({ text: 'tag only a red packet' }),
        expect: { body: [textElement('tag only a 🧧'), customElement({ Data: 'red-packet' })], cloudCustomData: 'tagged' },
      },
      {
        name: 'a message with its own custom element keeps it (ifPresent skip)',
        request: c2cRequest({ body: [textElement('packet'), customElement({ Data: 'mine' })] }),
        expect: { body: [textElement('📦'), customElement({ Data: 'mine' })], cloudCustomData: '{"packet":true}' },
      },
      {
        name: 'CloudCustomData that is not JSON is left alone by a merge',
        request: c2cRequest({ text: 'packet', cloudCustomData: 'not json' }),
        expect: { body: [textElement('📦'), customElement({ Desc: 'Rewrite', Data: 'packet' })], cloudCustomData: 'not json' },
      },
      { name: 'no hit: no side effects', request: c2cRequest({ text: 'hello', cloudCustomData: '{}' }), expect: 'allow' },
    ],
  })

  const replaced = await checkMessage(
    keywordRewrite,
    { ...options, ifPresent: 'replace' },
    c2cRequest({ body: [customElement({ Data: 'mine' }), textElement('packet')] }),
  )
  t.same(replaced.body, [customElement({ Desc: 'Rewrite', Data: 'packet' }), textElement('📦')], 'ifPresent replace puts the element in place')
  t.match(replaced.trace, [{ plugin: 'keyword-rewrite', outcome: 'edit', reason: 'rule 0 matched' }])

  const plain = await checkMessage(keywordRewrite, { rules: [{ match: 'a', replace: 'b' }, { match: 'c', replace: 'd' }] }, 'a c')
  t.match(plain.trace, [{ reason: 'rules 0, 1 matched' }], 'the trace names the rules, never the text')
})

t.test('the message is never mutated and the result is exact JSON', async (t) => {
  const result = await checkMessage(keywordRewrite, { preset: 'red-packet' }, c2cRequest({ body: [textElement('红包 red packet'), face] }))
  t.equal(
    JSON.stringify(result.reply),
    '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"🧧 🧧"}},{"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"smile"}}]}',
  )
})

t.test('only the slots it is set to read: a custom element\'s Desc that another plugin reads is left alone', async (t) => {
  // The second plugin reads every slot, so the message carries a custom-desc slot the first must skip.
  const pipeline = await createPipeline({
    plugins: [[keywordRewrite, { preset: 'red-packet' }], [keywordRewrite, { rules: [{ match: 'zzz', replace: 'y' }], slots: 'all' }, { name: 'every-slot' }]],
  })
  t.teardown(() => pipeline.close())
  const result = await pipeline.run(c2cRequest({ body: [textElement('红包'), customElement({ Desc: '红包', Data: 'x' })] }))
  t.same(result.body, [textElement('🧧'), customElement({ Desc: '红包', Data: 'x' })])
})

t.test('option errors name the key and say what to do', async (t) => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['no rules', {}, /keyword-rewrite has no rules; add rules, or preset: "red-packet"/],
    ['empty rules', { rules: [] }, /has no rules/],
    ['a pattern of asterisks', { rules: [{ match: '**', replace: 'x' }] }, /options\.rules\[0\]\.match: a pattern needs text besides its asterisks/],
    ['an empty pattern in a list', { rules: [{ match: ['ok', ''], replace: 'x' }] }, /options\.rules\[0\]\.match\[1\]: a pattern needs text/],
    ['an empty match list', { rules: [{ match: [], replace: 'x' }] }, /options\.rules\[0\]\.match/],
    ['a rule that does nothing', { rules: [{ match: 'x' }] }, /options\.rules\[0\]\.replace: this rule does nothing/],
    ['an unknown rule key', { rules: [{ match: 'x', replace: 'y', replacement: 'z' }] }, /replacement/],
    ['an unknown preset', { preset: 'lottery' }, /options\.preset/],
    ['an unknown preset key', { preset: { name: 'red-packet', with: 'x' } }, /options\.preset/],
    ['caseFold under normalize', { preset: 'red-packet', normalize: { caseFold: false } }, /options\.normalize.*caseFold/],
    ['an empty elem', { rules: [{ match: 'x', replace: 'y', elem: {} }] }, /options\.rules\[0\]\.elem: a custom element needs at least one/],
    ['a bad ifPresent', { preset: 'red-packet', ifPresent: 'merge' }, /options\.ifPresent/],
  ]
  for (const [name, options, message] of bad) {
    const err = await createPipeline({ plugins: [[keywordRewrite, options]] }).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.ok(isPresendError(err, 'PRESEND_INVALID_OPTIONS'), `${name}: PRESEND_INVALID_OPTIONS`)
    t.match((err as Error | undefined)?.message, message, name)
  }

  const invisible = await createPipeline({ plugins: [[keywordRewrite, { rules: [{ match: '\u200b', replace: 'x' }] }]] }).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.ok(isPresendError(invisible, 'PRESEND_INVALID_TERM'), 'a pattern that normalises to nothing is refused by the term compiler')
})

t.test('the README examples do what the README says', async (t) => {
  const options = {
    rules: [
      { match: ['*wechat*', 'weixin', '微信'], replace: '[contact removed]' },
      { match: 'lottery*', cloudCustomData: { flags: { lottery: true } } },
    ],
    preset: { name: 'red-packet', replace: '[红包]', elem: { Desc: 'Moderation.Rewrite', Data: 'red-packet' } },
  } satisfies OptionsOf<typeof keywordRewrite>
  const a = await checkMessage(keywordRewrite, options, 'add me on WeChat for a red packet')
  t.same(a.body, [
    textElement('add me on [contact removed] for a [红包]'),
    customElement({ Desc: 'Moderation.Rewrite', Data: 'red-packet' }),
  ])
  const b = await checkMessage(keywordRewrite, options, c2cRequest({ text: 'lottery tonight', cloudCustomData: '{"app":1}' }))
  t.same(b.body, [textElement('lottery tonight')])
  t.equal(b.cloudCustomData, '{"app":1,"flags":{"lottery":true}}')

  for (const [input, output] of [['发红包啦', '发🧧啦'], ['Send me a RED PACKET!', 'Send me a 🧧!'], ['r.e.d packets', '🧧']]) {
    const r = await checkMessage(keywordRewrite, { preset: 'red-packet' }, input as string)
    t.same(r.body, [textElement(output as string)], `${input} → ${output}`)
  }
})

t.test('replace "" deletes the hit; a message left empty is dropped by the core', async (t) => {
  const options = { rules: [{ match: '红包', replace: '' }] }
  const some = await checkMessage(keywordRewrite, options, '发红包啦')
  t.same(some.body, [textElement('发啦')])
  const all = await checkMessage(keywordRewrite, options, '红包红包')
  t.equal(all.decision, 'drop')
  const other = await checkMessage(keywordRewrite, options, c2cRequest({ body: [textElement('红包'), face] }))
  t.same(other.body, [face], 'the emptied text element is removed, the rest kept')
})
