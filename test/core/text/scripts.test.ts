import t from 'tap'
import { codePointAt, codePointBefore, isLetterOrNumber, isNoSpace, isWordChar, pairAt } from '../../../core/text/scripts.js'

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

t.test('astral characters are classified the same before and after their answer is cached, and past the cache bound', async (t) => {
  // 𠀀 (U+20000, CJK Extension B) is a letter in a no-space script; 😀 is neither; 𝐀 (U+1D400) is a letter.
  for (let round = 0; round < 2; round++) {
    t.ok(isLetterOrNumber('𠀀') && isNoSpace('𠀀') && !isWordChar('𠀀'), `CJK Extension B, round ${round}`)
    t.ok(!isLetterOrNumber('😀') && !isNoSpace('😀'), `emoji, round ${round}`)
    t.ok(isWordChar('𝐀') && !isNoSpace('𝐀'), `mathematical bold A, round ${round}`)
  }
  // Fill the cache well past its bound (4096 entries) with Extension B ideographs, then ask about new ones.
  let letters = 0
  for (let cp = 0x20001; cp < 0x20001 + 5000; cp++) if (isLetterOrNumber(String.fromCodePoint(cp))) letters++
  t.equal(letters, 5000, 'every Extension B ideograph is a letter')
  t.ok(isLetterOrNumber('\u{2a700}') && isNoSpace('\u{2a700}'), 'an uncached one (Extension C) past the bound')
  t.ok(!isLetterOrNumber('🎉'), 'an uncached emoji past the bound')
})
