import t from 'tap'
import { codePointAt, codePointBefore, pairAt } from '../../../core/text/scripts.js'

t.test('a surrogate pair is one code point; a lone surrogate is one of its own, on either side', async (t) => {
  const text = 'a😀\ud800b\udc00c'
  t.ok(pairAt(text, 1))
  t.notOk(pairAt(text, 2), 'the low half does not start a pair')
  t.notOk(pairAt(text, 3), 'a high surrogate followed by a letter')
  t.notOk(pairAt('\ud800', 0), 'a high surrogate at the end')
  t.equal(codePointAt(text, 1), '😀')
  t.equal(codePointAt(text, 3), '\ud800')
  t.equal(codePointBefore(text, 3), '😀')
  t.equal(codePointBefore(text, 6), '\udc00', 'a low surrogate after a letter')
})
