// compileSafeRegExp: every accepted pattern runs on RE2 (re2js) in time linear in the text; what RE2 cannot
// express is refused at load with a sentence naming where the pattern came from, the construct and what to
// write instead; invalid syntax is refused as JavaScript would.
import t from 'tap'
import { compileSafeRegExp, MAX_REGEX_LENGTH } from '../../core/safe-regex.js'
import { isPresendError, listErrorCodes } from '../../core/errors.js'
import * as core from '../../core/index.js'
import { PATHOLOGICAL } from '../fixtures/pathological-regexes.js'

const WHERE = 'my-filter: options.patterns[1]'

t.test('patterns compile with their flags and match as JavaScript would', async (t) => {
  const cases: Array<[string, string, string, string | null]> = [
    ['^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', 'i', 'Bob@Example.com', 'Bob@Example.com'],
    ['(?<year>\\d{4})-(?<month>\\d{2})', '', 'on 2023-01', '2023-01'],
    ['\\p{Script=Han}+', 'u', 'ab汉字c', '汉字'],
    ['\\P{sc=Han}+', 'u', '汉ab字', 'ab'],
    ['\\\\p{Script=Han}', '', 'a \\p{Script=Han}', '\\p{Script=Han}'],
    ['(?<=@)\\w+', '', 'mail x@bob', 'bob'],
    ['(?<!\\d)\\d{11}', 'g', 'a13800138000', '13800138000'],
    ['\\(?<=x', '', '(<=x', '(<=x'], // an optional literal "(" then "<=x": not a lookbehind
    ['[(?=]', '', 'x=', '='], // inside a class, "(?=" is three characters, not a lookahead
    ['red\\s*packet', 'iu', 'a RED Packet', 'RED Packet'],
    ['^b$', 'm', 'a\nb\nc', 'b'],
    ['a.c', 's', 'a\nc', 'a\nc'],
    ['😀+', 'u', 'x😀😀y', '😀😀'],
    ['', '', 'a', ''],
  ]
  for (const [source, flags, text, match] of cases) {
    const re = compileSafeRegExp(source, flags, WHERE)
    t.equal(re.source, source)
    t.equal(re.flags, flags.split('').sort().join(''), `${source}: flags`)
    t.equal(re.exec(text)?.[0] ?? null, match, `${source} on ${JSON.stringify(text)}`)
    t.equal(re.test(text), match !== null)
  }
  const re = compileSafeRegExp('é+', 'gu', WHERE)
  t.same([...'aé😀éé'.matchAll(re as unknown as RegExp)].map((m) => [m.index, m[0]]), [[1, 'é'], [4, 'éé']], 'UTF-16 indices, through String.prototype.matchAll')
  t.same([...re.matchAll('xéx')].map((m) => m.index), [1])
  t.equal(compileSafeRegExp('a', undefined, WHERE).flags, '', 'flags default to none')
  t.ok(compileSafeRegExp('a').test('a'), 'where has a default')
  t.equal(compileSafeRegExp('x').exec('y'), null)
})

// The patterns issue 18 found accepted by the old heuristic; test/reliability/linear-time.test.ts times them on
// long inputs, without coverage (which slows the loops).
t.test('the patterns that backtrack catastrophically on V8 are accepted and answer at once', async (t) => {
  for (const [source, adversarial] of PATHOLOGICAL) {
    const re = compileSafeRegExp(source, 'gu', WHERE)
    // The exact input of the report: on V8 "1"×27 + "x" took 10.8 s; 2^27 steps would not finish here.
    t.equal([...re.matchAll(adversarial(28))].length >= 0, true, `${source}: the 28-character input answers`)
  }
})

t.test('constructs RE2 cannot run are refused with PRESEND_UNSAFE_REGEX, naming the construct and what to write', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['(ab)\\1', /backreference \(\\1\).*write the repeated text out/],
    ['(?<w>a)\\k<w>', /named backreference.*write the repeated text out/],
    ['foo(?=bar)', /lookahead "\(\?=…\)".*match the following text as part of the pattern/],
    ['\\d{11}(?!\\d)', /lookahead "\(\?!…\)".*\\b for a word boundary/],
    ['(?<=(a+))b', /linear-time engine \(RE2: .*capture in lookbehind.*use \(\?:…\) rather than/],
    ['a{1001}', /repeat count.*at most 1000/],
  ]
  for (const [source, message] of cases) {
    let caught: unknown
    try {
      compileSafeRegExp(source, 'u', WHERE)
    } catch (err) {
      caught = err
    }
    t.ok(isPresendError(caught, 'PRESEND_UNSAFE_REGEX'), `${source} refused`)
    t.ok((caught as Error).message.startsWith(`${WHERE}: the regular expression /${source}/ `), 'names where and shows the pattern')
    t.match((caught as Error).message, message, 'says which construct and what to do')
  }
})

t.test('invalid syntax and flags are refused with PRESEND_INVALID_REGEX and the engine reason', async (t) => {
  t.throws(() => compileSafeRegExp('([a-z]', '', WHERE), {
    code: 'PRESEND_INVALID_REGEX',
    message: /^my-filter: options\.patterns\[1\]: \/\(\[a-z\]\/ with flags "" is not a valid JavaScript regular expression \(.+\); fix the syntax/,
  })
  t.throws(() => compileSafeRegExp('a', 'iq', WHERE), { code: 'PRESEND_INVALID_REGEX', message: /flags "iq"/ })
  for (const flag of ['y', 'd', 'v']) {
    t.throws(() => compileSafeRegExp('a', `g${flag}`, WHERE), { code: 'PRESEND_INVALID_REGEX', message: `${WHERE}: the flag "${flag}" of /a/ has no meaning on the linear-time engine; use only g, i, m, s and u.` })
  }
  const err = (() => {
    try {
      compileSafeRegExp('\\p{Nope}', 'u', WHERE)
    } catch (e) {
      return e as Error
    }
  })()
  t.ok(err?.cause instanceof SyntaxError, 'the SyntaxError is the cause')
  t.throws(() => compileSafeRegExp(42 as unknown as string, '', WHERE), { code: 'PRESEND_INVALID_REGEX', message: `${WHERE}: expected a regular expression as a string; got number.` })
  t.throws(() => compileSafeRegExp('a', null as unknown as string, WHERE), { code: 'PRESEND_INVALID_REGEX', message: /got object/ })
})

t.test('overlong patterns are refused, shown shortened', async (t) => {
  const long = `(?:${Array.from({ length: 600 }, (_, i) => `w${i}`).join('|')})`
  t.ok(long.length > MAX_REGEX_LENGTH)
  t.throws(() => compileSafeRegExp(long, '', WHERE), { code: 'PRESEND_INVALID_REGEX', message: /\/\(\?:w0\|w1.{60,}\.\.\.\/ is \d+ characters long/ })
})

t.test('codes are registered and the function is exported from presend', async (t) => {
  const codes = listErrorCodes().map((c) => c.code)
  t.ok(codes.includes('PRESEND_UNSAFE_REGEX'))
  t.ok(codes.includes('PRESEND_INVALID_REGEX'))
  t.equal(core.compileSafeRegExp, compileSafeRegExp)
})
