// The pipeline: build errors, run order and edit chaining, codes per command, faults, deadline, close.
import t from 'tap'
import { z } from 'zod'
import { createPipeline, type PipelineOptions, type PluginEntry, type RunResult } from '../../core/pipeline/index.js'
import { parseRequest } from '../../core/protocol/index.js'
import {
  allow,
  appendElement,
  definePlugin,
  drop,
  edit,
  insertElement,
  reject,
  removeElement,
  replaceText,
  setCloudCustomData,
  textElement,
  type CheckContext,
  type Message,
  type PluginEnv,
} from '../../core/plugin.js'
import { PresendError } from '../../core/errors.js'
import { compileNormalizer, type Normalized } from '../../core/text/index.js'
import { silentLogger } from '../../core/logger.js'
import { OK_REPLY, type BeforeSendCommand } from '../../core/protocol/index.js'
import { c2cRequest, deepFreeze, groupRequest, officialAccountRequest, requestFor, seedRequest } from '../../core/testing/index.js'
import { busyWait, capturingLogger, inline, sleep } from './fixtures/helpers.js'

const allowAll = inline('allow-all', () => allow())

t.test('build: invalid pipeline options', async (t) => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['deadline 0', { plugins: [], deadlineMs: 0 }, /^Invalid pipeline options: deadlineMs: Too small: expected number to be >=1\.$/],
    ['deadline past Tencent\'s 2 s', { plugins: [], deadlineMs: 2001 }, /^Invalid pipeline options: deadlineMs: Too big: expected number to be <=2000\.$/],
    ['fractional deadline', { plugins: [], deadlineMs: 1.5 }, /deadlineMs: Invalid input: expected int/],
    ['string deadline', { plugins: [], deadlineMs: '100' }, /deadlineMs: Invalid input: expected number, received string/],
    ['bad fault policy', { plugins: [], onFault: 'ignore' }, /^Invalid pipeline options: onFault: Invalid option: expected one of "allow"\|"reject"\.$/],
    ['no plugins array', { plugins: 'profanity' }, /^Invalid pipeline options: plugins: expected an array of plugins\.$/],
    ['no options at all', undefined, /plugins: expected an array of plugins/],
  ]
  for (const [what, options, message] of bad) {
    await t.rejects(createPipeline(options as PipelineOptions), { name: 'PresendError', code: 'PRESEND_INVALID_PIPELINE_OPTIONS', message }, what)
  }
})

t.test('build: entries that are not plugins', async (t) => {
  for (const entry of [42, null, 'profanity', {}, { plugin: 'profanity' }, [{}], [], { name: 'x', create: () => ({}) }]) {
    await t.rejects(
      createPipeline({ plugins: [allowAll, entry as PluginEntry] }),
      {
        code: 'PRESEND_INVALID_PLUGIN',
        message: 'plugins[1] is not a presend plugin; pass a plugin made with definePlugin(), [plugin, options] or { plugin, options }.',
      },
      JSON.stringify(entry),
    )
  }
})

t.test('build: invalid per-plugin settings name the plugin', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [[allowAll, {}, { timeoutMs: 0 }], /^Invalid settings for plugin "allow-all" \(plugins\[0\]\): timeoutMs: Too small/],
    [[allowAll, {}, { timeoutMs: 5000 }], /timeoutMs: Too big/],
    [{ plugin: allowAll, onFault: 'maybe' }, /^Invalid settings for plugin "allow-all" \(plugins\[0\]\): onFault: Invalid option/],
    [{ plugin: allowAll, name: '' }, /name: Too small/],
    [[allowAll, {}, null], /\(plugins\[0\]\): \(root\): Invalid input: expected object, received null/],
  ]
  for (const [entry, message] of bad) {
    await t.rejects(createPipeline({ plugins: [entry as PluginEntry] }), { code: 'PRESEND_INVALID_PIPELINE_OPTIONS', message }, JSON.stringify(entry))
  }
})

t.test('build: invalid options name the plugin, the key and what was expected', async (t) => {
  const words = definePlugin({
    name: 'words',
    options: z.object({ words: z.array(z.string()), limit: z.number().int().default(3) }),
    create: () => ({ check: () => allow() }),
  })
  const err = await createPipeline({ plugins: [allowAll, [words, { words: ['ok', 7] }]] }).catch((e: unknown) => e)
  t.ok(err instanceof PresendError)
  t.match(err, {
    code: 'PRESEND_INVALID_OPTIONS',
    message: 'Invalid options for plugin "words" (plugins[1]): options.words[1]: Invalid input: expected string, received number.',
  })
  t.match((err as PresendError).details, [{ path: ['words', 1] }])
  await t.rejects(createPipeline({ plugins: [{ plugin: words, name: 'second-list' }] }), {
    code: 'PRESEND_INVALID_OPTIONS',
    message: /^Invalid options for plugin "second-list" \(plugins\[0\]\): options\.words: Invalid input: expected array, received undefined\.$/,
  }, 'missing options are validated as {} and the message uses the pipeline name')
  await t.rejects(createPipeline({ plugins: [[words, 'words']] }), { message: /options: Invalid input: expected object, received string/ }, 'a root-level problem')
  const strict = definePlugin({ name: 'strict', options: z.strictObject({ words: z.array(z.string()).default([]) }), create: () => ({ check: () => allow() }) })
  await t.rejects(createPipeline({ plugins: [[strict, { wrods: ['x'] }]] }), {
    code: 'PRESEND_INVALID_OPTIONS',
    message: 'Invalid options for plugin "strict" (plugins[0]): options.wrods: unknown key (did you mean "words"?); expected one of words.',
  }, 'an unknown option names the allowed ones and guesses the typo')
  const seen: unknown[] = []
  const spy = definePlugin({
    name: 'spy',
    options: z.object({ limit: z.number().default(3) }),
    create: (options) => {
      seen.push(options)
      return { check: () => allow() }
    },
  })
  await createPipeline({ plugins: [spy, [spy, { limit: 9 }, { name: 'spy-2' }]] })
  t.same(seen, [{ limit: 3 }, { limit: 9 }], 'create() receives parsed options with defaults')
})

t.test('build: duplicate names', async (t) => {
  await t.rejects(createPipeline({ plugins: [allowAll, [allowAll, {}]] }), {
    code: 'PRESEND_DUPLICATE_PLUGIN',
    message: 'Plugin name "allow-all" appears twice in the pipeline; give the second one its own name (settings.name, or "name" in config).',
  })
  await t.rejects(createPipeline({ plugins: [{ plugin: allowAll, name: 'x' }, [inline('x', () => allow())]] }), { code: 'PRESEND_DUPLICATE_PLUGIN', message: /"x"/ })
  const p = await createPipeline({ plugins: [allowAll, { plugin: allowAll, name: 'allow-again' }] })
  t.same(p.names, ['allow-all', 'allow-again'])
})

t.test('build: create() that throws or returns no checker', async (t) => {
  const throwing = (value: unknown) =>
    definePlugin({
      name: 'broken',
      options: z.object({}),
      create: () => {
        throw value
      },
    })
  const cause = new Error('cannot open list.txt')
  const err = await createPipeline({ plugins: [throwing(cause)] }).catch((e: unknown) => e)
  t.match(err, { code: 'PRESEND_PLUGIN_CREATE_FAILED', message: 'Plugin "broken" failed to start: cannot open list.txt' })
  t.equal((err as Error).cause, cause)
  await t.rejects(createPipeline({ plugins: [throwing('a string')] }), { message: 'Plugin "broken" failed to start: a string' })
  await t.rejects(createPipeline({ plugins: [throwing(null)] }), { message: 'Plugin "broken" failed to start: null' })
  const own = new PresendError('PRESEND_INVALID_OPTIONS', 'list.txt: line 3 is not a word')
  await t.rejects(createPipeline({ plugins: [throwing(own)] }), own, 'a PresendError from create() passes through as it is')
  const asyncThrow = definePlugin({ name: 'async-broken', options: z.object({}), create: async () => Promise.reject(new Error('late')) })
  await t.rejects(createPipeline({ plugins: [asyncThrow] }), { code: 'PRESEND_PLUGIN_CREATE_FAILED', message: /failed to start: late/ })
  for (const checker of [undefined, null, {}, { check: 'yes' }]) {
    const p = definePlugin({ name: 'no-check', options: z.object({}), create: () => checker as never })
    await t.rejects(createPipeline({ plugins: [p] }), {
      code: 'PRESEND_INVALID_PLUGIN',
      message: 'Plugin "no-check": create() must return an object with a check(message, ctx) function.',
    }, JSON.stringify(checker))
  }
  const asyncOk = definePlugin({ name: 'async-ok', options: z.object({}), create: async () => ({ check: () => drop() }) })
  t.equal((await (await createPipeline({ plugins: [asyncOk] })).run(c2cRequest())).decision, 'drop', 'an async create() works')
})

t.test('build: a failed build closes the plugins already created, last first', async (t) => {
  const closed: string[] = []
  const { logger, lines } = capturingLogger()
  const a = inline('a', () => allow(), () => void closed.push('a'))
  const b = inline('b', () => allow(), () => {
    closed.push('b')
    throw new Error('close failed')
  })
  const c = inline('c', () => allow(), async () => void closed.push('c'))
  const bad = definePlugin({ name: 'bad', options: z.object({ n: z.number() }), create: () => ({ check: () => allow() }) })
  await t.rejects(createPipeline({ plugins: [a, b, c, [bad, { n: 'x' }]], logger }), { code: 'PRESEND_INVALID_OPTIONS' })
  t.same(closed, ['c', 'b', 'a'])
  t.match(lines, [{ level: 'warn', msg: 'plugin "b" failed to close', obj: { plugin: 'b', err: { message: 'close failed' } } }])
})

t.test('entry forms, defaults, env and freezing', async (t) => {
  const envs: PluginEnv[] = []
  const mk = (name: string) => inline(name, () => allow(), undefined, (env) => void envs.push(env))
  const { logger } = capturingLogger()
  const p = await createPipeline({
    plugins: [mk('bare'), [mk('tuple')], [mk('tuple-opts'), {}], [mk('tuple-settings'), undefined, { name: 'renamed' }], { plugin: mk('object'), options: {}, timeoutMs: 100, onFault: 'reject' }],
    logger,
    baseDir: '/srv/presend',
  })
  t.same(p.names, ['bare', 'tuple', 'tuple-opts', 'renamed', 'object'])
  t.ok(Object.isFrozen(p) && Object.isFrozen(p.names))
  t.equal(p.deadlineMs, 1500)
  t.equal(p.onFault, 'allow')
  t.same(envs.map((e) => [e.name, e.baseDir]), [
    ['bare', '/srv/presend'],
    ['tuple', '/srv/presend'],
    ['tuple-opts', '/srv/presend'],
    ['renamed', '/srv/presend'],
    ['object', '/srv/presend'],
  ])
  envs[3]?.log.info('hello')
  const p2 = await createPipeline({ plugins: [mk('cwd')], deadlineMs: 300, onFault: 'reject' })
  t.equal(envs[5]?.baseDir, process.cwd(), 'baseDir defaults to the cwd')
  t.equal(envs[5]?.log, silentLogger, 'the default logger is silent')
  t.equal(p2.deadlineMs, 300)
  t.equal(p2.onFault, 'reject')
  const empty = await createPipeline({ plugins: [] })
  const r = await empty.run(seedRequest())
  t.same(r, { decision: 'allow', reply: OK_REPLY, changed: false, body: seedRequest().MsgBody, cloudCustomData: 'your cloud custom data', decidedBy: undefined, faults: 0, trace: [] })
})

t.test('env.log is bound to the plugin name', async (t) => {
  const { logger, lines } = capturingLogger()
  let env: PluginEnv | undefined
  await createPipeline({ plugins: [[inline('named', () => allow(), undefined, (e) => (env = e)), {}, { name: 'alias' }]], logger })
  env?.log.info({ n: 1 }, 'created')
  t.same(lines, [{ level: 'info', obj: { n: 1 }, msg: 'created', bindings: { plugin: 'alias' } }])
  // A logger without child(): the bindings are dropped, the logger itself is used.
  const calls: unknown[] = []
  const plain = { debug() {}, info: (o: unknown) => void calls.push(o), warn() {}, error() {} }
  await createPipeline({ plugins: [inline('plain', () => allow(), undefined, (e) => e.log.info('x'))], logger: plain })
  t.same(calls, ['x'])
})

t.test('plugins run in order and each sees the edits of those before it', async (t) => {
  const seen: Array<[string, string[], string | undefined]> = []
  const look = (name: string) => (m: Message) => void seen.push([name, m.texts.map((x) => x.text), m.cloudCustomData])
  const p = await createPipeline({
    plugins: [
      inline('first', (m) => {
        look('first')(m)
        const part = m.texts[0]!
        return edit([replaceText(part.index, 0, 3, 'blue'), setCloudCustomData('tagged')], 'recoloured')
      }),
      inline('second', (m) => {
        look('second')(m)
        const part = m.texts[0]!
        // Offsets in the text as this plugin sees it ("blue packet"), not the original.
        return edit([replaceText(part.index, 5, 11, 'envelope'), appendElement(textElement('!'))])
      }),
      inline('third', (m) => {
        look('third')(m)
        return allow('looks fine')
      }),
    ],
  })
  const request = deepFreeze(seedRequest())
  const r = await p.run(request)
  t.same(seen, [
    ['first', ['red packet'], 'your cloud custom data'],
    ['second', ['blue packet'], 'tagged'],
    ['third', ['blue envelope', '!'], 'tagged'],
  ])
  t.equal(r.decision, 'allow')
  t.equal(r.changed, true)
  t.same(r.reply, {
    ActionStatus: 'OK',
    ErrorInfo: '',
    ErrorCode: 0,
    MsgBody: [textElement('blue envelope'), textElement('!')],
    CloudCustomData: 'tagged',
  })
  t.match(r.trace, [
    { plugin: 'first', outcome: 'edit', reason: 'recoloured', changes: ['CloudCustomData replaced', 'element 0: replaced [0, 3)'] },
    { plugin: 'second', outcome: 'edit', changes: ['appended TIMTextElem', 'element 0: replaced [5, 11)'] },
    { plugin: 'third', outcome: 'allow', reason: 'looks fine' },
  ])
  t.notOk('reason' in r.trace[1]!, 'no reason key when the verdict has none')
  for (const e of r.trace) t.ok(typeof e.durationMs === 'number' && e.durationMs >= 0)
  t.same(request, seedRequest(), 'the request is untouched')
})

t.test("plugins that normalise alike share a text's normalisation within a message, never across messages", async (t) => {
  const normalizer = compileNormalizer()
  const seen: Normalized[] = []
  const look = (m: Message) => {
    seen.push(normalizer.normalizeTransient(m.texts[0]!.text))
    return allow()
  }
  const p = await createPipeline({ plugins: [inline('first', look), inline('second', look)] })
  await p.run(seedRequest())
  await p.run(seedRequest())
  t.equal(seen.length, 4)
  t.equal(seen[1], seen[0], "the second plugin got the first one's result")
  t.not(seen[2], seen[1], 'the next message, the same text: computed again')
  t.equal(seen[3], seen[2])
  t.equal(seen[2]!.text, 'red packet')
})

t.test('the reply carries MsgBody / CloudCustomData only when they changed', async (t) => {
  const cddOnly = await createPipeline({ plugins: [inline('cdd', () => edit([setCloudCustomData('new')]))] })
  const r1 = await cddOnly.run(c2cRequest({ text: 'x' }))
  t.same(r1.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, CloudCustomData: 'new' }, 'no MsgBody')
  t.equal(r1.changed, true)
  const bodyOnly = await createPipeline({ plugins: [inline('body', () => edit([appendElement(textElement('y'))]))] })
  const r2 = await bodyOnly.run(c2cRequest({ text: 'x', cloudCustomData: 'keep' }))
  t.same(r2.reply, { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, MsgBody: [textElement('x'), textElement('y')] }, 'no CloudCustomData')
  t.equal(r2.cloudCustomData, 'keep')
  const setBack = await createPipeline({
    plugins: [inline('set', () => edit([setCloudCustomData('temp')])), inline('back', () => edit([setCloudCustomData('orig')]))],
  })
  const r3 = await setBack.run(c2cRequest({ cloudCustomData: 'orig' }))
  t.equal(r3.changed, false, 'set and set back by two plugins is no change')
  t.same(r3.reply, OK_REPLY)
  const noop = await createPipeline({ plugins: [inline('same', (m) => edit([replaceText(0, 0, m.texts[0]!.text.length, m.texts[0]!.text)]))] })
  const r4 = await noop.run(c2cRequest({ text: 'same' }))
  t.equal(r4.changed, false)
  t.same(r4.reply, OK_REPLY)
  t.equal(r4.trace[0]?.outcome, 'edit', 'still traced as an edit')
  const cancelling = await createPipeline({
    plugins: [inline('inserter', () => edit([insertElement(0, textElement('tmp'))])), inline('remover', () => edit([removeElement(0)]))],
  })
  const r5 = await cancelling.run(c2cRequest({ text: 'x' }))
  t.equal(r5.changed, false, 'an insert undone by a later plugin is no change')
  t.same(r5.reply, OK_REPLY)
  t.same(r5.trace.map((e) => e.outcome), ['edit', 'edit'], 'both edits are still traced')
  const reverting = await createPipeline({
    plugins: [inline('to-b', () => edit([replaceText(0, 0, 1, 'b')])), inline('to-a', () => edit([replaceText(0, 0, 1, 'a')]))],
  })
  t.same((await reverting.run(c2cRequest({ text: 'a' }))).reply, OK_REPLY, 'a text changed and changed back is no change')
  const swapped = await createPipeline({
    plugins: [inline('swap', () => edit([removeElement(0), appendElement(textElement('a'))]))],
  })
  t.same((await swapped.run(c2cRequest({ body: [textElement('a'), textElement('b')] }))).reply.MsgBody, [textElement('b'), textElement('a')], 'same length, different order is a change')
  const handMade = await createPipeline({ plugins: [inline('hand', () => ({ type: 'allow' }))] })
  t.equal((await handMade.run(c2cRequest())).trace[0]?.outcome, 'allow', 'a hand-made allow without edits')
})

t.test('the first reject or drop ends the run', async (t) => {
  const ran: string[] = []
  const track = (name: string, v: () => unknown) => inline(name, () => (ran.push(name), v()))
  const p = await createPipeline({
    plugins: [
      track('editor', () => edit([appendElement(textElement('more'))])),
      track('rejecter', () => reject({ reason: 'bad word' })),
      track('never', () => allow()),
    ],
  })
  const r = await p.run(c2cRequest())
  t.same(ran, ['editor', 'rejecter'])
  t.equal(r.decision, 'reject')
  t.equal(r.decidedBy, 'rejecter')
  t.equal(r.changed, false)
  t.same(r.reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'bad word' }, 'no MsgBody with a reject')
  t.equal(r.body.length, 2, 'body as it stood when rejected')
  t.match(r.trace, [{ outcome: 'edit' }, { plugin: 'rejecter', outcome: 'reject', code: 1, reason: 'bad word' }])
  t.equal(r.trace.length, 2)

  ran.length = 0
  const d = await createPipeline({ plugins: [track('dropper', () => drop('spam')), track('never', () => allow())] })
  const rd = await d.run(groupRequest())
  t.same(ran, ['dropper'])
  t.same(rd.reply, { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' })
  t.equal(rd.decision, 'drop')
  t.equal(rd.decidedBy, 'dropper')
  t.same(rd.trace, [{ plugin: 'dropper', outcome: 'drop', reason: 'spam', durationMs: rd.trace[0]?.durationMs }])
  const plainDrop = await (await createPipeline({ plugins: [inline('d', () => drop())] })).run(c2cRequest())
  t.notOk('reason' in plainDrop.trace[0]!)
})

t.test('ErrorInfo: info, else reason, else the plugin name', async (t) => {
  const run = async (v: ReturnType<typeof reject>) => (await (await createPipeline({ plugins: [inline('judge', () => v)] })).run(c2cRequest())).reply.ErrorInfo
  t.equal(await run(reject({ code: 120001, info: 'Links are not allowed', reason: 'link' })), 'Links are not allowed')
  t.equal(await run(reject({ reason: 'link' })), 'link')
  t.equal(await run(reject()), 'rejected by judge')
})

t.test('reject codes per command', async (t) => {
  const C2C = 'C2C.CallbackBeforeSendMsg'
  const GROUP = 'Group.CallbackBeforeSendMsg'
  const OA = 'OfficialAccount.CallbackBeforeSendMsg'
  const cases: Array<[BeforeSendCommand, Parameters<typeof reject>[0], number, boolean]> = [
    // [command, reject options, ErrorCode, warned]
    [C2C, {}, 1, false],
    [C2C, { code: 1 }, 1, false],
    [C2C, { code: 120001 }, 120001, false],
    [C2C, { code: 130000, groupCode: 10100 }, 130000, false],
    [C2C, { groupCode: 10100 }, 1, false],
    [C2C, { code: 10100 }, 1, true],
    [C2C, { code: 130001 }, 1, true],
    [C2C, { code: 2 }, 1, true],
    [C2C, { code: 120001.5 }, 1, true],
    [GROUP, {}, 1, false],
    [GROUP, { groupCode: 10100 }, 10100, false],
    [GROUP, { groupCode: 10200, code: 120001 }, 10200, false],
    [GROUP, { code: 10150 }, 10150, false],
    [GROUP, { code: 120001 }, 1, false],
    [GROUP, { groupCode: 120001 }, 1, true],
    [GROUP, { groupCode: 10099 }, 1, true],
    // Official Accounts pass custom codes from the C2C range (Tencent's Official Account pages).
    [OA, { groupCode: 10200 }, 1, false],
    [OA, { code: 120001, groupCode: 10201 }, 120001, false],
    [OA, { code: 10100 }, 1, true],
    [OA, { code: 1 }, 1, false],
  ]
  for (const [command, options, code, warned] of cases) {
    const { logger, lines } = capturingLogger()
    const p = await createPipeline({ plugins: [inline('judge', () => reject(options))], logger })
    const r = await p.run(requestFor(command))
    const what = `${command} ${JSON.stringify(options)}`
    t.equal(r.reply.ErrorCode, code, what)
    t.equal(r.trace[0]?.code, code)
    const warnings = lines.filter((l) => l.level === 'warn')
    if (warned) {
      t.match(warnings, [{ bindings: { plugin: 'judge' }, obj: { plugin: 'judge', command }, msg: /^plugin "judge" rejected with code [\d.]+, which is outside the range Tencent allows for .*; answering 1 instead$/ }], `${what} warns`)
    } else {
      t.same(warnings, [], `${what} does not warn`)
    }
  }
})

t.test('a body emptied by edits is a drop', async (t) => {
  const ran: string[] = []
  const p = await createPipeline({
    plugins: [inline('emptier', (m) => edit([replaceText(m.texts[0]!.index, 0, m.texts[0]!.text.length, '')])), inline('never', () => void ran.push('never'))],
  })
  const r = await p.run(c2cRequest({ text: 'only text' }))
  t.equal(r.decision, 'drop')
  t.equal(r.decidedBy, 'emptier')
  t.same(r.reply, { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' })
  t.same(r.body, [])
  t.match(r.trace, [{ plugin: 'emptier', outcome: 'edit', changes: ['element 0: replaced [0, 9)', 'element 0: emptied, removed'] }])
  t.same(ran, [])
  const remover = await createPipeline({ plugins: [inline('remover', () => edit([removeElement(0)]))] })
  t.equal((await remover.run(c2cRequest())).decision, 'drop')
  const arrivedEmpty = await createPipeline({ plugins: [allowAll] })
  const r2 = await arrivedEmpty.run(c2cRequest({ body: [] }))
  t.equal(r2.decision, 'allow', 'a body that arrived empty is not a drop: no edit emptied it')
  t.same(r2.reply, OK_REPLY)
})

t.test('faults under the allow policy skip the plugin and are logged', async (t) => {
  const cases: Array<[string, (m: Message, ctx: CheckContext) => unknown, RegExp | string]> = [
    ['throws', () => {
      throw new Error('boom')
    }, 'threw: boom'],
    ['throws a string', () => {
      throw 'plain'
    }, 'threw: plain'],
    ['throws null', () => {
      throw null
    }, 'threw: null'],
    ['rejects', async () => Promise.reject(new Error('async boom')), 'threw: async boom'],
    ['returns undefined', () => undefined, 'returned undefined, which is not a verdict; return allow(), edit(), reject() or drop()'],
    ['returns null', () => null, /^returned null, which is not a verdict/],
    ['returns a string', () => 'allow', /^returned a string, which is not a verdict/],
    ['returns a number', async () => 0, /^returned a number, which is not a verdict/],
    ['returns an unknown type', () => ({ type: 'maybe' }), /^returned an object without a valid "type", which is not a verdict/],
    ['returns an invalid edit', () => edit([removeElement(5)]), 'returned an invalid edit: remove-element names element 5; the message has 1'],
    ['returns an edit that is not an edit', () => edit([{ op: 'shout' } as never]), /^returned an invalid edit: "shout" is not an edit/],
  ]
  for (const [what, check, error] of cases) {
    const { logger, lines } = capturingLogger()
    const after: string[] = []
    const p = await createPipeline({
      plugins: [inline('editor', () => edit([setCloudCustomData('kept')])), inline('faulty', check), inline('next', (m) => (after.push(m.cloudCustomData!), allow()))],
      logger,
    })
    const r = await p.run(c2cRequest())
    t.equal(r.decision, 'allow', `${what}: allowed`)
    t.equal(r.faults, 1)
    t.equal(r.decidedBy, undefined)
    t.same(after, ['kept'], `${what}: the next plugin still runs and sees the earlier edits`)
    t.equal(r.reply.CloudCustomData, 'kept', 'earlier edits survive a later fault')
    t.match(r.trace[1], { plugin: 'faulty', outcome: 'fault', error })
    t.match(lines, [{ level: 'error', bindings: { plugin: 'faulty' }, obj: { plugin: 'faulty', command: 'C2C.CallbackBeforeSendMsg', fault: error }, msg: /^plugin "faulty" faulted: / }], `${what}: logged with the plugin name`)
  }
})

t.test('faults past the time budget', async (t) => {
  const { logger, lines } = capturingLogger()
  let lateSignal: AbortSignal | undefined
  const p = await createPipeline({
    plugins: [
      [inline('slow-async', async () => {
        await sleep(300)
        return drop()
      }), {}, { timeoutMs: 20 }],
      [inline('slow-sync', (_m, ctx) => {
        busyWait(40)
        lateSignal = ctx.signal
        return drop()
      }), {}, { timeoutMs: 20 }],
      inline('after', () => allow()),
    ],
    logger,
  })
  const r = await p.run(c2cRequest())
  t.equal(r.decision, 'allow', 'neither late drop counts')
  t.equal(r.faults, 2)
  t.match(r.trace, [
    { plugin: 'slow-async', outcome: 'fault', error: 'timed out after 20 ms' },
    { plugin: 'slow-sync', outcome: 'fault', error: /^ran for \d+ ms, past its 20 ms budget$/ },
    { plugin: 'after', outcome: 'allow' },
  ])
  t.ok(lateSignal?.aborted, 'a signal read after the budget is spent is already aborted')
  t.match(lateSignal?.reason, { message: 'no time left' })
  t.equal(lines.filter((l) => l.level === 'error').length, 2)
  t.ok(r.trace[0]!.durationMs < 1500, 'the slow plugin did not hold the run anywhere near the deadline')
})

t.test('the AbortSignal aborts at the plugin budget', async (t) => {
  let signal: AbortSignal | undefined
  let heard = false
  const waiter = inline('waiter', async (_m, ctx) => {
    signal = ctx.signal
    t.equal(ctx.signal, signal, 'the same signal on every read')
    t.notOk(signal.aborted, 'not aborted while time remains')
    await new Promise((resolve) => signal!.addEventListener('abort', resolve, { once: true }))
    heard = true
    return allow()
  })
  // 200 ms, not 20: on a loaded machine the plugin may start more than 20 ms after the run does.
  const p = await createPipeline({ plugins: [[waiter, {}, { timeoutMs: 200 }]] })
  const r = await p.run(c2cRequest())
  t.ok(signal?.aborted)
  t.ok(heard, 'the plugin heard the abort')
  t.match(signal?.reason, { message: 'timed out after 200 ms' })
  t.match(r.trace, [{ plugin: 'waiter', outcome: 'fault', error: 'timed out after 200 ms' }], 'still a fault: the verdict came too late')

  let late: AbortSignal | undefined
  const lazy = inline('lazy', async (_m, ctx) => {
    await sleep(60)
    late = ctx.signal // first read after the budget ran out
    return allow()
  })
  await (await createPipeline({ plugins: [[lazy, {}, { timeoutMs: 20 }]] })).run(c2cRequest())
  await sleep(80)
  t.ok(late?.aborted, 'a signal first read after the budget is already aborted')

  const within = inline('within', async (_m, ctx) => {
    await sleep(1)
    return ctx.signal.aborted ? drop() : allow()
  })
  t.equal((await (await createPipeline({ plugins: [[within, {}, { timeoutMs: 1000 }]] })).run(c2cRequest())).decision, 'allow')
})

t.test('fault policy: per pipeline and per plugin', async (t) => {
  const boom = () => {
    throw new Error('boom')
  }
  const ran: string[] = []
  const next = inline('next', () => (ran.push('next'), allow()))
  const { logger, lines } = capturingLogger()
  const strict = await createPipeline({ plugins: [inline('faulty', boom), next], onFault: 'reject', logger })
  const r = await strict.run(groupRequest())
  t.equal(r.decision, 'reject')
  t.same(r.reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'presend: plugin faulty failed; message rejected by fault policy' })
  t.equal(r.decidedBy, 'faulty')
  t.equal(r.faults, 1)
  t.equal(r.changed, false)
  t.same(ran, [])
  t.match(lines.find((l) => l.level === 'warn'), {
    obj: { plugin: 'faulty', command: 'Group.CallbackBeforeSendMsg' },
    msg: 'rejecting the message: plugin "faulty" faulted and its fault policy is reject',
  })

  const lenient = await createPipeline({ plugins: [[inline('faulty', boom), {}, { onFault: 'allow' }], next], onFault: 'reject' })
  const r2 = await lenient.run(c2cRequest())
  t.equal(r2.decision, 'allow', 'a per-plugin allow overrides the pipeline reject')
  t.same(ran, ['next'])

  const picky = await createPipeline({ plugins: [{ plugin: inline('faulty', boom), onFault: 'reject' }, next] })
  const r3 = await picky.run(c2cRequest())
  t.equal(r3.decision, 'reject', 'a per-plugin reject overrides the pipeline allow')
  t.equal(r3.decidedBy, 'faulty')
})

t.test('plugins the deadline leaves no time for are skipped', async (t) => {
  const ran: string[] = []
  const { logger, lines } = capturingLogger()
  const p = await createPipeline({
    deadlineMs: 20,
    logger,
    plugins: [
      inline('hog', () => (busyWait(40), allow())),
      inline('skipped-1', () => (ran.push('skipped-1'), allow())),
      inline('skipped-2', () => (ran.push('skipped-2'), allow())),
    ],
  })
  const r = await p.run(c2cRequest())
  t.same(ran, [])
  t.equal(r.decision, 'allow', 'fail-open by default')
  t.equal(r.faults, 3, 'the hog faulted; each skipped plugin counts as a fault')
  t.match(r.trace, [
    { plugin: 'hog', outcome: 'fault' },
    { plugin: 'skipped-1', outcome: 'skipped', error: 'pipeline deadline of 20 ms reached before it ran', durationMs: 0 },
    { plugin: 'skipped-2', outcome: 'skipped' },
  ])
  t.match(lines.filter((l) => l.level === 'warn'), [
    { bindings: { plugin: 'skipped-1' }, msg: 'plugin "skipped-1" skipped: pipeline deadline reached' },
    { bindings: { plugin: 'skipped-2' } },
  ])

  const strict = await createPipeline({
    deadlineMs: 20,
    plugins: [inline('hog', () => (busyWait(40), allow())), inline('lenient', () => allow()), [inline('strict', () => allow()), {}, { onFault: 'reject' }], inline('last', () => allow())],
  })
  const r2 = await strict.run(c2cRequest())
  t.equal(r2.decision, 'reject', 'a skipped plugin with a reject policy rejects')
  t.equal(r2.decidedBy, 'strict')
  t.same(r2.trace.map((e) => e.outcome), ['fault', 'skipped', 'skipped'])
})

t.test('ctx fields per command', async (t) => {
  const seen: CheckContext[] = []
  const spy = inline('spy', (_m, ctx) => (seen.push(ctx), allow()))
  const { logger, lines } = capturingLogger()
  const p = await createPipeline({ plugins: [spy], logger })
  const meta = { sdkAppId: 1400000000, clientIp: '10.0.0.1', platform: 'iOS' }
  const c2c = c2cRequest({ from: 'alice', to: 'bob' })
  await p.run(c2c, meta)
  await p.run(groupRequest({ from: 'carol', groupId: '@TGS#_@TGS#cQVLVHIM62CJ', topicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic' }))
  await p.run(groupRequest({ groupId: 'g1' }))
  await p.run(officialAccountRequest({ from: 'editor', account: '@TOA#_news' }))
  await p.run(parseRequest({ CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg', Official_Account: '@TOA#_sports', MsgBody: [textElement('x')] }))
  await p.run(parseRequest({ CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg', MsgBody: [textElement('x')] }))
  const pick = (c: CheckContext) => ({ command: c.command, kind: c.kind, sdkAppId: c.sdkAppId, from: c.from, to: c.to, groupId: c.groupId, topicId: c.topicId, platform: c.platform, clientIp: c.clientIp })
  t.same(seen.map(pick), [
    { command: 'C2C.CallbackBeforeSendMsg', kind: 'c2c', sdkAppId: 1400000000, from: 'alice', to: 'bob', groupId: undefined, topicId: undefined, platform: 'iOS', clientIp: '10.0.0.1' },
    { command: 'Group.CallbackBeforeSendMsg', kind: 'group', sdkAppId: undefined, from: 'carol', to: undefined, groupId: '@TGS#_@TGS#cQVLVHIM62CJ', topicId: '@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic', platform: undefined, clientIp: undefined },
    { command: 'Group.CallbackBeforeSendMsg', kind: 'group', sdkAppId: undefined, from: 'jared', to: undefined, groupId: 'g1', topicId: undefined, platform: undefined, clientIp: undefined },
    { command: 'OfficialAccount.CallbackBeforeSendMsg', kind: 'official-account', sdkAppId: undefined, from: 'editor', to: undefined, groupId: undefined, topicId: undefined, platform: undefined, clientIp: undefined },
    { command: 'OfficialAccount.CallbackBeforeSendMsg', kind: 'official-account', sdkAppId: undefined, from: '@TOA#_sports', to: undefined, groupId: undefined, topicId: undefined, platform: undefined, clientIp: undefined },
    { command: 'OfficialAccount.CallbackBeforeSendMsg', kind: 'official-account', sdkAppId: undefined, from: undefined, to: undefined, groupId: undefined, topicId: undefined, platform: undefined, clientIp: undefined },
  ])
  t.equal(seen[0]?.request, c2c, 'ctx.request is the request as sent')
  seen[0]?.log.debug('from the plugin')
  t.match(lines, [{ level: 'debug', msg: undefined, obj: 'from the plugin', bindings: { plugin: 'spy' } }], 'ctx.log is bound to the plugin')
})

t.test('close(): last first, tolerant of a failing close, then runs are refused', async (t) => {
  const closed: string[] = []
  const { logger, lines } = capturingLogger()
  const p = await createPipeline({
    logger,
    plugins: [
      inline('a', () => allow(), () => void closed.push('a')),
      inline('b', () => allow(), async () => {
        closed.push('b')
        throw new Error('socket already closed')
      }),
      inline('no-close', () => allow()),
      inline('c', () => allow(), async () => {
        await sleep(1)
        closed.push('c')
      }),
    ],
  })
  t.equal((await p.run(c2cRequest())).decision, 'allow')
  await p.close()
  t.same(closed, ['c', 'b', 'a'])
  t.match(lines, [{ level: 'warn', obj: { plugin: 'b', err: { message: 'socket already closed' } }, msg: 'plugin "b" failed to close' }])
  await p.close()
  t.same(closed, ['c', 'b', 'a'], 'a second close() does nothing')
  const closedError = {
    name: 'PresendError',
    code: 'PRESEND_PIPELINE_CLOSED',
    message: 'This pipeline is closed; build a new one with createPipeline() to run messages.',
  }
  await t.rejects(p.run(c2cRequest()), closedError)
  t.throws(() => p.runNow(c2cRequest()), closedError, 'runNow throws at once')
})

t.test('runNow(): the result itself while every plugin answers synchronously, else a promise of the same result', async (t) => {
  const upper = inline('upper', (m) => edit([replaceText(0, 0, m.texts[0]!.text.length, m.texts[0]!.text.toUpperCase())]))
  const later = inline('later', async () => {
    await sleep(1)
    return allow()
  })
  const bang = inline('bang', (m) => edit([replaceText(0, m.texts[0]!.text.length, m.texts[0]!.text.length, '!')]))
  const request = c2cRequest({ text: 'hi' })

  const sync = await createPipeline({ plugins: [upper, bang] })
  const now = sync.runNow(request)
  t.notOk(now instanceof Promise, 'no promise when no plugin gave one')
  const viaRun = await sync.run(request)
  const timeless = (r: RunResult) => ({ ...r, trace: r.trace.map(({ durationMs: _, ...entry }) => entry) })
  t.same(timeless(now as RunResult), timeless(viaRun), 'the same result as run(), timings aside')
  t.match(viaRun.reply, { MsgBody: [{ MsgContent: { Text: 'HI!' } }] })

  // A promise from the second plugin: the third runs after it, on the message as the first two left it.
  const mixed = await createPipeline({ plugins: [upper, later, bang] })
  const pending = mixed.runNow(request)
  t.ok(pending instanceof Promise, 'a promise once a plugin answers with one')
  const result = await pending
  t.match(result.reply, { MsgBody: [{ MsgContent: { Text: 'HI!' } }] })
  t.same(result.trace.map((e) => `${e.plugin}:${e.outcome}`), ['upper:edit', 'later:allow', 'bang:edit'])

  // The same ends of a run after a promise as before one: a reject and a drop stop it there.
  for (const [verdict, decision] of [[reject({ reason: 'no' }), 'reject'], [drop('no'), 'drop']] as const) {
    const stops = await createPipeline({ plugins: [inline('stops', async () => verdict), bang] })
    const out = await stops.runNow(request)
    t.equal(out.decision, decision, `a ${decision} that came in a promise`)
    t.same(out.trace.map((e) => e.plugin), ['stops'], 'the plugins after it do not run')
  }
})

t.test('parseRequest', async (t) => {
  const r = parseRequest(JSON.parse(JSON.stringify(seedRequest())))
  t.same(r, seedRequest())
  t.throws(() => parseRequest({ ...seedRequest(), MsgBody: { Text: 'x' } }), {
    code: 'PRESEND_INVALID_REQUEST',
    statusCode: 400,
    message: 'Invalid callback body: MsgBody: expected an array of message elements.',
  })
  t.throws(() => parseRequest({ ...seedRequest(), MsgBody: 'red packet' }), { code: 'PRESEND_INVALID_REQUEST', message: /MsgBody: / })
  t.throws(() => parseRequest('not an object'), { code: 'PRESEND_INVALID_REQUEST' })
})
