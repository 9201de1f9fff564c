import t from 'tap'
import { hasLatin } from '../../../core/text/normalizers/leet.js'

const LATIN = /^\p{Script=Latin}$/u

t.test('hasLatin reads a BMP character from the class table with the answer of the Script=Latin regex', async (t) => {
  let wrong = 0
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue
    const ch = String.fromCharCode(c)
    // Twice: the first read fills the table, the second reads it.
    if (hasLatin(`5${ch}`, 1, 2) !== LATIN.test(ch) || hasLatin(`${ch}5`, 0, 1) !== LATIN.test(ch)) wrong++
  }
  t.equal(wrong, 0)
  t.ok(hasLatin('中文5点a', 0, 5), 'an ASCII letter after Chinese characters')
  t.notOk(hasLatin('中文5点a', 0, 4), 'only inside [s, e)')
})

t.test('hasLatin reads astral characters and lone surrogates with the regex', async (t) => {
  t.ok(hasLatin('5\u{10780}', 0, 3), 'U+10780, Latin Extended-F')
  t.notOk(hasLatin('5\u{1D400}', 0, 3), 'U+1D400, a mathematical letter, is in the Common script')
  t.notOk(hasLatin('\ud800\udc005', 0, 3), 'U+10000, Linear B')
  t.notOk(hasLatin('\udc00\ud800', 0, 2), 'two lone surrogates')
  t.ok(hasLatin('\ud800x', 0, 2), 'a lone surrogate, then a letter')
})
