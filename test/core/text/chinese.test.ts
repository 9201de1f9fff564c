// The chinese normaliser (core/text/normalizers/chinese.ts) against OpenCC's own converter from opencc-js,
// built from the same t2cn dictionaries: the same text for random mixes of dictionary entries, their
// prefixes and other text; and the spans each output character maps back to.
import t from 'tap'
import fc from 'fast-check'
import { ConverterFactory, type DictLike } from 'opencc-js/core'
import * as Locale from 'opencc-js/preset/t2cn'
import { chinese } from '../../../core/text/normalizers/chinese.js'
import { Workspace } from '../../../core/text/stage.js'

const workspace = new Workspace()
const toSimplified = chinese({ workspace, switches: {} })
const initialStage = (text: string) => workspace.initialStage(text)
const openccConvert = ConverterFactory(...Locale.to['cn']!)

/** Every source string of the t2cn dictionaries. */
const sources = Locale.to['cn']!.flatMap((group) =>
  group.flatMap((dict: DictLike) => (typeof dict === 'string' ? dict.split('|').map((entry) => entry.split(' ')[0]!) : dict.map(([s]) => s))),
)

function convert(text: string) {
  const stage = toSimplified(initialStage(text))
  const n = stage.text.length
  return { text: stage.text, start: [...stage.start.subarray(0, n)], end: [...stage.end.subarray(0, n)] }
}

t.test('converts as OpenCC does, for random mixes of entries, their prefixes and other text', async (t) => {
  const piece = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...sources) },
    { weight: 2, arbitrary: fc.constantFrom(...sources).map((s) => s.slice(0, Math.max(1, s.length - 1))) },
    { weight: 2, arbitrary: fc.constantFrom('a', ' ', '，', '的', '乾', '元', '們', '😀', '\ud840', '\udc00', '10') },
  )
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = pieces.join('')
      const out = convert(text)
      if (out.text !== openccConvert(text)) return false
      // Spans stay in the text and never go backwards.
      for (let u = 0; u < out.text.length; u++) {
        if (out.start[u]! < 0 || out.end[u]! > text.length || out.start[u]! >= out.end[u]!) return false
        if (u > 0 && (out.start[u]! < out.start[u - 1]! || out.end[u]! < out.end[u - 1]!)) return false
      }
      return true
    }),
    { numRuns: 3000, seed: 20261127 },
  )
  t.pass('3000 random texts convert as OpenCC converts them')
})

t.test('a conversion of the same length keeps every character on its own span', async (t) => {
  const out = convert('x們這y')
  t.equal(out.text, 'x们这y')
  t.same(out.start, [0, 1, 2, 3])
  t.same(out.end, [1, 2, 3, 4])
})

t.test('a conversion that changes length maps every character it writes to the whole source', async (t) => {
  // 㗲 (one unit) becomes 𠵾 (a surrogate pair); 二噁英 (three units) becomes 二𫫇英 (four).
  const out = convert('a㗲二噁英b')
  t.equal(out.text, 'a𠵾二𫫇英b')
  t.same(out.start, [0, 1, 1, 2, 2, 2, 2, 5])
  t.same(out.end, [1, 2, 2, 5, 5, 5, 5, 6])
})

t.test('a phrase OpenCC keeps whole is not converted character by character', async (t) => {
  t.equal(convert('乾元乾淨').text, '乾元干净')
})

t.test('text with nothing to convert comes back as the same stage', async (t) => {
  const stage = initialStage('hello 你好 😀')
  t.equal(toSimplified(stage), stage)
})

t.test('a text with many conversions (more than the scratch space holds at first)', async (t) => {
  const out = convert('們'.repeat(300))
  t.equal(out.text, '们'.repeat(300))
  t.equal(out.start[299], 299)
})
