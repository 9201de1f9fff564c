// The fused per-code-point pass (core/text/fold.ts) against the normalisers it stands for, run one by
// one: same text, same spans, for random texts over the characters each of them acts on and for every
// subset of the five. Plus the paths that leave the table: characters whose result depends on a
// neighbour, and the astral map once it is full.
import t from 'tap'
import fc from 'fast-check'
import { compileFold } from '../../../core/text/fold.js'
import { compileNormalizer } from '../../../core/text/index.js'
import { Workspace, type Normalizer, type StageContext } from '../../../core/text/stage.js'
import { invisible } from '../../../core/text/normalizers/invisible.js'
import { compat } from '../../../core/text/normalizers/compat.js'
import { caseFold } from '../../../core/text/normalizers/case-fold.js'
import { diacritics } from '../../../core/text/normalizers/diacritics.js'
import { confusables } from '../../../core/text/normalizers/confusables.js'

const STAGES: ReadonlyArray<readonly [string, (context: StageContext) => Normalizer]> = [
  ['invisible', invisible],
  ['compat', compat],
  ['caseFold', caseFold],
  ['diacritics', diacritics],
  ['confusables', confusables],
]

/** A copy of a stage (its arrays are pooled and valid only until the next normalisation). */
function snapshot(stage: { text: string; start: Int32Array; end: Int32Array }) {
  const n = stage.text.length
  return { text: stage.text, start: [...stage.start.subarray(0, n)], end: [...stage.end.subarray(0, n)] }
}

const tricky = [
  ...'aAzZ019 .!?\n',
  'İ', 'Σ', 'ς', 'σ', 'ß', 'ø', 'é', 'e\u0301', '\u0301', 'Ǆ', 'ﬁ', '…', '½', '①', '㍿', 'Ⅻ',
  'ｆ', 'Ｕ', '１', '！', 'ﾊ', 'ﾞ', 'ﾟ', 'ハ', '\u3099', 'バ', 'カ',
  'а', 'о', 'с', 'υ', 'Α', 'ρ', 'ʀ',
  '\u200b', '\u200d', '\u00ad', '\ufeff', '\ufe0f', '\u2060', '\u{e0041}', '\u{e0100}',
  '傻', '逼', '們', '😀', '👍🏽', '𝐟', '𝔲', '\ud800', '\udc00',
]
const text = fc.array(fc.constantFrom(...tricky), { maxLength: 24 }).map((parts) => parts.join(''))
const subset = fc.subarray([...STAGES], { minLength: 0 })

/** A fresh stage context: a workspace of its own. */
const context = (): StageContext => ({ workspace: new Workspace(), switches: {} })

t.test('the fused pass equals the normalisers run one by one', async (t) => {
  // One fold per subset, as one normaliser has: its table fills as texts go by.
  const folds = new Map<string, ReturnType<typeof compileFold>>()
  const mismatches = []
  const runs = fc.sample(fc.tuple(subset, text), { seed: 20261127, numRuns: 3000 })
  for (const [chosen, input] of runs) {
    const key = chosen.map(([name]) => name).join(' ')
    const ctx = context()
    const stages = chosen.map(([, make]) => make(ctx))
    let fold = folds.get(key)
    if (fold === undefined) {
      const own = context()
      folds.set(key, (fold = compileFold(own.workspace, chosen.map(([, make]) => make(own)))))
    }
    const fused = snapshot(fold(input))
    const oneByOne = snapshot(stages.reduce((stage, fn) => fn(stage), ctx.workspace.initialStage(input)))
    if (JSON.stringify(fused) !== JSON.stringify(oneByOne)) mismatches.push({ key, input, fused, oneByOne })
    if (mismatches.length >= 5) break
  }
  t.equal(runs.length, 3000)
  t.same(mismatches, [], '3000 random texts and subsets')
})

t.test('no normaliser: the identity stage', async (t) => {
  t.same(snapshot(compileFold(new Workspace(), [])('AbC')), { text: 'AbC', start: [0, 1, 2], end: [1, 2, 3] })
})

t.test('neighbour-dependent characters go through the normalisers', async (t) => {
  const norm = compileNormalizer()
  // Final sigma: its lower case depends on where it stands in the word.
  t.equal(norm.normalize('ΣΟΣ').text, 'σoς')
  // A half-width voiced mark composes with the kana before it, however often the table has seen it.
  for (let i = 0; i < 3; i++) t.same(norm.normalize('ﾊﾞｶ').toOriginal(0, 1), { start: 0, end: 2 })
})

t.test('past the astral map size, new astral characters are still folded exactly', async (t) => {
  const ctx = context()
  const fold = compileFold(ctx.workspace, STAGES.map(([, make]) => make(ctx)))
  // Fill the map with 4,096 distinct astral characters (CJK Extension B ideographs: kept as they are).
  for (let base = 0x20000; base < 0x20000 + 4096; base += 512) {
    let s = ''
    for (let cp = base; cp < base + 512; cp++) s += String.fromCodePoint(cp)
    t.equal(fold(s).text, s)
  }
  // Mathematical letters seen only now: folded through the normalisers, spans over both units.
  const out = snapshot(fold('x𝐅𝐔'))
  t.same(out, { text: 'xfu', start: [0, 1, 3], end: [1, 3, 5] })
})

t.test('normalizeTransient: the same result as normalize, in shared arrays', async (t) => {
  const norm = compileNormalizer()
  for (const input of ['Ｆ.Ü.C.K', 'fuuuck 傻 逼', 'ok', '']) {
    const copied = norm.normalize(input)
    const shared = norm.normalizeTransient(input)
    const n = shared.text.length
    t.equal(shared.text, copied.text)
    t.same([...shared.start.subarray(0, n)], [...copied.start])
    t.same([...shared.end.subarray(0, n)], [...copied.end])
    t.same([...shared.runs!.subarray(0, n)], [...copied.runs!])
  }
})
