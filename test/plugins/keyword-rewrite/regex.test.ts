// keyword-rewrite rules with `regex`: run on the text as sent, checked at load (invalid or catastrophically
// backtracking patterns fail the build), merged with word-pattern hits leftmost-longest, earlier rule first.
import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { isPresendError } from '../../../core/errors.js'
import { checkMessage, type OptionsOf } from '../../../core/testing/index.js'
import keywordRewrite from '../../../plugins/keyword-rewrite/index.js'

const textOf = async (options: OptionsOf<typeof keywordRewrite>, text: string) => {
  const r = await checkMessage(keywordRewrite, options, text)
  t.equal(r.faults, 0)
  return (r.body[0]?.MsgContent as { Text?: string } | undefined)?.Text
}

t.test('a regex rule replaces what it matches, case-insensitive unless caseSensitive', async (t) => {
  const rules = [{ regex: 'wx[-_ ]?id[:：]?\\s*\\w+', replace: '[contact removed]' }]
  t.equal(await textOf({ rules }, 'add me WX-ID: abc123 ok'), 'add me [contact removed] ok')
  t.equal(await textOf({ rules, caseSensitive: true }, 'add me WX-ID: abc123 ok'), 'add me WX-ID: abc123 ok')
  t.equal(await textOf({ rules: [{ regex: '\\d{11}', replace: '#' }] }, 'call 13800138000 or 13900139000'), 'call # or #')
})

t.test('regex and word-pattern hits merge: leftmost, then longest, then the earlier rule', async (t) => {
  const options = {
    rules: [
      { match: 'red packet', replace: 'RP' },
      { regex: 'red packets?\\b', replace: 'RX' },
      { regex: 'packet', replace: 'P' },
    ],
  }
  // "red packets" (regex, longer) beats "red packet" (word, same start); "packet" alone is the third rule.
  t.equal(await textOf(options, 'red packets and a packet'), 'RX and a P')
  // Same span: the earlier rule wins.
  t.equal(await textOf(options, 'one red packet.'), 'one RP.')
  // An empty regex match replaces nothing.
  t.equal(await textOf({ rules: [{ regex: 'x*', replace: '!' }] }, 'abc'), 'abc')
})

t.test('a regex rule can tag the message like any rule', async (t) => {
  const r = await checkMessage(keywordRewrite, { rules: [{ regex: 'order #\\d+', cloudCustomData: { order: true } }] }, 'see order #42')
  t.equal(r.cloudCustomData, '{"order":true}')
  t.equal((r.body[0]?.MsgContent as { Text: string }).Text, 'see order #42')
})

t.test('regexes RE2 cannot run or invalid ones fail the pipeline build, naming the rule', async (t) => {
  for (const [regex, code] of [
    ['(a)\\1', 'PRESEND_UNSAFE_REGEX'],
    ['wx(?=id)', 'PRESEND_UNSAFE_REGEX'],
    ['(unclosed', 'PRESEND_INVALID_REGEX'],
  ] as const) {
    const err = await createPipeline({ plugins: [[keywordRewrite, { rules: [{ match: 'ok', replace: 'x' }, { regex, replace: 'x' }] }]] }).catch((e: unknown) => e)
    t.ok(isPresendError(err, code), `${regex} → ${code}`)
    t.match((err as Error).message, /keyword-rewrite options\.rules\[1\]\.regex/)
  }
})

t.test('a rule needs exactly one of match or regex', async (t) => {
  for (const rule of [{ replace: 'x' }, { match: 'a', regex: 'a', replace: 'x' }]) {
    const err = await createPipeline({ plugins: [[keywordRewrite, { rules: [rule] }]] }).catch((e: unknown) => e)
    t.ok(isPresendError(err, 'PRESEND_INVALID_OPTIONS'))
    t.match((err as Error).message, /options\.rules\[0\]\.match: a rule needs exactly one of match \(word patterns\) or regex/)
  }
})

t.test('patterns that backtrack catastrophically on V8 are accepted and answer the report\'s inputs', async (t) => {
  // On V8's RegExp, "1"×27 + "x" against the first held the server for 10.8 s.
  const rules = ['(?:[0-9]|\\d)+$', '(a|a)*b', '(a+)+$', '([a-z]*)*x'].map((regex) => ({ regex, replace: '#' }))
  t.equal(await textOf({ rules }, `${'1'.repeat(27)}x`), `${'1'.repeat(27)}#`)
  t.equal(await textOf({ rules }, '1'.repeat(27)), '#')
  t.equal(await textOf({ rules }, 'a'.repeat(40)), '#')
  t.equal(await textOf({ rules }, `${'a'.repeat(40)}!`), `${'a'.repeat(40)}!`)
})

t.test('a pathological input against a safe regex answers far inside the budget', async (t) => {
  const p = await createPipeline({ plugins: [[keywordRewrite, { rules: [{ regex: '\\d{11}', replace: '#' }, { regex: 'a+b', replace: '!' }] }]] })
  const started = performance.now()
  const { c2cRequest } = await import('../../../core/testing/index.js')
  const r = await p.run(c2cRequest({ text: 'a'.repeat(12_000) }))
  t.equal(r.decision, 'allow')
  t.ok(performance.now() - started < 1500, 'far inside the 2 s budget')
})
