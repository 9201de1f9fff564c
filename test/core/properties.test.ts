// Property tests (fast-check, seeded): whatever the body and whatever valid verdicts random plugins return,
// the pipeline answers with a valid reply, keeps non-text elements intact, changes the reply only when the
// message changed, never splits a character and never mutates its input.
import t from 'tap'
import fc from 'fast-check'
import { createPipeline, type PluginEntry } from '../../core/pipeline/index.js'
import { parseRequest, type BeforeSendRequest } from '../../core/protocol/index.js'
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
  type Edit,
  type Message,
} from '../../core/plugin.js'
import { BEFORE_SEND_COMMANDS, callbackReplySchema, REJECT_CODE_RANGES, type MsgElement } from '../../core/protocol/index.js'
import { deepFreeze, requestFor } from '../../core/testing/index.js'
import { z } from 'zod'

const SEED = 20261127
const RUNS = 300

// Texts rich in multi-unit graphemes, so random offsets land inside surrogate pairs and emoji sequences.
const tricky = ['a', 'B', ' ', '.', '😀', '👨‍👩‍👧', '🇯🇵', '👍🏽', 'e\u0301', '中文', 'ｶﾀ', '\u200d', 'ß']
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.array(fc.constantFrom(...tricky), { maxLength: 8 }).map((parts) => parts.join('')),
)
const str = fc.string({ maxLength: 6 })
const num = fc.integer({ min: -1000, max: 100000 })
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const textEl: fc.Arbitrary<MsgElement> = fc.oneof(
  text.map(textElement),
  fc.record({ MsgType: fc.constant('TIMTextElem'), MsgContent: fc.record({ Text: text, Lang: str }), Extra: fc.jsonValue({ maxDepth: 1 }) }),
)
const content = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) => fc.record(shape, { requiredKeys: [] })
const nonTextEl: fc.Arbitrary<MsgElement> = fc.oneof(
  fc.record({ MsgType: fc.constant('TIMLocationElem'), MsgContent: content({ Desc: str, Latitude: fc.double({ noNaN: true, noDefaultInfinity: true }), Longitude: fc.double({ noNaN: true, noDefaultInfinity: true }) }) }),
  fc.record({ MsgType: fc.constant('TIMFaceElem'), MsgContent: content({ Index: num, Data: str }) }),
  fc.record({ MsgType: fc.constant('TIMCustomElem'), MsgContent: content({ Data: str, Desc: str, Ext: str, Sound: str }) }),
  fc.record({ MsgType: fc.constant('TIMSoundElem'), MsgContent: content({ Url: str, UUID: str, Size: num, Second: num, Download_Flag: fc.constant(2) }) }),
  fc.record({
    MsgType: fc.constant('TIMImageElem'),
    MsgContent: content({ UUID: str, ImageFormat: fc.constantFrom(1, 2, 3, 4, 255), ImageInfoArray: fc.array(content({ Type: fc.constantFrom(1, 2, 3), Size: num, Width: num, Height: num, URL: str }), { maxLength: 3 }) }),
  }),
  fc.record({ MsgType: fc.constant('TIMFileElem'), MsgContent: content({ Url: str, UUID: str, FileSize: num, FileName: str, Download_Flag: fc.constant(2) }) }),
  fc.record({
    MsgType: fc.constant('TIMVideoFileElem'),
    MsgContent: content({ VideoUrl: str, VideoUUID: str, VideoSize: num, VideoSecond: num, VideoFormat: str, ThumbUrl: str, ThumbWidth: num, ThumbHeight: num, NewField: fc.jsonValue({ maxDepth: 1 }) }),
  }),
  fc.record({
    MsgType: fc.constant('TIMRelayElem'),
    MsgContent: content({ Title: str, MsgNum: num, CompatibleText: str, AbstractList: fc.array(str, { maxLength: 3 }), MsgList: fc.array(fc.record({ From_Account: str, MsgBody: fc.array(text.map(textElement), { maxLength: 2 }) }), { maxLength: 2 }), JsonMsgKey: str }),
  }),
  // Types Tencent has not documented (or added later), with content of any shape.
  fc.record(
    { MsgType: fc.constantFrom('TIMStreamElem', 'TIMGroupTipElem', 'TIMFutureElem'), MsgContent: fc.jsonValue({ maxDepth: 2 }), Unknown: fc.jsonValue({ maxDepth: 1 }) },
    { requiredKeys: ['MsgType'] },
  ),
)
const element = fc.oneof(textEl, nonTextEl)

/** One thing a plugin does, with numbers it maps onto whatever message it is given. */
const step = fc.record({ op: fc.nat(4), a: fc.nat(), b: fc.nat(), c: fc.nat(), text, el: element })
const anyCode = opt(fc.oneof(fc.constant(1), fc.integer({ min: 120001, max: 130000 }), fc.integer({ min: 10100, max: 10200 }), fc.integer({ min: -5, max: 200000 })))
const script = fc.record({
  kind: fc.constantFrom('allow', 'edit', 'edit', 'edit', 'async-edit', 'reject', 'drop', 'throw', 'garbage'),
  steps: fc.array(step, { maxLength: 4 }),
  code: anyCode,
  groupCode: anyCode,
  onFault: opt(fc.constantFrom('allow' as const, 'reject' as const)),
})
type Script = typeof script extends fc.Arbitrary<infer S> ? S : never

const scenario = fc.record({
  command: fc.constantFrom(...BEFORE_SEND_COMMANDS),
  body: fc.array(element, { maxLength: 6 }),
  cloudCustomData: opt(str),
  scripts: fc.array(script, { maxLength: 4 }),
  onFault: fc.constantFrom('allow' as const, 'reject' as const),
})

/** Edits valid for `message`, derived from the script's numbers. Records the elements it removes. */
function editsFor(message: Message, steps: Script['steps'], removed: Set<unknown>): Edit[] {
  const edits: Edit[] = []
  for (const s of steps) {
    const n = message.body.length
    if (s.op === 0 && message.texts.length > 0) {
      const part = message.texts[s.a % message.texts.length]!
      const start = s.b % (part.text.length + 1)
      const end = start + (s.c % (part.text.length - start + 1))
      edits.push(replaceText(part.index, start, end, s.text))
    } else if (s.op === 1 && n > 0) {
      const i = s.a % n
      removed.add(message.body[i])
      edits.push(removeElement(i))
    } else if (s.op === 2) {
      edits.push(insertElement(s.a % (n + 1), s.el))
    } else if (s.op === 3) {
      edits.push(appendElement(s.el))
    } else if (s.op === 4) {
      edits.push(setCloudCustomData(s.text))
    }
  }
  return edits
}

function pluginFor(s: Script, i: number, removed: Set<unknown>): PluginEntry {
  const plugin = definePlugin({
    name: `p${i}`,
    options: z.object({}),
    create: () => ({
      check(message: Message) {
        switch (s.kind) {
          case 'allow':
            return allow()
          case 'edit':
            return edit(editsFor(message, s.steps, removed))
          case 'async-edit':
            return Promise.resolve(edit(editsFor(message, s.steps, removed)))
          case 'reject':
            return reject({ code: s.code, groupCode: s.groupCode })
          case 'drop':
            return drop()
          case 'throw':
            throw new Error('random fault')
          default:
            return { type: 'garbage' } as never
        }
      },
    }),
  })
  return [plugin, {}, s.onFault === undefined ? {} : { onFault: s.onFault }]
}

const isText = (e: MsgElement) => e.MsgType === 'TIMTextElem'
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

t.test('any pipeline output is a valid reply that keeps what it must keep', async (t) => {
  let runs = 0
  const decisions = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(scenario, async ({ command, body, cloudCustomData, scripts, onFault }) => {
      const request = parseRequest(requestFor(command, { body, cloudCustomData })) as BeforeSendRequest
      const pristine = structuredClone(request)
      deepFreeze(request)
      const removed = new Set<unknown>()
      const pipeline = await createPipeline({ plugins: scripts.map((s, i) => pluginFor(s, i, removed)), onFault })
      const result = await pipeline.run(request)
      await pipeline.close()
      runs++
      decisions.set(result.decision, (decisions.get(result.decision) ?? 0) + 1)
      const { reply } = result

      // A valid reply, with a code Tencent understands for this command.
      if (!callbackReplySchema.safeParse(reply).success) throw new Error(`invalid reply ${JSON.stringify(reply)}`)
      const range = REJECT_CODE_RANGES[command]
      const code = reply.ErrorCode
      if (!(code === 0 || code === 1 || code === 2 || (code >= range.min && code <= range.max))) throw new Error(`ErrorCode ${code} for ${command}`)
      const expectedCode = { allow: [0], drop: [2], reject: [1, range.min, range.max] }[result.decision]
      if (result.decision === 'reject' ? code === 0 || code === 2 : !expectedCode.includes(code)) throw new Error(`ErrorCode ${code} for ${result.decision}`)

      // The input is untouched (it is also frozen, so a write would have thrown).
      t.same(request, pristine)

      // Non-text elements of the original keep their order and every field, unless a plugin removed them.
      const kept = pristine.MsgBody.map((e, i) => [request.MsgBody[i]!, e] as const).filter(([live]) => !isText(live) && !removed.has(live))
      const originals = new Set(request.MsgBody)
      const survivors = result.body.filter((e) => originals.has(e) && !isText(e))
      if (survivors.length !== kept.length || survivors.some((e, i) => e !== kept[i]![0])) throw new Error('non-text elements lost or reordered')
      for (const [live, copy] of kept) if (JSON.stringify(live) !== JSON.stringify(copy)) throw new Error('a non-text element changed')

      // MsgBody / CloudCustomData in the reply exactly when they changed.
      const bodyChanged = JSON.stringify(result.body) !== JSON.stringify(pristine.MsgBody)
      if ('MsgBody' in reply !== (result.decision === 'allow' && bodyChanged)) throw new Error(`MsgBody present: ${'MsgBody' in reply}, body changed: ${bodyChanged}`)
      if ('MsgBody' in reply && JSON.stringify(reply.MsgBody) !== JSON.stringify(result.body)) throw new Error('MsgBody is not the result body')
      const cddChanged = result.cloudCustomData !== pristine.CloudCustomData
      if ('CloudCustomData' in reply !== (result.decision === 'allow' && cddChanged)) throw new Error('CloudCustomData present iff changed')
      if (result.changed !== ('MsgBody' in reply || 'CloudCustomData' in reply)) throw new Error('changed flag disagrees with the reply')

      // A body emptied by edits is a drop; no text is ever split inside a character.
      if (result.decision === 'allow' && result.body.length === 0 && pristine.MsgBody.length > 0) throw new Error('allowed an emptied body')
      for (const e of result.body) {
        const txt = (e.MsgContent as { Text?: unknown } | undefined)?.Text
        if (isText(e) && typeof txt === 'string' && loneSurrogate.test(txt)) throw new Error(`lone surrogate in ${JSON.stringify(txt)}`)
      }
      if (result.trace.length > scripts.length) throw new Error('more trace entries than plugins')
    }),
    { seed: SEED, numRuns: RUNS },
  )
  t.equal(runs >= RUNS, true, `ran ${runs} scenarios`)
  for (const d of ['allow', 'reject', 'drop']) t.ok((decisions.get(d) ?? 0) > 0, `some scenarios end in ${d}`)
})

t.test('spans at random offsets never split a grapheme cluster', async (t) => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...tricky), { minLength: 1, maxLength: 10 }).map((p) => p.join('')),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
      async (original, spans) => {
        const pipeline = await createPipeline({
          plugins: [
            definePlugin({
              name: 'marker',
              options: z.object({}),
              create: () => ({
                check: () =>
                  edit(
                    spans.map(([a, b]) => {
                      const start = a % (original.length + 1)
                      return replaceText(0, start, start + (b % (original.length - start + 1)), '|')
                    }),
                  ),
              }),
            }),
          ],
        })
        const result = await pipeline.run(deepFreeze(requestFor('C2C.CallbackBeforeSendMsg', { text: original })))
        const out = result.body.map((e) => (e.MsgContent as { Text: string }).Text).join('')
        // Every cluster of the original that survives is whole: removing the markers leaves only whole clusters.
        const clusters = new Set([...segmenter.segment(original)].map((s) => s.segment))
        for (const piece of out.split('|')) {
          for (const s of segmenter.segment(piece)) {
            if (!clusters.has(s.segment)) throw new Error(`"${s.segment}" from ${JSON.stringify(out)} is not a cluster of ${JSON.stringify(original)}`)
          }
        }
      },
    ),
    { seed: SEED, numRuns: RUNS },
  )
  t.pass('no cluster was split')
})
