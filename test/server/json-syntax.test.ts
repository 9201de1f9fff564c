// Config JSON syntax errors are reported by line and column, with the line and a caret, whatever Node's
// JSON.parse says (its wording and whether it gives a position differ between inputs and versions).
import t from 'tap'
import path from 'node:path'
import { firstJsonError, locateJsonError } from '../../server/json-syntax.js'
import { loadConfig } from '../../server/config.js'

/** What JSON.parse throws for `text`. */
function parseError(text: string): Error {
  try {
    JSON.parse(text)
  } catch (err) {
    return err as Error
  }
  throw new Error(`${JSON.stringify(text)} is valid JSON`)
}

const at = (text: string) => locateJsonError(text, parseError(text))

t.test('firstJsonError agrees with JSON.parse on what is valid', async (t) => {
  const valid = [
    '{}',
    '[]',
    ' {"a": [1, -2.5e+3, 0, true, false, null, "x\\n\\u00e9\\"\\\\\\/"], "b": {"c": {}}}\r\n',
    '"just a string"',
    '12',
  ]
  for (const text of valid) {
    t.doesNotThrow(() => JSON.parse(text))
    t.equal(firstJsonError(text), -1, text)
  }
  const invalid: Array<[string, number]> = [
    ['{"a":1,}', 7],
    ['[1,2,]', 5],
    ['{"a":1', 6],
    ['', 0],
    ['{"a": 1} x', 9],
    ["{'a':1}", 1],
    ['{"a":1 // c\n}', 7],
    ['{"a" 1}', 5],
    ['{"a":01}', 6],
    ['{"a":"tab\there"}', 9],
    ['{"a":"\\x"}', 7],
    ['{"a":"open', 10],
    ['[tru]', 1],
    ['{1:2}', 1],
    ['[1 2]', 3],
  ]
  for (const [text, offset] of invalid) {
    t.throws(() => JSON.parse(text), SyntaxError, `JSON.parse refuses ${JSON.stringify(text)}`)
    t.equal(firstJsonError(text), offset, JSON.stringify(text))
  }
  t.equal(firstJsonError('['.repeat(200_000)), 200_000, 'nesting deeper than the stack ends at the end, not in a crash')
})

t.test('locateJsonError: line, column, a sentence and the line with a caret', async (t) => {
  t.same(at('{\n  "server": { "port": 9000, }\n}'), {
    line: 2,
    column: 29,
    reason: 'a trailing comma before } (JSON allows none)',
    excerpt: '  2 |   "server": { "port": 9000, }\n    |                             ^',
  })
  t.match(at('{\r\n  "a": 1\r\n  "b": 2\r\n}'), { line: 3, column: 3, reason: /^expected ',' or '}' after property value/, excerpt: '  3 |   "b": 2\n    |   ^' })
  t.match(at('{\n  // the port\n  "port": 1\n}'), { line: 2, column: 3, reason: 'a comment (JSON allows none)' })
  t.match(at('{\n  /* the port */\n}'), { reason: 'a comment (JSON allows none)' })
  t.match(at("{ 'port': 1 }"), { line: 1, column: 3, reason: 'a single-quoted string (JSON strings use double quotes)' })
  t.match(at('{ "a": [1, 2'), { line: 1, column: 13, reason: 'the text ends before the JSON value does (a missing } or ])' })
  t.match(at('  \n '), { line: 2, column: 2, reason: 'the file is empty' })
  t.match(at('[1, 2,]'), { reason: 'a trailing comma before ] (JSON allows none)' })
  // V8 names no position for some tokens and echoes the input instead: neither reaches the reason
  const echo = at('{"a": tru}')
  t.equal(echo.column, 7)
  t.notMatch(echo.reason, /position|is not valid JSON|^[A-Z]/)
  t.match(at('{"a": 1} }'), { column: 10, reason: /^unexpected non-whitespace character after JSON/ })
  // when the scanner and JSON.parse disagree (they should not), the end of the text is the place
  t.match(locateJsonError('{}', new SyntaxError('Unexpected token')), { line: 1, column: 3, reason: 'the text ends before the JSON value does (a missing } or ])' })
})

t.test('a config file with a syntax error: the message names the file, line and column', async (t) => {
  const dir = t.testdir({
    'presend.config.json': '{\n  "server": { "port": 9000, },\n  "plugins": []\n}\n',
    'bom.json': '\uFEFF{ "plugins": [] }',
  })
  const file = path.join(dir, 'presend.config.json')
  await t.rejects(loadConfig({ cwd: dir, env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: `Config file ${file} is not valid JSON: line 2, column 29: a trailing comma before } (JSON allows none). Fix the syntax (JSON allows no comments or trailing commas):\n  2 |   "server": { "port": 9000, },\n    |                             ^`,
    details: { line: 2, column: 29 },
  })
  const bom = await loadConfig({ cwd: dir, file: 'bom.json', env: {} })
  t.same(bom.config.plugins, [], 'a leading byte order mark is ignored')
})
