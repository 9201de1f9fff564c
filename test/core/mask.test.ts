// maskSpan, the masking the profanity and contacts plugins share: grapheme widening and the mask's length.
import t from 'tap'
import { maskSpan } from '../../core/mask.js'

t.test('maskSpan widens to graphemes and counts them', async (t) => {
  t.same(maskSpan('f.u.c.k!', 0, 7, '*'), { start: 0, end: 7, text: '*******' })
  t.same(maskSpan('ab👍🏽c', 2, 4, '#'), { start: 2, end: 6, text: '#' })
  t.same(maskSpan('f\u200bu\u00adck', 0, 6, '*'), { start: 0, end: 6, text: '****' }, 'invisible characters get no mask of their own')
  t.same(maskSpan('fu\u00adck!', 0, 5, '*'), { start: 0, end: 5, text: '****' }, 'a soft hyphen in plain Latin gets no mask')
  t.same(maskSpan('ok\r\nfuck', 2, 8, '*'), { start: 2, end: 8, text: '*****' }, 'CRLF is one character')
})
