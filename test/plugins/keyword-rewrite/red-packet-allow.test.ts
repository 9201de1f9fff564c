// The red-packet preset's allow phrases, checked against the data they were chosen from: each is 红 before a
// word of jieba's dictionary starting with 包, or a colour of jieba's dictionary ending in 红 before 包; each
// traditional form is the simplified one converted. Rewrites themselves: fixtures/red-packet.txt.
import t from 'tap'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import * as OpenCC from 'opencc-js'
import { PRESETS } from '../../../plugins/keyword-rewrite/index.js'

const require = createRequire(import.meta.url)
const words = new Map(
  readFileSync(require.resolve('@node-rs/jieba/dict.txt'), 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .map(([w, f, tag]) => [w, { freq: Number(f), tag }] as const),
)
const { allow } = PRESETS['red-packet']
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' })
const simplified = allow.filter((p) => toSimplified(p) === p)
const traditional = allow.filter((p) => toSimplified(p) !== p)

t.test('red + a common word starting with 包, or a colour ending in 红 + 包', async (t) => {
  for (const phrase of simplified) {
    if (phrase.startsWith('红包')) {
      const word = words.get(phrase.slice(1))
      t.ok(word !== undefined && word.freq >= 100, `${phrase}: ${phrase.slice(1)} is a common word (frequency ${word?.freq})`)
    } else {
      const colour = words.get(phrase.slice(0, -1))
      t.ok(colour !== undefined && phrase.endsWith('红包') && (colour.tag === 'b' || colour.tag === 'z'), `${phrase}: ${phrase.slice(0, -1)} is a colour`)
    }
  }
})

t.test('every traditional phrase is a simplified one converted, and every simplified one has its traditional form', async (t) => {
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })
  t.same(traditional.map(toSimplified).sort(), [...simplified].sort())
  t.same(simplified.map(toTraditional).sort(), [...traditional].sort())
})
