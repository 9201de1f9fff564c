import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { c2cRequest, friendAddRequest, groupRequest } from '../../../core/requests.js'
import { createMessage } from '../../../core/message.js'
import { builtinPlugins } from '../../../plugins/index.js'
import duplicates, { duplicatesOptions, normaliseText } from '../../../plugins/duplicates/index.js'

async function pipelineOf(options: unknown) {
  const pipeline = await createPipeline({ plugins: [[duplicates, options]] })
  t.teardown(() => pipeline.close())
  return pipeline
}

t.test('is built in; normalising ignores width, case and runs of spaces', async (t) => {
  t.equal(builtinPlugins.duplicates, duplicates)
  t.match(duplicatesOptions.parse({}), { maxRepeats: 3, maxTargets: 5, windowMs: 60_000, minLength: 6, action: 'reject' })
  const text = (s: string) => normaliseText(createMessage([{ MsgType: 'TIMTextElem', MsgContent: { Text: s } }]))
  t.equal(text('  Ｂｕｙ   CHEAP\tcoins '), text('buy cheap coins'))
})

t.test('the same text from one sender more than maxRepeats times is refused', async (t) => {
  const p = await pipelineOf({ maxRepeats: 2 })
  const send = (text: string, from = 'alice') => p.run(c2cRequest({ text, from, to: 'bob' }))
  t.equal((await send('buy cheap coins')).decision, 'allow')
  t.equal((await send('BUY  cheap coins')).decision, 'allow', 'the second, written differently')
  t.match(await send('buy cheap coins'), { decision: 'reject', reply: { ErrorInfo: 'Please do not send the same message again and again' }, trace: [{ reason: 'sent more than 2 times in 60000 ms' }] })
  t.equal((await send('buy cheap coins', 'carol')).decision, 'allow', 'another sender')
  for (let i = 0; i < 4; i++) t.equal((await send('ok')).decision, 'allow', 'short texts are not counted')
})

t.test('the same text into more than maxTargets groups or peers is broadcast spam', async (t) => {
  const p = await pipelineOf({ maxTargets: 2, maxRepeats: 100, action: 'drop' })
  const into = (groupId: string) => p.run(groupRequest({ text: 'join my channel now', from: 'spammer', groupId }))
  t.equal((await into('g1')).decision, 'allow')
  t.equal((await into('g1')).decision, 'allow', 'the same group again is one target')
  t.equal((await into('g2')).decision, 'allow')
  t.match(await into('g3'), { decision: 'drop', trace: [{ reason: 'sent into more than 2 groups or peers in 60000 ms' }] })
  const greet = (to: string) => p.run(friendAddRequest({ text: 'add me for free coins', from: 'spammer', to }))
  t.equal((await greet('a')).decision, 'allow')
  t.equal((await greet('b')).decision, 'allow')
  t.equal((await greet('c')).decision, 'reject', 'one greeting to many people: refused (a friend request cannot be dropped)')
  const off = await pipelineOf({ maxTargets: 0, maxRepeats: 100 })
  for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7']) t.equal((await off.run(groupRequest({ text: 'hello everyone', from: 'x', groupId: g }))).decision, 'allow', `maxTargets 0 counts no targets (${g})`)
  t.equal((await off.run(c2cRequest({ text: 'hello everyone', extra: { From_Account: undefined } }))).decision, 'allow', 'no sender: nothing to count')
})
