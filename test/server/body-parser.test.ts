// The callback body parser: JSON or a 400 saying what was wrong; prototype keys dropped.
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

t.test('__proto__ keys are dropped, constructor.prototype too, other constructor keys kept', async (t) => {
  const v = parseCallbackJson('{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"x":1}}},"b":{"constructor":"ok"}, "Text": "\\"__proto__\\": fine"}') as Record<string, unknown>
  t.notOk(Object.hasOwn(v, '__proto__'))
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.same(v.a, {})
  t.same(v.b, { constructor: 'ok' })
  t.equal(v.Text, '"__proto__": fine')
})
