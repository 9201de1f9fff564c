// testPlugin: one test per case under any runner (tap's t, a bare test/it function), failures as
// AssertionErrors located at the case's own line, and the mistakes a caller can make.
import t from 'tap'
import { AssertionError } from 'node:assert'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { allow, customElement, definePlugin, textElement } from '../../../core/plugin.js'
import { c2cRequest, groupRequest, testPlugin, type TestFunction } from '../../../core/testing/index.js'
import { inline } from '../fixtures/helpers.js'
import { shouty } from './fixtures/shouty.js'

/** A bare `test`/`it` function that records what is registered, so the cases can be run and inspected. */
function recorder() {
  const tests: Array<{ name: string; fn: () => Promise<void> }> = []
  const it: TestFunction = (name, fn) => void tests.push({ name, fn })
  /** Run every recorded test; resolve with what each threw (undefined for a pass). */
  const run = () => Promise.all(tests.map(({ fn }) => fn().then(() => undefined, (err: unknown) => err as AssertionError)))
  return { it, tests, run }
}

const self = fileURLToPath(import.meta.url)
const source = readFileSync(self, 'utf8').split('\n')
/** The 1-based line of this file where `text` first appears after `after`. */
const lineOf = (text: string, after = 0) => source.findIndex((l, i) => i >= after && l.includes(text)) + 1
/** The 1-based line of the statement that starts with `text`. */
const callAt = (text: string) => source.findIndex((l) => l.trimStart().startsWith(text)) + 1

t.test("every kind of expectation passes under tap's t (the earlier form: runner first)", async (t) => {
  testPlugin(t, shouty, {
    options: { max: 3, code: 120001, groupCode: 10100, info: 'Please do not shout' },
    cases: [
      { name: 'quiet text passes', text: 'hello there', expect: 'allow' },
      { name: 'spam is dropped', text: 'spam', expect: 'drop' },
      { name: 'shouting is refused (C2C)', text: 'HELLO THERE', expect: { reject: 120001 } },
      { name: 'shouting is refused with info', text: 'HELLO THERE', expect: { reject: 120001, info: 'Please do not shout' } },
      { name: 'shouting in a group', text: 'HELLO THERE', command: 'Group.CallbackBeforeSendMsg', expect: { reject: 10100 } },
      { name: 'a swear word is masked (text)', text: 'oh darn it', expect: { text: 'oh **** it' } },
      { name: 'text and CloudCustomData', text: 'oh darn', meta: { platform: 'Web' }, expect: { text: 'oh ****', cloudCustomData: 'masked by c2c on Web' } },
      {
        name: 'a swear word is masked (body and CloudCustomData)',
        request: c2cRequest({ body: [customElement({ Data: 'd' }), textElement('darn')] }),
        meta: { platform: 'iOS' },
        expect: { body: [customElement({ Data: 'd' }), textElement('****')], cloudCustomData: 'masked by c2c on iOS' },
      },
      { name: 'body only', request: groupRequest({ text: 'darn' }), expect: { body: [textElement('****')] } },
      { name: 'the text of a body with other elements', request: c2cRequest({ body: [customElement({ Data: 'd' }), textElement('darn')] }), expect: { text: '****' } },
      { name: 'CloudCustomData only', request: groupRequest({ text: 'darn' }), expect: { cloudCustomData: 'masked by group on ?' } },
      { name: 'an empty text passes', text: '', expect: 'allow' },
      { name: 'no text at all is an empty text', expect: 'allow' },
    ],
  })
  testPlugin(t, inline('allow-all', () => allow()), { cases: [{ name: 'no options given', text: 'x', expect: 'allow' }] })
})

t.test('the plugin first, the runner in the spec: tap, or a bare test/it function', async (t) => {
  testPlugin(shouty, { test: t, cases: [{ name: "with tap's t as the runner", text: 'HEY YOU', expect: { reject: 1 } }] })
  const { it, tests, run } = recorder()
  testPlugin(shouty, { test: it, options: { max: 0 }, cases: [{ name: 'one', text: 'A', expect: { reject: 1 } }, { name: 'two', text: 'a', expect: 'allow' }] })
  t.same(tests.map((x) => x.name), ['one', 'two'], 'one test per case, named after it, in order')
  t.same(await run(), [undefined, undefined], 'both pass')
  t.equal(tests[0]!.fn.length, 0, 'the test function takes no argument (mocha would read one as a done callback)')
})

t.test('a failing case throws an AssertionError located at its own line, with expected and actual', async (t) => {
  const { it, run } = recorder()
  const call = callAt('testPlugin(shouty, { test: it, options: { code: 120001 }')
  testPlugin(shouty, { test: it, options: { code: 120001 }, cases: [
    { name: 'wrong: expects a drop', text: 'hello', expect: 'drop' },
    { name: 'wrong: expects a custom code', text: 'HELLO', expect: { reject: 120002, info: 'nope' } },
    { name: 'wrong: expects another text', text: 'darn', expect: { text: 'darn' } },
    { name: 'wrong: expects another body', text: 'darn', expect: { body: [], cloudCustomData: 'x' } },
    { name: 'wrong: expects allow but it faults', text: 'boom', expect: 'allow' },
    { name: 'wrong: expects allow but it edits', text: 'darn', expect: 'allow' },
    { name: 'wrong: expects allow but it rejects', text: 'HELLO', expect: 'allow' },
    { name: 'wrong: expects a body but it edits only text', request: c2cRequest({ body: [customElement({ Data: 'd' }), textElement('darn')] }), expect: 'allow' },
  ] })
  const errors = await run()
  t.ok(errors.every((e) => e instanceof AssertionError), 'every case failed with an AssertionError')
  t.same(
    errors.map((e) => e!.message),
    [
      `case "wrong: expects a drop": expected 'drop', got 'allow'`,
      `case "wrong: expects a custom code": expected { reject: 120002, info: 'nope' }, got { reject: 120001, info: 'rejected by shouty' } (by shouty)`,
      `case "wrong: expects another text": expected { text: 'darn' }, got { text: '****' }`,
      `case "wrong: expects another body": expected { body: [], cloudCustomData: 'x' }, got { body: [ { MsgType: 'TIMTextElem', MsgContent: { Text: '****' } } ], cloudCustomData: 'masked by c2c on ?' }`,
      `case "wrong: expects allow but it faults": expected 'allow', but plugin "shouty" faulted: threw: boom`,
      `case "wrong: expects allow but it edits": expected 'allow', got { text: '****', cloudCustomData: 'masked by c2c on ?' }`,
      `case "wrong: expects allow but it rejects": expected 'allow', got { reject: 120001, info: 'rejected by shouty' } (by shouty)`,
      `case "wrong: expects a body but it edits only text": expected 'allow', got { body: [ { MsgType: 'TIMCustomElem', MsgContent: { Data: 'd' } }, { MsgType: 'TIMTextElem', MsgContent: { Text: '****' } } ], cloudCustomData: 'masked by c2c on ?' }`,
    ],
  )
  t.match(errors[1], { actual: { reject: 120001, info: 'rejected by shouty' }, expected: { reject: 120002, info: 'nope' }, operator: 'deepStrictEqual' })
  t.match(errors[4], { actual: { fault: 'threw: boom' }, expected: 'allow' })
  errors.forEach((err) => {
    const frames = err!.stack!.split('\n').slice(1)
    const name = err!.message.slice(6, err!.message.indexOf('":'))
    t.same(frames, [`    at ${self}:${lineOf(`'${name}'`, call - 1)}:${source[lineOf(`'${name}'`, call - 1) - 1]!.indexOf(`'${name}'`) + 1}`, `    at ${self}:${call}:3`], `${name}: its line, then the call; no presend frame`)
    t.match(err!.stack, /^AssertionError \[ERR_ASSERTION\]: case "/)
  })
})

t.test('a case whose name is not in the source (built at run time) is placed at the testPlugin call', async (t) => {
  const { it, run } = recorder()
  const names = ['generated case 1', 'generated case 2'].map((n) => n.toUpperCase())
  const call = callAt('testPlugin(shouty, { test: it, cases: names.map')
  testPlugin(shouty, { test: it, cases: names.map((name) => ({ name, text: 'x', expect: 'drop' as const })) })
  for (const err of await run()) t.same(err!.stack!.split('\n').slice(1), [`    at ${self}:${call}:3`])
})

t.test('options the schema refuses fail each case at the call, saying why', async (t) => {
  const { it, run } = recorder()
  const call = callAt("testPlugin(shouty, { test: it, options: { max: 'three' as unknown as number }")
  testPlugin(shouty, { test: it, options: { max: 'three' as unknown as number }, cases: [{ name: 'any', text: 'x', expect: 'allow' }] })
  const [err] = await run()
  t.ok(err instanceof AssertionError)
  t.match(err!.message, /^case "any": the pipeline could not be built: Invalid options for plugin "shouty" \(plugins\[0\]\): options\.max: /)
  t.equal(err!.stack!.split('\n')[1], `    at ${self}:${lineOf("name: 'any'")}:${source[lineOf("name: 'any'") - 1]!.indexOf("'any'") + 1}`)
  t.equal(err!.stack!.split('\n')[2], `    at ${self}:${call}:3`)
})

t.test('the mistakes a caller can make are PresendErrors naming the case', async (t) => {
  const { it } = recorder()
  const bad = (spec: unknown) => () => testPlugin(shouty, spec as never)
  t.throws(() => testPlugin({} as never, { cases: [] } as never), { code: 'PRESEND_INVALID_TEST_CASE', message: /needs a plugin made with definePlugin\(\) first/ })
  t.throws(bad({ test: it, cases: [] }), { code: 'PRESEND_INVALID_TEST_CASE', message: 'testPlugin(shouty): give at least one case in "cases", each { name, text or request, expect }.' })
  t.throws(bad({ test: it }), { code: 'PRESEND_INVALID_TEST_CASE', message: /give at least one case/ })
  t.throws(bad(undefined), { code: 'PRESEND_INVALID_TEST_CASE', message: /give at least one case/ })
  t.throws(bad({ test: it, cases: [{ text: 'x', expect: 'allow' }] }), { message: 'testPlugin(shouty): every case needs a name; got {"text":"x","expect":"allow"}.' })
  t.throws(bad({ test: it, cases: [null] }), { message: 'testPlugin(shouty): every case needs a name; got null.' })
  t.throws(bad({ test: it, cases: [{ name: 'both', text: 'x', request: c2cRequest(), expect: 'allow' }] }), { message: 'testPlugin case "both": give text or request, not both.' })
  for (const expect of ['reject', { reject: '1' }, { drop: true }, {}, { text: 'a', body: [] }, { info: 'x' }, { body: {} }, { reject: 1, text: 'x' }, null, ['allow']]) {
    t.throws(bad({ test: it, cases: [{ name: 'odd', text: 'x', expect }] }), {
      code: 'PRESEND_INVALID_TEST_CASE',
      message: `testPlugin case "odd": expect is ${JSON.stringify(expect)}; expected 'allow', 'drop', { reject: code, info? }, { text, cloudCustomData? }, { body, cloudCustomData? } or { cloudCustomData }.`,
    }, JSON.stringify(expect))
  }
  t.throws(bad({ test: { it }, cases: [{ name: 'x', text: 'x', expect: 'allow' }] }), { code: 'PRESEND_INVALID_TEST_CASE', message: "testPlugin: test must be your runner's test or it function, or tap's t." })
})

t.test('without a runner, the cases are node:test tests', async (t) => {
  const { it, tests, run } = recorder()
  let loaded: string | undefined
  const kit = await t.mockImport<typeof import('../../../core/testing/test-plugin.js')>('../../../core/testing/test-plugin.js', {
    'node:module': { createRequire: () => (id: string) => ((loaded = id), { test: it }) },
  })
  kit.testPlugin(shouty, { cases: [{ name: 'by node:test', text: 'quiet', expect: 'allow' }] })
  t.equal(loaded, 'node:test', 'node:test is loaded only now, when no runner is given')
  t.same(tests.map((x) => x.name), ['by node:test'])
  t.same(await run(), [undefined])
})

t.test('with stack traces off, a failure still says what went wrong', async (t) => {
  const { it, run } = recorder()
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    testPlugin(shouty, { test: it, cases: [{ name: 'no stack', text: 'hi', expect: 'drop' }] })
  } finally {
    Error.stackTraceLimit = limit
  }
  const [err] = await run()
  t.equal(err!.stack, `AssertionError [ERR_ASSERTION]: case "no stack": expected 'drop', got 'allow'`)
})

// The @ts-expect-error lines are the point of this test: `npm run typecheck` fails if any of them compiles.
t.test('option types come from the plugin: a misspelt or mistyped option does not compile', async (t) => {
  const strict = definePlugin({
    name: 'strict',
    options: z.strictObject({ minLetters: z.number().default(8), mode: z.enum(['caps', 'ratio']).default('caps') }),
    create: () => ({ check: () => allow() }),
  })
  const needsWords = definePlugin({ name: 'needs-words', options: z.strictObject({ words: z.array(z.string()) }), create: () => ({ check: () => allow() }) })
  const { it, run } = recorder()
  const cases = [{ name: 'typed', text: 'x', expect: 'allow' as const }]
  testPlugin(strict, { test: it, options: { minLetters: 5, mode: 'ratio' }, cases })
  // @ts-expect-error -- misspelt: minLeters
  testPlugin(strict, { test: it, options: { minLeters: 5 }, cases })
  // @ts-expect-error -- not one of the enum's values
  testPlugin(strict, { test: it, options: { mode: 'shouting' }, cases })
  // @ts-expect-error -- words has no default, so options are required
  testPlugin(needsWords, { test: it, cases })
  testPlugin(needsWords, { test: it, options: { words: ['a'] }, cases })
  const failed = (await run()).map((err) => err?.message.replace(/^case "typed": (the pipeline could not be built): .*/s, '$1'))
  t.same(failed, [undefined, 'the pipeline could not be built', 'the pipeline could not be built', 'the pipeline could not be built', undefined], 'and at run time the schema refuses them too')
})
