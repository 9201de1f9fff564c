// The stage registry's rules, which compileNormalizer relies on: the code-point stages come first (they run
// fused, before the rest), a collapse stage only last, and each hand-fused pass stands for consecutive stages.
import t from 'tap'
import { FUSED, STAGES } from '../../../core/text/stages.js'
import { NORMALIZER_NAMES } from '../../../core/text/index.js'

t.test('the registry is in an order compileNormalizer can run', async (t) => {
  const kinds = STAGES.map((stage) => stage.kind)
  const lastCodePoint = kinds.lastIndexOf('code-point')
  t.ok(kinds.slice(0, lastCodePoint + 1).every((kind) => kind === 'code-point'), 'code-point stages first')
  t.ok(kinds.slice(0, -1).every((kind) => kind !== 'collapse'), 'a collapse stage only last')
  t.equal(new Set(NORMALIZER_NAMES).size, STAGES.length, 'names are unique')
  for (const fusion of FUSED) {
    const first = NORMALIZER_NAMES.indexOf(fusion.stages[0]!)
    t.same(NORMALIZER_NAMES.slice(first, first + fusion.stages.length), fusion.stages, `${fusion.stages.join('+')}: consecutive`)
  }
})
