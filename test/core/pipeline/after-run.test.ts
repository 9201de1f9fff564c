// The after-run hook: every plugin with afterRun is told each run's outcome, after the reply is decided.
import t from 'tap'
import { z } from 'zod'
import { createPipeline } from '../../../core/pipeline/index.js'
import { allow, definePlugin, drop, edit, reject, replaceText, type RunFacts, type RunOutcome } from '../../../core/plugin.js'
import { c2cRequest, friendAddRequest, groupRequest } from '../../../core/requests.js'
import { createMemoryStore } from '../../../core/store/index.js'
import { capturingLogger, inline, sleep } from '../fixtures/helpers.js'

const masker = inline('masker', (m) => edit(m.texts.filter((p) => p.text.includes('bad')).map((p) => replaceText(p.index, 0, 3, '***'))))
const refuser = inline('refuser', (m) => (m.slots.some((s) => s.text.includes('no')) ? reject({ reason: 'no' }) : allow()))
const dropper = inline('dropper', (m) => (m.texts.some((p) => p.text.includes('drop')) ? drop() : allow()))
const thrower = inline('thrower', (m) => {
  if (m.texts.some((p) => p.text.includes('throw'))) throw new Error('boom')
  return allow()
})
const later = inline('later', async () => allow())

function watcher(name: string, seen: Array<{ outcome: RunOutcome; facts: RunFacts }>, after?: (o: RunOutcome) => void | Promise<void>) {
  return definePlugin({
    name,
    options: z.object({}),
    create: () => ({
      check: () => allow(),
      afterRun(outcome, facts) {
        seen.push({ outcome, facts })
        return after?.(outcome)
      },
    }),
  })
}

t.test('each run tells afterRun who refused, edited and faulted', async (t) => {
  const seen: Array<{ outcome: RunOutcome; facts: RunFacts }> = []
  const p = await createPipeline({ plugins: [watcher('watch', seen), thrower, masker, refuser, dropper] })
  await p.run(c2cRequest({ text: 'bad word', from: 'alice' }))
  await p.run(groupRequest({ text: 'bad no', from: 'bob', groupId: 'g1' }))
  await p.run(c2cRequest({ text: 'drop throw', from: 'carol' }))
  t.same(seen.map((s) => s.outcome), [
    { decision: 'allow', decidedBy: undefined, refusedBy: [], editedBy: ['masker'], faultedBy: [] },
    { decision: 'reject', decidedBy: 'refuser', refusedBy: ['refuser'], editedBy: ['masker'], faultedBy: [] },
    { decision: 'drop', decidedBy: 'dropper', refusedBy: ['dropper'], editedBy: [], faultedBy: ['thrower'] },
  ])
  t.same(seen.map((s) => [s.facts.from, s.facts.groupId, s.facts.kind]), [['alice', undefined, 'c2c'], ['bob', 'g1', 'group'], ['carol', undefined, 'c2c']])
  await p.close()
})

t.test('an asynchronous run is told too, and a friend request once per friend', async (t) => {
  const seen: Array<{ outcome: RunOutcome; facts: RunFacts }> = []
  const p = await createPipeline({ plugins: [later, refuser, watcher('watch', seen)] })
  await p.run(c2cRequest({ text: 'fine' }))
  const friends = friendAddRequest({ text: 'no thanks', from: 'dave' })
  ;(friends as unknown as { FriendItem: Array<Record<string, unknown>> }).FriendItem.push({ To_Account: 'id2', AddWording: 'no' })
  await p.run(friends)
  t.same(seen.map((s) => [s.outcome.decision, s.facts.to]), [['allow', 'Jonh'], ['reject', 'id1'], ['reject', 'id2']])
})

t.test('a throwing or rejecting afterRun is logged; the reply is not waited for it', async (t) => {
  const { logger, lines } = capturingLogger()
  let resolved = false
  const p = await createPipeline({
    logger,
    plugins: [
      watcher('throws', [], () => {
        throw new Error('sync boom')
      }),
      watcher('rejects', [], async () => {
        await sleep(30)
        resolved = true
        // A rejection with no Error is logged as it is.
        return Promise.reject('async boom')
      }),
    ],
  })
  const result = await p.run(c2cRequest())
  t.equal(result.decision, 'allow')
  t.notOk(resolved, 'the run did not wait for afterRun')
  await sleep(60)
  t.match(lines.filter((l) => l.level === 'warn').map((l) => l.msg), [/"throws" afterRun failed: sync boom/, /"rejects" afterRun failed: async boom/])
})

t.test('plugins get a namespaced store: the pipeline\'s own by default, or one shared across pipelines', async (t) => {
  const counter = definePlugin({
    name: 'counter',
    options: z.object({}),
    create: (_o, { store }) => ({ check: (_m, ctx) => (Number(store.hit(ctx.from ?? '', 60_000)) > 1 ? reject() : allow()) }),
  })
  const shared = createMemoryStore()
  const a = await createPipeline({ plugins: [counter], store: shared })
  const b = await createPipeline({ plugins: [counter], store: shared })
  t.equal((await a.run(c2cRequest({ from: 'x' }))).decision, 'allow')
  t.equal((await b.run(c2cRequest({ from: 'x' }))).decision, 'reject', 'the second pipeline sees the first one\'s count')
  await a.close()
  t.equal((await b.run(c2cRequest({ from: 'x' }))).decision, 'reject', 'closing a pipeline leaves a shared store alone')
  const own = await createPipeline({ plugins: [counter] })
  t.equal((await own.run(c2cRequest({ from: 'x' }))).decision, 'allow', 'a pipeline of its own has a store of its own')
  await own.close()
})
