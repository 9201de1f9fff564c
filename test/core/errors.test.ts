// The error registry: PresendError's fields, the helpers that format zod issues, and README kept in step.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import {
  ERROR_CODES,
  PresendError,
  formatPath,
  formatZodIssues,
  isPresendError,
  listErrorCodes,
} from '../../core/errors.js'

t.test('PresendError carries a code, a status, details and a cause', async (t) => {
  const cause = new Error('inner')
  const err = new PresendError('PRESEND_INVALID_REQUEST', 'bad body', { cause, details: [{ path: ['x'] }], statusCode: 400 })
  t.ok(err instanceof Error)
  t.equal(err.name, 'PresendError')
  t.equal(err.code, 'PRESEND_INVALID_REQUEST')
  t.equal(err.message, 'bad body')
  t.equal(err.statusCode, 400)
  t.same(err.details, [{ path: ['x'] }])
  t.equal(err.cause, cause)
  const plain = new PresendError('PRESEND_INVALID_OPTIONS', 'no')
  t.equal(plain.statusCode, undefined, 'no status for a build-time error')
  t.equal(plain.details, undefined)
  t.notOk('cause' in plain, 'no cause property when none was given')
})

t.test("a code's HTTP status is the default statusCode", async (t) => {
  t.equal(new PresendError('PRESEND_INVALID_JSON', 'x').statusCode, 400)
  t.equal(new PresendError('PRESEND_INVALID_JSON', 'x', { statusCode: 500 }).statusCode, 500, 'an explicit status wins')
  t.equal(new PresendError('PRESEND_INVALID_CONFIG', 'x').statusCode, undefined, 'a build-time code has none')
  t.match(listErrorCodes(), [{ code: 'PRESEND_INVALID_PLUGIN' }])
  t.same(listErrorCodes().find((c) => c.code === 'PRESEND_UNAUTHORIZED')?.statusCode, 401)
  for (const [code, description] of Object.entries(ERROR_CODES)) {
    t.equal(listErrorCodes().find((c) => c.code === code)?.description, description, `${code} listed`)
  }
})

t.test('isPresendError', async (t) => {
  const err = new PresendError('PRESEND_PIPELINE_CLOSED', 'closed')
  t.ok(isPresendError(err))
  t.ok(isPresendError(err, 'PRESEND_PIPELINE_CLOSED'))
  t.notOk(isPresendError(err, 'PRESEND_INVALID_REQUEST'))
  t.notOk(isPresendError(new Error('x')))
  t.notOk(isPresendError({ code: 'PRESEND_PIPELINE_CLOSED', name: 'PresendError' }), 'a look-alike object is not one')
  t.notOk(isPresendError(undefined))
})

t.test('formatPath', async (t) => {
  t.equal(formatPath([]), '')
  t.equal(formatPath(['a']), 'a')
  t.equal(formatPath(['a', 'b', 2, 'c']), 'a.b[2].c')
  t.equal(formatPath([0, 'x']), '[0].x')
  t.equal(formatPath([0, 1]), '[0][1]')
  t.equal(formatPath([Symbol('s'), 'k']), 'Symbol(s).k')
})

t.test('formatZodIssues names each key, with or without a prefix', async (t) => {
  const schema = z.object({ words: z.array(z.string()), nested: z.object({ n: z.number() }) })
  const err = schema.safeParse({ words: ['a', 'b', 3], nested: { n: 'x' } }).error!
  t.equal(formatZodIssues(err), 'words[2]: Invalid input: expected string, received number; nested.n: Invalid input: expected number, received string')
  t.equal(
    formatZodIssues(err, 'options'),
    'options.words[2]: Invalid input: expected string, received number; options.nested.n: Invalid input: expected number, received string',
  )
  const root = z.string().safeParse(5).error!
  t.equal(formatZodIssues(root), '(root): Invalid input: expected string, received number')
  t.equal(formatZodIssues(root, 'plugins[0].options'), 'plugins[0].options: Invalid input: expected string, received number')
  const arr = z.array(z.object({ a: z.string() })).safeParse([{ a: 1 }]).error!
  t.equal(formatZodIssues(arr, 'plugins'), 'plugins[0].a: Invalid input: expected string, received number', 'array-first path joins without a dot')
  t.equal(formatZodIssues(arr), '[0].a: Invalid input: expected string, received number')
})

t.test('formatZodIssues, given the schema: an unknown key lists the allowed keys and guesses a typo', async (t) => {
  const schema = z.strictObject({
    words: z.array(z.string()).default([]),
    normalize: z.strictObject({ leet: z.boolean().optional(), repeats: z.boolean().optional() }).optional(),
    rules: z.array(z.strictObject({ match: z.string() })).optional(),
    either: z.union([z.strictObject({ a: z.string() }), z.string()]).optional(),
    nullable: z.strictObject({ x: z.number() }).nullable().optional(),
  })
  const fail = (value: unknown) => schema.safeParse(value).error!
  t.equal(
    formatZodIssues(fail({ word: [] }), 'options', schema),
    'options.word: unknown key (did you mean "words"?); expected one of words, normalize, rules, either, nullable',
  )
  t.equal(
    formatZodIssues(fail({ normalize: { leat: true, Repeats: false } }), '', schema),
    'normalize.leat: unknown key (did you mean "leet"?); expected one of leet, repeats; ' +
      'normalize.Repeats: unknown key (did you mean "repeats"?); expected one of leet, repeats',
    'nested, and a case slip; at the root without a prefix',
  )
  t.equal(
    formatZodIssues(fail({ rules: [{ match: 'x', flags: 'g' }] }), 'options', schema),
    'options.rules[0].flags: unknown key; expected one of match',
    'through an array; no guess when nothing is close',
  )
  t.match(formatZodIssues(fail({ wrods: [] }), '', schema), /^wrods: unknown key \(did you mean "words"\?\)/, 'at the root, no prefix')
  t.equal(formatZodIssues(fail({ nullable: { y: 1, x: 1 } }), '', schema), 'nullable.y: unknown key (did you mean "x"?); expected one of x')
  t.match(
    formatZodIssues(fail({ either: { a: 'x', b: 1 } }), '', schema),
    /^either: /,
    'through a union the allowed keys are not known: zod says what it says',
  )
  t.equal(formatZodIssues(fail({ word: [] }), 'options'), 'options: Unrecognized key: "word"', 'without the schema, as before')
  const record = z.record(z.string(), z.strictObject({ a: z.string() }))
  t.equal(formatZodIssues(record.safeParse({ k: { a: 'x', b: 1 } }).error!, '', record), 'k: Unrecognized key: "b"', 'through a record: zod\'s message')
  const lazy = z.strictObject({ inner: z.lazy(() => z.strictObject({ a: z.string() })) })
  t.equal(formatZodIssues(lazy.safeParse({ inner: { a: 'x', b: 1 } }).error!, '', lazy), 'inner: Unrecognized key: "b"', 'into a lazy schema: zod\'s message')
})

t.test('README lists every registered error code', async (t) => {
  const root = new URL('../../', import.meta.url)
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const section = /^## Errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? ''
  t.ok(section, 'README has an "## Errors" section')
  const documented = new Set([...section.matchAll(/^\| `(PRESEND_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]))
  const registered: string[] = listErrorCodes().map((c) => c.code)
  for (const code of registered) t.ok(documented.has(code), `README documents ${code}`)
  for (const code of documented) t.ok(registered.includes(code as string), `README's ${code} is a registered code`)
})
