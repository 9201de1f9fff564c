// The false-positive figure in plugins/contacts/README.md: the everyday corpus (fixtures/everyday.txt,
// 600 chat lines full of prices, dates, times, order numbers and versions, made by make-everyday.mjs)
// read by the default detector. The only lines flagged are random 16-digit references that happen to have
// a card prefix and a valid Luhn digit: numbers nothing can tell from a card.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { CONTACT_KINDS, createDetector } from '../../../plugins/contacts/index.js'

const lines = readFileSync(new URL('fixtures/everyday.txt', import.meta.url), 'utf8').trim().split('\n')
const detect = createDetector({ kinds: new Set(CONTACT_KINDS), keepLast: 4 })

t.test('everyday chat lines are not taken for contact details', async (t) => {
  t.equal(lines.length, 600)
  const flagged = lines.flatMap((line) => detect(line).map((hit) => ({ line, kind: hit.kind, text: line.slice(hit.start, hit.end) })))
  t.same(
    flagged.map((f) => [f.kind, f.text]),
    [
      ['bankCard', '5516842169189264'],
      ['bankCard', '4214068416464809'],
    ],
    'the README figure: 2 of 600 lines, both 16-digit references that pass Luhn',
  )
})
