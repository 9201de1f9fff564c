// compileSafeRegExp: unsafe (super-linear) and invalid patterns are refused at load with a sentence naming
// where the pattern came from; safe ones compile to the RegExp asked for.
import t from 'tap'
import { compileSafeRegExp, MAX_REGEX_LENGTH, MAX_REGEX_QUANTIFIERS } from '../../core/safe-regex.js'
import { isPresendError, listErrorCodes } from '../../core/errors.js'
import * as core from '../../core/index.js'

const WHERE = 'my-filter: options.patterns[1]'

t.test('safe patterns compile with their flags', async (t) => {
  const cases: Array<[string, string]> = [
    ['^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', 'i'],
    ['(?<year>\\d{4})-(?<month>\\d{2})', ''],
    ['\\p{Script=Han}+', 'u'],
    ['(?<=@)\\w+', ''],
    ['(?<!\\d)\\d{11}(?!\\d)', 'g'],
    ['\\(?<=x', ''], // an optional literal "(" then "<=x": not a lookbehind
    ['red\\s*packet', 'iu'],
    ['', ''],
  ]
  for (const [source, flags] of cases) {
    const re = compileSafeRegExp(source, flags, WHERE)
    t.ok(re instanceof RegExp, `${source} compiles`)
    t.equal(re.source, new RegExp(source, flags).source)
    t.equal(re.flags, flags.split('').sort().join(''))
  }
  t.ok(compileSafeRegExp('2023-01', undefined, WHERE).test('2023-01'), 'flags default to none')
  t.equal(compileSafeRegExp('a').flags, '', 'where has a default')
  t.ok(compileSafeRegExp('(?<=a)b').test('ab'), 'lookbehind works in the compiled pattern')
})

t.test('nested quantifiers are refused with PRESEND_UNSAFE_REGEX naming where and what to do', async (t) => {
  for (const source of ['(a+)+$', '^(a*)*$', '(x+x+)+y', '(a*){2}', '([a-z]+\\s?)*!', '(?<=(a+)+)b', '(?<w>\\w+)*']) {
    let caught: unknown
    try {
      compileSafeRegExp(source, 'u', WHERE)
    } catch (err) {
      caught = err
    }
    t.ok(isPresendError(caught, 'PRESEND_UNSAFE_REGEX'), `${source} refused`)
    const message = (caught as Error).message
    t.ok(message.startsWith(`${WHERE}: `), 'names where the pattern came from')
    t.match(message, source.slice(0, 10), 'shows the pattern')
    t.match(message, /nested repetition/, 'says what to do')
  }
})

t.test(`more than ${MAX_REGEX_QUANTIFIERS} quantifiers are refused`, async (t) => {
  const ok = Array.from({ length: MAX_REGEX_QUANTIFIERS }, (_, i) => `x${i}?`).join('')
  t.ok(compileSafeRegExp(ok, '', WHERE))
  t.throws(() => compileSafeRegExp(`${ok}y?`, '', WHERE), { code: 'PRESEND_UNSAFE_REGEX' })
})

t.test('invalid syntax and flags are refused with PRESEND_INVALID_REGEX and the engine reason', async (t) => {
  t.throws(() => compileSafeRegExp('([a-z]', '', WHERE), {
    code: 'PRESEND_INVALID_REGEX',
    message: /^my-filter: options\.patterns\[1\]: \/\(\[a-z\]\/ with flags "" is not a valid JavaScript regular expression \(.+\); fix the syntax/,
  })
  t.throws(() => compileSafeRegExp('a', 'iq', WHERE), { code: 'PRESEND_INVALID_REGEX', message: /flags "iq"/ })
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

t.test('refusals come at load and cost nothing on a pathological input', async (t) => {
  // The refused pattern would take exponential time on this input; compileSafeRegExp never runs it.
  const started = performance.now()
  t.throws(() => compileSafeRegExp('^(a+)+$', '', WHERE))
  t.ok(performance.now() - started < 1000, 'refused far inside the 2 s budget')
})

t.test('codes are registered and the function is exported from presend', async (t) => {
  const codes = listErrorCodes().map((c) => c.code)
  t.ok(codes.includes('PRESEND_UNSAFE_REGEX'))
  t.ok(codes.includes('PRESEND_INVALID_REGEX'))
  t.equal(core.compileSafeRegExp, compileSafeRegExp)
})
