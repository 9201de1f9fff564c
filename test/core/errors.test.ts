// The error registry: PresendError's fields, the helpers that format zod issues, and README kept in step.
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'
import {
  ERROR_CODES,
  PresendError,
  formatPath,
  formatZodIssues,
  isPresendError,
  listErrorCodes,
  registerErrorCodes,
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

t.test('a registered status is the default statusCode', async (t) => {
  registerErrorCodes({ PRESEND_TEST_ONLY: { description: 'a code this test registers', statusCode: 418 } })
  t.equal(new PresendError('PRESEND_TEST_ONLY', 'x').statusCode, 418)
  t.equal(new PresendError('PRESEND_TEST_ONLY', 'x', { statusCode: 500 }).statusCode, 500, 'an explicit status wins')
  t.equal(new PresendError('PRESEND_NEVER_REGISTERED', 'x').statusCode, undefined)
  t.match(listErrorCodes(), [{ code: 'PRESEND_INVALID_PLUGIN' }])
  t.same(
    listErrorCodes().find((c) => c.code === 'PRESEND_TEST_ONLY'),
    { code: 'PRESEND_TEST_ONLY', description: 'a code this test registers', statusCode: 418 },
  )
  for (const [code, description] of Object.entries(ERROR_CODES)) {
    t.same(listErrorCodes().find((c) => c.code === code), { code, description }, `${code} listed`)
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

t.test('README lists every registered error code', async (t) => {
  const root = new URL('../../', import.meta.url)
  // Import every module that registers codes, so the registry is complete.
  await import('../../core/index.js')
  for (const mod of ['server/index.ts', 'plugins/index.ts']) {
    if (existsSync(new URL(mod, root))) await import(new URL(mod.replace(/\.ts$/, '.js'), root).href)
  }
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const section = /^## Errors\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? ''
  t.ok(section, 'README has an "## Errors" section')
  const documented = new Set([...section.matchAll(/^\| `(PRESEND_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]))
  const registered = listErrorCodes()
    .map((c) => c.code)
    .filter((code) => code !== 'PRESEND_TEST_ONLY' && code !== 'PRESEND_NEVER_REGISTERED')
  t.ok(registered.length >= Object.keys(ERROR_CODES).length, 'the registry is not empty')
  for (const code of registered) t.ok(documented.has(code), `README documents ${code}`)
  for (const code of documented) t.ok(registered.includes(code as string), `README's ${code} is a registered code`)
})
