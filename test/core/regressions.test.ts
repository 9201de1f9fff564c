// Regression tests, each named after the core bug it pins (found while writing the core suite).
import t from 'tap'
import { createPipeline, type PipelineOptions } from '../../core/pipeline/index.js'
import { allow, edit, insertElement, reject, removeElement, replaceText, textElement } from '../../core/plugin.js'
import { c2cRejectCode, groupRejectCode } from '../../core/protocol/index.js'
import { applyEdits } from '../../core/edits.js'
import { c2cRequest, deepFreeze, groupRequest, testPlugin } from '../../core/testing/index.js'
import { busyWait, capturingLogger, inline } from './fixtures/helpers.js'

t.test('close() with two or more plugins no longer throws on the frozen stage list', async (t) => {
  const closed: string[] = []
  const p = await createPipeline({ plugins: [inline('a', () => allow(), () => void closed.push('a')), inline('b', () => allow(), () => void closed.push('b'))] })
  await t.resolves(p.close())
  t.same(closed, ['b', 'a'])
})

t.test('an insertion inside an emoji no longer replaces the emoji', async (t) => {
  const r = applyEdits(deepFreeze([textElement('a😀b')]), undefined, [replaceText(0, 2, 2, 'X')])
  t.same(r.body, [textElement('aX😀b')])
})

t.test('ctx.signal read after the budget ran out is aborted', async (t) => {
  let signal: AbortSignal | undefined
  const p = await createPipeline({ plugins: [[inline('late', (_m, ctx) => (busyWait(30), (signal = ctx.signal), allow())), {}, { timeoutMs: 10 }]] })
  await p.run(c2cRequest())
  t.equal(signal?.aborted, true)
})

t.test('a body that arrived empty is not turned into a drop', async (t) => {
  const p = await createPipeline({ plugins: [inline('ok', () => allow())] })
  t.equal((await p.run(c2cRequest({ body: [] }))).decision, 'allow')
})

t.test('edits that cancel out leave no MsgBody in the reply', async (t) => {
  const p = await createPipeline({ plugins: [inline('add', () => edit([insertElement(0, textElement('x'))])), inline('undo', () => edit([removeElement(0)]))] })
  const r = await p.run(c2cRequest())
  t.equal(r.changed, false)
  t.notOk('MsgBody' in r.reply)
})

t.test('a C2C-range code on a group message means 1 without a warning per message', async (t) => {
  const { logger, lines } = capturingLogger()
  const p = await createPipeline({ plugins: [inline('judge', () => reject({ code: 120001 }))], logger })
  t.equal((await p.run(groupRequest())).reply.ErrorCode, 1)
  t.same(lines, [])
})

t.test('createPipeline(undefined) is a PresendError, not a TypeError', async (t) => {
  await t.rejects(createPipeline(undefined as unknown as PipelineOptions), { code: 'PRESEND_INVALID_PIPELINE_OPTIONS' })
})

t.test('reject code option errors say which codes are allowed', async (t) => {
  t.equal(c2cRejectCode.safeParse(2).error?.issues[0]?.message, 'expected 1 or a C2C custom reject code from 120001 to 130000')
  t.equal(groupRejectCode.safeParse(10201).error?.issues[0]?.message, 'expected 1 or a group custom reject code from 10100 to 10200')
})

t.test("tap's t is a TestLike for testPlugin (this file type-checks)", async (t) => {
  testPlugin(t, inline('ok', () => allow()), { cases: [{ name: 'allowed', text: 'hi', expect: 'allow' }] })
})

t.test('deepFreeze walks into shallow-frozen objects', async (t) => {
  const inner = { n: 1 }
  deepFreeze(Object.freeze({ inner }))
  t.ok(Object.isFrozen(inner))
})

t.test('a plugin still running after its budget keeps its own ctx, not the next plugin\'s', async (t) => {
  let late: { signal: AbortSignal; log: unknown } | undefined
  let nextLog: unknown
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const slowLog = capturingLogger()
  const p = await createPipeline({
    logger: slowLog.logger,
    plugins: [
      [
        inline('slow', async (_m, ctx) => {
          await gate
          late = { signal: ctx.signal, log: ctx.log }
          return allow()
        }),
        {},
        { timeoutMs: 10 },
      ],
      inline('next', (_m, ctx) => ((nextLog = ctx.log), allow())),
    ],
  })
  const r = await p.run(c2cRequest())
  t.same(r.trace.map((e) => e.outcome), ['fault', 'allow'])
  release()
  await new Promise((r) => setTimeout(r, 5))
  t.equal(late?.signal.aborted, true, 'the overrun plugin sees its own, aborted signal')
  t.not(late?.log, nextLog, 'and its own logger, not the next plugin\'s')
})
