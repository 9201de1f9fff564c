// compileAcceptor: a quick yes only where zod says yes and hands back the value unchanged; zod decides the rest.
import t from 'tap'
import { deepStrictEqual } from 'node:assert'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { z } from 'zod'
import { compileAcceptor } from '../../core/acceptor.js'
import { parseRequest } from '../../core/protocol/index.js'
import { BEFORE_SEND_COMMANDS, KNOWN_MSG_TYPES, beforeSendRequestSchema } from '../../core/protocol/index.js'
import { requestFor, seedRequest, textElement } from '../../core/testing/index.js'
import { isPresendError } from '../../core/errors.js'

type Schema = z.core.$ZodType

/** What zod makes of `value`: its output when it accepts, else undefined. */
function zodOutput(schema: Schema, value: unknown): { data: unknown } | undefined {
  try {
    const result = z.safeParse(schema, value)
    return result.success ? { data: result.data } : undefined
  } catch {
    return undefined // e.g. a discriminated union with a value two options share throws when it parses
  }
}

/** Assert the acceptor's promise for one value: a yes means zod accepts and returns an equal value. */
function holds(schema: Schema, accepts: (v: unknown) => boolean, value: unknown): boolean {
  if (!accepts(value)) return true
  const out = zodOutput(schema, value)
  if (out === undefined) return false
  deepStrictEqual(out.data, value)
  return true
}

t.test('the documented bodies take the quick path, and parseRequest hands them back as they are', async (t) => {
  const accepts = compileAcceptor(beforeSendRequestSchema)
  const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'))
  const bodies: Array<[string, unknown]> = [
    ...['c2c-example.json', 'c2c-example-old.json', 'group-example.json', 'group-topic-example.json', 'all-elements.json'].map(
      (name): [string, unknown] => [name, fixture(name)],
    ),
    ...BEFORE_SEND_COMMANDS.map((command): [string, unknown] => [command, requestFor(command)]),
    ['seedRequest()', seedRequest()],
  ]
  for (const [name, body] of bodies) {
    t.ok(accepts(body), `${name}: the acceptor vouches for it`)
    t.ok(beforeSendRequestSchema.safeParse(body).success, `${name}: zod agrees`)
    t.equal(parseRequest(body), body, `${name}: parseRequest returns the body itself, not a copy`)
  }
})

t.test('what the acceptor cannot vouch for still goes through zod', async (t) => {
  const unknownType = { ...seedRequest(), MsgBody: [textElement('hi'), { MsgType: 'TIMStreamElem', MsgContent: { Chunks: [1] } }] }
  t.notOk(compileAcceptor(beforeSendRequestSchema)(unknownType), 'an element of an undocumented type: zod decides')
  const parsed = parseRequest(unknownType)
  t.not(parsed, unknownType, 'zod copied it')
  t.same(parsed, unknownType, 'and kept every field')

  const bad = { ...seedRequest(), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }] }
  const err = (() => {
    try {
      parseRequest(bad)
    } catch (caught) {
      return caught
    }
    return undefined
  })()
  t.ok(isPresendError(err) && err.code === 'PRESEND_INVALID_REQUEST', 'a bad body is refused with zod\'s reason')
  t.match((err as Error).message, /MsgBody/)
})

/** Values that break a schema: wrong types, NaN and infinities, an inherited key, nothing at all. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, NaN, Infinity, -0, '', '12', '-3.5', '1e5', 'TIMTextElem', 'C2C.CallbackBeforeSendMsg'),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null).map(() => Object.create({ Text: 'inherited' }) as unknown),
  fc.constant(null).map(() => new Date(0) as unknown),
)

/** Values shaped like what `schema` wants, with junk spliced in now and then at every level: many near-misses. */
function nearValues(schema: Schema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 30, arbitrary: shapedLike(schema) }, { weight: 1, arbitrary: junk })
}

function shapedLike(schema: Schema): fc.Arbitrary<unknown> {
  const def = schema._zod.def as unknown as {
    type: string
    checks?: unknown[]
    values?: unknown[]
    innerType: Schema
    element: Schema
    options: Schema[]
    shape: Record<string, Schema>
  }
  switch (def.type) {
    case 'string':
      // Strings with checks are the quoted numbers and the undocumented MsgType: give them something to judge.
      return (def.checks?.length ?? 0) > 0
        ? fc.oneof(fc.constantFrom('12', '-3.5', '0.25', '1e5', '12a', '', ...KNOWN_MSG_TYPES, 'TIMStreamElem'), fc.string({ maxLength: 4 }))
        : fc.string({ maxLength: 6 })
    case 'number':
      return fc.oneof(fc.integer(), fc.double())
    case 'literal':
      return fc.constantFrom(...def.values!)
    case 'optional':
      return fc.option(nearValues(def.innerType), { nil: undefined })
    case 'array':
      return fc.array(nearValues(def.element), { maxLength: 3 })
    case 'union':
      return fc.oneof(...def.options.map(nearValues))
    case 'object': {
      const keys = Object.keys(def.shape)
      const model: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(keys.map((key) => [key, nearValues(def.shape[key]!)]))
      model.Unlisted = fc.jsonValue({ maxDepth: 1 })
      const required = keys.filter((key) => (def.shape[key]!._zod.def as { type: string }).type !== 'optional')
      return fc.record(model, { requiredKeys: required, noNullPrototype: true })
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

t.test('property: whatever the acceptor vouches for, zod accepts and returns equal (before-send bodies)', async (t) => {
  const accepts = compileAcceptor(beforeSendRequestSchema)
  let yes = 0
  let no = 0
  fc.assert(
    fc.property(nearValues(beforeSendRequestSchema), (body) => {
      if (accepts(body)) yes++
      else no++
      return holds(beforeSendRequestSchema, accepts, body)
    }),
    { numRuns: 3000, seed: 20261127 },
  )
  t.ok(yes > 150, `bodies vouched for: ${yes} of 3000 (the property says something)`)
  t.ok(no > 150, `bodies left to zod: ${no} of 3000`)
})

t.test('each kind of schema: vouches exactly where zod accepts as is', async (t) => {
  const cases: Array<[string, Schema, unknown[], unknown[]]> = [
    // [name, schema, values it vouches for, values it leaves to zod]
    ['string', z.string(), ['', 'a'], [1, undefined, null]],
    ['string with a pattern', z.string().regex(/^\d+$/), ['12'], ['1a', 12]],
    ['number (zod refuses NaN and the infinities)', z.number(), [0, -1.5], [NaN, Infinity, '1']],
    ['literal of several values', z.literal(['a', 'b']), ['a', 'b'], ['c']],
    ['unknown', z.unknown(), [undefined, null, { a: 1 }], []],
    ['any', z.any(), [1], []],
    ['optional', z.string().optional(), [undefined, 'a'], [1]],
    ['array', z.array(z.number()), [[], [1, 2]], [[1, 'x'], { 0: 1 }]],
    ['union', z.union([z.number(), z.string()]), [1, 'a'], [true]],
    ['loose object', z.looseObject({ a: z.string(), b: z.number().optional() }), [{ a: 'x' }, { a: 'x', b: 1, extra: [1] }], [{ b: 1 }, { a: 1 }, [], null, 'a']],
    ['object without a prototype (zod copies it into a plain object)', z.looseObject({ a: z.string() }), [], [Object.assign(Object.create(null) as object, { a: 'x' })]],
    ['object whose key is inherited (zod copies it into a plain object)', z.looseObject({ a: z.string() }), [], [Object.create({ a: 'x' })]],
    ['class instance (zod copies it)', z.looseObject({}), [], [new (class Thing {})()]],
    ['key names needing quotes', z.looseObject({ 'we"ird\nkey': z.literal(1), '': z.string() }), [{ 'we"ird\nkey': 1, '': '' }], [{ 'we"ird\nkey': 2, '': '' }]],
    ['a required key of unknown type (zod wants it present)', z.looseObject({ a: z.unknown() }), [{ a: null }], [{}, { a: undefined }]],
    [
      'discriminated union',
      z.discriminatedUnion('k', [z.looseObject({ k: z.literal('a'), x: z.string() }), z.looseObject({ k: z.literal('b'), x: z.number() })]),
      [{ k: 'a', x: 's' }, { k: 'b', x: 1 }],
      [{ k: 'a', x: 1 }, { k: 'c', x: 1 }, { x: 's' }, 'a', Object.create({ k: 'a', x: 's' })],
    ],
  ]
  for (const [name, schema, vouched, left] of cases) {
    const accepts = compileAcceptor(schema)
    for (const value of vouched) {
      t.ok(accepts(value), `${name}: vouches for ${String(JSON.stringify(value))}`)
      t.ok(holds(schema, accepts, value), `${name}: zod agrees on ${String(JSON.stringify(value))}`)
    }
    for (const value of left) t.notOk(accepts(value), `${name}: leaves ${String(JSON.stringify(value))} to zod`)
  }
})

t.test('kinds it does not know, or knows only in part, are left to zod', async (t) => {
  const never: Array<[string, Schema, unknown]> = [
    ['a refinement', z.string().refine((s) => s !== 'x'), 'a'],
    ['a string format', z.email(), 'a@b.co'],
    ['a length check', z.string().min(1), 'a'],
    ['a global pattern (its state carries over between calls)', z.string().regex(/a/g), 'a'],
    ['a number check', z.number().int(), 1],
    ['an int', z.int(), 1],
    ['an array check', z.array(z.string()).min(1), ['a']],
    ['a transform', z.string().transform((s) => s.toUpperCase()), 'a'],
    ['a default', z.string().default('x'), 'a'],
    ['an optional default (zod fills it in)', z.string().default('x').optional(), undefined],
    ['an exact optional (present as undefined is refused)', z.looseObject({ a: z.string().exactOptional() }), { a: undefined }],
    ['an exclusive union', z.xor([z.string(), z.number()]), 'a'],
    ['a stripping object (zod drops unknown keys)', z.object({ a: z.string() }), { a: 'x' }],
    ['a strict object', z.strictObject({ a: z.string() }), { a: 'x' }],
    ['an object with a typed catch-all', z.object({}).catchall(z.string()), {}],
    ['a refined object', z.looseObject({}).refine(() => true), {}],
    ['a boolean', z.boolean(), true],
    ['a nullable', z.string().nullable(), null],
    [
      'a discriminated union of options it knows in part',
      z.discriminatedUnion('k', [
        z.looseObject({ k: z.literal('a'), v: z.string().refine(() => true) }),
        z.looseObject({ k: z.literal('b'), v: z.string().refine(() => true) }),
      ]),
      { k: 'b', v: 'x' },
    ],
    [
      'a discriminated union whose option names several values',
      z.discriminatedUnion('k', [z.looseObject({ k: z.literal(['a', 'b']) }), z.looseObject({ k: z.literal('c') })]),
      { k: 'c' },
    ],
    [
      'a discriminated union of unions',
      // zod takes a union of objects as an option, though its types do not say so.
      z.discriminatedUnion('k', [z.union([z.looseObject({ k: z.literal('a') }), z.looseObject({ k: z.literal('b') })]) as never]),
      { k: 'a' },
    ],
    [
      'a discriminated union whose options share a value (zod throws when it parses)',
      z.discriminatedUnion('k', [z.looseObject({ k: z.literal('a') }), z.looseObject({ k: z.literal('a'), x: z.string() })]),
      { k: 'a', x: 's' },
    ],
  ]
  for (const [name, schema, value] of never) {
    t.notOk(compileAcceptor(schema)(value), name)
    t.ok(holds(schema, compileAcceptor(schema), value), `${name}: sound`)
  }
})

t.test('a schema that contains itself is left to zod where it recurs', async (t) => {
  const Category = z.looseObject({
    name: z.string(),
    get children() {
      return z.array(Category).optional()
    },
  })
  const accepts = compileAcceptor(Category)
  t.ok(accepts({ name: 'a' }), 'no children: vouched for')
  t.ok(accepts({ name: 'a', children: [] }), 'no children either')
  t.notOk(accepts({ name: 'a', children: [{ name: 'b' }] }), 'a child: zod decides')
  t.ok(Category.safeParse({ name: 'a', children: [{ name: 'b' }] }).success)
})

t.test('a union stops at the first option it knows only in part: zod might take that one, and change the value', async (t) => {
  const upper = z.union([z.string().transform((s) => s.toUpperCase()), z.string()])
  t.notOk(compileAcceptor(upper)('ab'), 'zod answers "AB": the second option must not vouch for "ab"')
  t.equal(z.parse(upper, 'ab'), 'AB')
  const partOnly = z.union([z.number(), z.string().refine((s) => s.length > 1), z.string()])
  const accepts = compileAcceptor(partOnly)
  t.ok(accepts(1), 'an option before it still vouches')
  t.notOk(accepts('a'), 'an option after it does not')
  // The partial option inside an array, an optional and a discriminated union is partial there too.
  for (const wrap of [
    (s: Schema) => z.array(s as z.ZodType),
    (s: Schema) => (s as z.ZodType).optional(),
    (s: Schema) => z.discriminatedUnion('k', [z.looseObject({ k: z.literal('a'), v: s as z.ZodType })]),
    (s: Schema) => z.looseObject({ v: s as z.ZodType }),
  ]) {
    const outer = z.union([wrap(z.string().refine(() => true)), wrap(z.string())])
    const value = [['a'], 'a', { k: 'a', v: 'a' }, { v: 'a' }]
    t.notOk(value.some((v) => compileAcceptor(outer)(v)), `${String(wrap).slice(0, 40)}…: no option after it vouches`)
  }
})

t.test('without code generation (node --disallow-code-generation-from-strings) objects are checked by a loop', async (t) => {
  const schema = z.looseObject({ a: z.string(), b: z.unknown(), c: z.number().optional() })
  const real = globalThis.Function
  let accepts: (v: unknown) => boolean
  globalThis.Function = function () {
    throw new EvalError('Code generation from strings disallowed for this context')
  } as unknown as FunctionConstructor
  try {
    accepts = compileAcceptor(schema)
  } finally {
    globalThis.Function = real
  }
  t.ok(accepts({ a: 'x', b: null }))
  t.ok(accepts({ a: 'x', b: 0, c: 1 }))
  t.notOk(accepts({ a: 'x' }), 'the required key of unknown type is missing')
  t.notOk(accepts({ a: 'x', b: 1, c: 'no' }))
  t.notOk(accepts([]))

  // And the real flag, on the built package: the body parses, valid or not.
  const pipeline = fileURLToPath(new URL('../../dist/core/protocol/index.js', import.meta.url))
  const script = `
    const { parseRequest } = await import(${JSON.stringify(pipeline)})
    const body = { CallbackCommand: 'C2C.CallbackBeforeSendMsg', From_Account: 'a', To_Account: 'b', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] }
    let refused = ''
    try { parseRequest({ ...body, MsgBody: 1 }) } catch (err) { refused = err.code }
    console.log(JSON.stringify({ same: parseRequest(body) === body, refused }))`
  const child = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' })
  t.equal(child.status, 0, child.stderr)
  t.same(JSON.parse(child.stdout), { same: true, refused: 'PRESEND_INVALID_REQUEST' })
})
