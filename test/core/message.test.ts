// The read-only message view plugins check, and the logger helpers it is handed with.
import t from 'tap'
import { createMessage, elementText } from '../../core/message.js'
import { customElement, textElement } from '../../core/plugin.js'
import { childLogger, silentLogger } from '../../core/logger.js'
import { deepFreeze } from '../../core/testing/index.js'

t.test('createMessage: body, CloudCustomData and the text parts with their indices', async (t) => {
  const body = deepFreeze([
    textElement('first'),
    customElement({ Data: 'd' }),
    { MsgType: 'TIMTextElem', MsgContent: { Text: 42 } },
    { MsgType: 'TIMFutureElem' },
    textElement(''),
    textElement('last'),
  ])
  const m = createMessage(body, 'cdd')
  t.equal(m.body, body)
  t.equal(m.cloudCustomData, 'cdd')
  t.same(m.texts, [
    { index: 0, text: 'first' },
    { index: 4, text: '' },
    { index: 5, text: 'last' },
  ])
  t.equal(m.texts, m.texts, 'computed once and kept')
  t.equal(createMessage([]).cloudCustomData, undefined)
  t.same(createMessage([]).texts, [])
})

t.test('elementText', async (t) => {
  t.equal(elementText(textElement('hi')), 'hi')
  t.equal(elementText(textElement('')), '')
  t.equal(elementText(customElement({ Data: 'hi' })), undefined, 'not a text element')
  t.equal(elementText({ MsgType: 'TIMTextElem' }), undefined, 'no MsgContent')
  t.equal(elementText({ MsgType: 'TIMTextElem', MsgContent: null }), undefined, 'null MsgContent')
  t.equal(elementText({ MsgType: 'TIMTextElem', MsgContent: { Text: ['hi'] } }), undefined, 'Text is not a string')
})

t.test('silentLogger and childLogger', async (t) => {
  t.ok(Object.isFrozen(silentLogger))
  for (const level of ['debug', 'info', 'warn', 'error'] as const) t.equal(silentLogger[level]({ a: 1 }, 'msg'), undefined)
  t.equal(childLogger(silentLogger, { plugin: 'x' }), silentLogger, 'no child(): the logger itself')
  const bound: unknown[] = []
  const parent = { ...silentLogger, child: (b: Record<string, unknown>) => (bound.push(b), silentLogger) }
  t.equal(childLogger(parent, { plugin: 'x' }), silentLogger)
  t.same(bound, [{ plugin: 'x' }])
})
