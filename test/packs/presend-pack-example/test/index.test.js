// The pack's own tests, with presend/testing under node:test: `npm test` (node --test) needs no test framework.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPipeline } from 'presend'
import { testPlugin, c2cRequest, groupRequest, textElement, customElement } from 'presend/testing'
import pack, { noShouting, phoneMask } from '../index.js'

test('the default export lists both plugins, in order', () => {
  assert.deepEqual(
    pack.map((p) => p.name),
    ['no-shouting', 'phone-mask'],
  )
})

testPlugin(noShouting, {
  cases: [
    { name: 'normal text passes', text: 'Hello there, how are you?', expect: 'allow' },
    { name: 'short capitals pass', text: 'OK LOL', expect: 'allow' },
    { name: 'shouting is rejected', text: 'WHY WOULD YOU DO THAT', expect: { reject: 1, info: 'Please do not shout.' } },
    { name: 'Chinese never counts as shouting', text: '你好你好你好你好你好', expect: 'allow' },
    {
      name: 'across text elements',
      request: c2cRequest({ body: [textElement('STOP IT'), customElement({ Data: 'x' }), textElement('RIGHT NOW')] }),
      expect: { reject: 1 },
    },
  ],
})

testPlugin(noShouting, {
  options: { minLetters: 3, maxUpperRatio: 0.5, code: 120001, groupCode: 10100, info: 'Calm down' },
  cases: [
    { name: 'custom C2C code', text: 'HEY you', expect: { reject: 120001, info: 'Calm down' } },
    { name: 'custom group code', request: groupRequest({ text: 'HEY you' }), expect: { reject: 10100, info: 'Calm down' } },
    { name: 'below the ratio', text: 'Hey you', expect: 'allow' },
  ],
})

test('no-shouting refuses a reject code outside the C2C range', async () => {
  await assert.rejects(createPipeline({ plugins: [[noShouting, { code: 5 }]] }), { code: 'PRESEND_INVALID_OPTIONS' })
})

testPlugin(phoneMask, {
  cases: [
    { name: 'no number', text: 'call me maybe', expect: 'allow' },
    { name: 'international number', text: 'call +86 138 0013 8000 now', expect: { text: 'call +** *** **** **00 now' } },
    { name: 'dashed number', text: 'tel: 555-123-4567', expect: { text: 'tel: ***-***-**67' } },
    { name: 'short numbers and codes stay', text: 'order 12345, room 101', expect: 'allow' },
    { name: 'digits inside words stay', text: 'abc1234567def', expect: 'allow' },
    { name: 'two numbers', text: '13800138000 or 13900139000', expect: { text: '*********00 or *********00' } },
  ],
})

testPlugin(phoneMask, {
  options: { keepLast: 0, mask: '#' },
  cases: [{ name: 'custom mask', text: '13800138000', expect: { text: '###########' } }],
})
