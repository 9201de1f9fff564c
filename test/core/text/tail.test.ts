// The fused tail (core/text/tail.ts) against the three normalisers it stands for, run in order:
// separators (leetspeak symbols as letters), leet, repeats. Same text, spans and run lengths, for random
// texts over the characters they act on, given as identity stages, as the fold's output and as chinese's;
// plus the compiled default normaliser against the whole chain, and fixed cases for each subtlety.
import t, { type Test } from 'tap'
import fc from 'fast-check'
import { compileFold } from '../../../core/text/fold.js'
import { compileNormalizer } from '../../../core/text/index.js'
import { Workspace, type Stage, type StageContext } from '../../../core/text/stage.js'
import { fusedTail } from '../../../core/text/tail.js'
import { invisible } from '../../../core/text/normalizers/invisible.js'
import { compat } from '../../../core/text/normalizers/compat.js'
import { caseFold } from '../../../core/text/normalizers/case-fold.js'
import { diacritics } from '../../../core/text/normalizers/diacritics.js'
import { confusables } from '../../../core/text/normalizers/confusables.js'
import { chinese } from '../../../core/text/normalizers/chinese.js'
import { separators } from '../../../core/text/normalizers/separators.js'
import { leet } from '../../../core/text/normalizers/leet.js'
import { repeats } from '../../../core/text/normalizers/repeats.js'

// Each side in a workspace of its own, as two normalisers would be.
const context = (): StageContext => ({ workspace: new Workspace(), switches: { leet: true } })
const fused = fusedTail()
const chain = (() => {
  const [s, l, r] = [separators(context()), leet(), repeats()]
  return (stage: Stage) => r(l(s(stage)))
})()
const inputs_ = context()
const fold = compileFold(inputs_.workspace, [invisible, compat, caseFold, diacritics, confusables].map((make) => make(inputs_)))
const toSimplified = chinese(inputs_)
const initialStage = (text: string): Stage => inputs_.workspace.initialStage(text)

interface Snapshot {
  text: string
  start: number[]
  end: number[]
  runs?: number[]
}

/** A copy of a stage (its arrays are pooled and valid only until the next normalisation). */
function snapshot(stage: { text: string; start: Int32Array; end: Int32Array; runs?: Int32Array | undefined }): Snapshot {
  const n = stage.text.length
  const out: Snapshot = { text: stage.text, start: [...stage.start.subarray(0, n)], end: [...stage.end.subarray(0, n)] }
  if (stage.runs !== undefined) out.runs = [...stage.runs.subarray(0, n)]
  return out
}

/** A stage with arrays of its own, so the pool reuse of either side cannot touch it. */
function own(stage: Stage): Stage {
  const n = stage.text.length
  return { text: stage.text, start: stage.start.slice(0, n), end: stage.end.slice(0, n) }
}

/** The input stages of `text` the tail is given: as typed, folded, folded and simplified, simplified. */
const inputs = (text: string): Array<[string, Stage]> => [
  ['identity', own(initialStage(text))],
  ['fold', own(fold(text))],
  ['fold+chinese', own(toSimplified(own(fold(text))))],
  ['chinese', own(toSimplified(initialStage(text)))],
]

/** `text` quoted with every unit outside printable ASCII escaped (a raw U+2028 would break the TAP stream). */
const show = (text: string): string =>
  JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** The inputs of `text` on which the fused tail and the chain differ, with both results (none: equal). */
function differences(text: string): Array<{ input: string; fused: Snapshot; chain: Snapshot }> {
  const out = []
  for (const [kind, input] of inputs(text)) {
    const expected = snapshot(chain(input))
    const actual = snapshot(fused(input))
    if (JSON.stringify(actual) !== JSON.stringify(expected)) out.push({ input: `${kind} ${show(text)}`, fused: actual, chain: expected })
  }
  return out
}

/** One assertion for many texts: the first few that differ, if any (each property is one assertion, not one per input). */
function same(t: Test, texts: Iterable<string>, message: string): void {
  const mismatches = []
  for (const text of texts) {
    mismatches.push(...differences(text))
    if (mismatches.length >= 5) break
  }
  t.same(mismatches, [], message)
}

// Weighted towards what the three stages act on: letters that repeat, leetspeak digits and symbols,
// separators of every kind, no-space scripts, surrogates (pairs and lone halves), marks, capitals.
const tricky = [
  ...'ashitfuckoe', ...'SHITFUCK', ...'0134579', '@', '$', '!', '!!', "'", '\u2019',
  '.', '-', '_', '*', '?', ',', '. ', ', ', ' ', ' ', ' ', '  ', '   ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2028', '\u200a',
  '。', '，', '、', '：', '！', '傻', '逼', '操', '你', '妈', '們', '天', 'の', 'カ', 'ー', 'ก', 'ข',
  '😀', '😂', '👍🏽', '𠀀', '\ud800', '\udc00', '\ud83d', '\ude00',
  'é', 'e\u0301', '\u0301', 'ß', 'Σ', 'ǅ', 'İ', 'д', 'Д', 'ｆ', '１', '＠', '①',
  'ii', 'oo', 'sh1t', 'SH1T', 'A55', 'T17', 'f.u.c.k', 's.h.i.i.t', 'a$$', '@ss', '2024', '100%', 'l33t', 'h!!i',
]
const text = fc.array(fc.constantFrom(...tricky), { maxLength: 20 }).map((parts) => parts.join(''))

t.test('the fused tail equals separators, leet and repeats run in order', async (t) => {
  const texts = fc.sample(text, { seed: 20261127, numRuns: 4000 })
  t.equal(texts.length, 4000)
  same(t, texts, '4000 random texts, each as 4 input stages')
})

t.test('fixed cases', async (t) => {
  const fixed: string[] = []
  for (const input of [
    '', 'ok', 'fuck', 'f.u.c.k', 'f u c k', 'f-u-c-k this', 'this hit', '傻 逼', '操 你 妈', '傻。逼', '傻\n逼',
    's.h.i.i.t', 'sh11t', 'sh1it', 'SH1T', 'Sh1t', 'SH1T!', 'shit!', '!shit', 'sh!t', 'h!!i', 'hi!i', 'a!b!c',
    'birthday!!!', '3pm', '2024', '$5', '100%', 'a$$', '@ss', '$.h.i.t', '1.b.\'', 'b.1.\'x', "a.'.1", 'l 3 3 t',
    'sooo good', 'fuuuuck', 'i.i.i', 'a.a.a b', 'x  y   z', '  lead', 'trail  ', 'a \t b', 'a\u3000\u3000b',
    '😀😀😀', '😀 😀', '\ud800\ud800\ud800x', '\ud83d\ud83d\ude00', '@a\udc007', 'sh1t\udc00sh1t', 'e\u0301\u0301\u0301',
    'ŠH1T', 'ß1', 'ǅ1', 'o 0 o', 'O 0 O', 'd.0.0.d', '1 1 1', '! ! !', 's!h!i!t', 'x!!', 'ab!c!',
    'f.u.c.k. I said', 's.h.i.t, I', 'U.S. s.h.i.t', 'at 5 p.m. s.h.i.t', 's.h. i.t', 'f. u. c. k I said', 'a. b.c',
    '我们明天干，你来吗', '你、妈', '你：妈', '傻,逼', '傻;逼', '傻:逼',
    'A55', 'a55', 'AS5', 'T17', 'a.5.5', 'a-s.5', 'A55!', '!a55', '!!a55!!', 'a5!5', 'b00b5', 'a$55', '5a5', 'é55',
    'ŠH17', 'ŠH1T', 's.h 1.7', 'a55 sh1t', '\u{1d41a}a55', '\u{1d41a}.a.5.5',
    '45s', '1990s', '10am', '4ss', '4.5.s', '45s!', '!45s', '4!5s', '5.5.s', '00ps', '1a55',
  ]) {
    fixed.push(input)
  }
  same(t, fixed, 'each subtlety')
  // Long enough to grow every scratch list and pool: hundreds of gaps, leetspeak runs and collapsed runs.
  same(t, ['x.x.x  yy sh1t! 傻 逼 '.repeat(300)], 'a long text')
})

t.test('the compiled default normaliser runs the tail fused, with the same result as the whole chain', async (t) => {
  const norm = compileNormalizer()
  const mismatches = []
  for (const input of fc.sample(text, { seed: 27112026, numRuns: 1000 })) {
    const expected = snapshot(chain(own(toSimplified(own(fold(input))))))
    const actual = snapshot(norm.normalize(input))
    if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ input: show(input), actual, expected })
    if (mismatches.length >= 5) break
  }
  t.same(mismatches, [], '1000 random texts')
  // With case folding off, an all-capitals leetspeak word folds to capitals.
  t.equal(compileNormalizer({ caseFold: false }).normalize('SH1T S.H.1.T').text, 'SHIT SHIT')
})
