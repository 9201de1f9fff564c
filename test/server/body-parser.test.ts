// The callback body parser: JSON or a 400 saying what was wrong; prototype-named keys kept as data.
import t from 'tap'
import { PresendError } from '../../core/errors.js'
import { parseCallbackJson } from '../../server/body-parser.js'

t.test('parses JSON', async (t) => {
  t.same(parseCallbackJson('{"a":[1,"x"]}'), { a: [1, 'x'] })
  t.equal(parseCallbackJson('null'), null)
})

t.test('empty and invalid bodies are PRESEND_INVALID_JSON with status 400', async (t) => {
  t.throws(() => parseCallbackJson(''), { code: 'PRESEND_INVALID_JSON', statusCode: 400, message: /body is empty/ })
  const err = t.throws(() => parseCallbackJson('{"a":')) as PresendError
  t.match(err, { code: 'PRESEND_INVALID_JSON', statusCode: 400, message: /^The request body is not valid JSON: / })
  t.ok(err.cause instanceof SyntaxError)
})

t.test('a leading byte order mark is ignored; a body of only one is empty', async (t) => {
  t.same(parseCallbackJson('\ufeff{"a":1}'), { a: 1 })
  t.throws(() => parseCallbackJson('\ufeff'), { code: 'PRESEND_INVALID_JSON', message: /body is empty/ })
  t.throws(() => parseCallbackJson('{"a":1}\ufeff'), { code: 'PRESEND_INVALID_JSON', message: /not valid JSON/ })
})

t.test('__proto__, constructor and prototype keys are kept as own data properties; no prototype changes', async (t) => {
  const v = parseCallbackJson('{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"x":1}}},"b":{"constructor":"ok"},"prototype":2}') as Record<string, unknown>
  t.ok(Object.hasOwn(v, '__proto__'))
  t.equal(Object.getPrototypeOf(v), Object.prototype, 'the object keeps its own prototype')
  t.equal((v as { polluted?: unknown }).polluted, undefined)
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(({} as Record<string, unknown>).x, undefined)
  t.equal(JSON.stringify(v), '{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"x":1}}},"b":{"constructor":"ok"},"prototype":2}')
})
