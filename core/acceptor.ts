/**
 * A quick yes for values a zod schema would accept unchanged, compiled from the schema itself.
 *
 * zod validates a callback body in about 0.6 µs and copies it on the way (about 2.4 KB a request), when the
 * body is almost always valid and zod's copy equals it. {@link compileAcceptor} walks the schema once and
 * builds a predicate that answers `true` only when it is sure zod would accept the value and hand back an
 * equal one. Every kind of schema it does not know exactly (a refinement, a transform, a default, a length
 * check, a string format, an object that drops or refuses unknown keys, any zod class it has not met…)
 * answers `false`, and the caller then asks zod, which decides and words the error. So the schema stays the
 * one source of truth; the acceptor only knows how to read part of it. `test/core/acceptor.test.ts` holds it
 * to that: whatever it accepts, zod accepts and returns equal.
 * @module
 */
import type { z } from 'zod'

/** `true`: zod accepts `value` and returns a value equal to it. `false`: ask zod. */
export type Acceptor = (value: unknown) => boolean

type Schema = z.core.$ZodType

/** The parts of a zod schema definition the acceptor reads (zod 4's `schema._zod.def`). */
interface Def {
  readonly checks?: ReadonlyArray<{ readonly _zod: { readonly def: { readonly check: string; readonly format?: string; readonly pattern?: RegExp } } }>
  readonly values?: readonly unknown[]
  readonly innerType?: Schema
  readonly element?: Schema
  readonly options?: readonly Schema[]
  readonly shape?: Readonly<Record<string, Schema>>
  readonly catchall?: Schema
  readonly discriminator?: string
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def
}

/**
 * The zod core classes a schema is made of, e.g. `$ZodOptional`, or `$ZodExactOptional $ZodOptional` for an
 * exact optional: a subclass (a string format, an exclusive union) has its own name in the list, so it
 * never passes for the class it extends.
 */
function kindOf(schema: Schema): string {
  return [...schema._zod.traits].filter((trait) => trait.startsWith('$Zod') && trait !== '$ZodType').sort().join(' ')
}

/**
 * Acceptors that know only part of their schema: they may answer `false` for a value zod accepts. The others
 * answer `false` only when zod refuses, so a union may go on to its next option after them (zod takes the
 * first option that accepts, and that must be the one that vouched).
 */
const partial = new WeakSet<Acceptor>()

function markPartial(acceptor: Acceptor, isPartial = true): Acceptor {
  if (isPartial) partial.add(acceptor)
  return acceptor
}

const never: Acceptor = markPartial(() => false)
const always: Acceptor = () => true

/**
 * An object as JSON.parse makes them. zod takes others too (class instances, objects without a prototype or
 * whose keys are inherited) but copies them into plain objects, which are then not what it was given: those
 * go to zod.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/** A string's checks, when each is a regular expression (`.regex()`); undefined for any other check. */
function patternsOf(def: Def): RegExp[] | undefined {
  const patterns: RegExp[] = []
  for (const check of def.checks ?? []) {
    const c = check._zod.def
    // A global or sticky expression carries state between tests: zod's answer could depend on the last call.
    if (c.check !== 'string_format' || c.format !== 'regex' || !(c.pattern instanceof RegExp) || c.pattern.global || c.pattern.sticky) {
      return undefined
    }
    patterns.push(c.pattern)
  }
  return patterns
}

/** The one value of a literal schema, or undefined when `schema` is not a literal of exactly one value. */
function onlyValue(schema: Schema | undefined): { value: unknown } | undefined {
  if (schema === undefined || kindOf(schema) !== '$ZodLiteral') return undefined
  const values = defOf(schema).values!
  return values.length === 1 ? { value: values[0] } : undefined
}

/**
 * Compile `schema` (a zod 4 schema) into an {@link Acceptor}.
 * @example
 * const accepts = compileAcceptor(z.looseObject({ Text: z.string() }))
 * accepts({ Text: 'hi', Lang: 'en' }) // true
 * accepts({ Text: 5 })                // false: zod decides (and refuses)
 */
export function compileAcceptor(schema: Schema): Acceptor {
  // A schema that contains itself (through a getter in its shape) is left to zod where it recurs.
  if (compiling.has(schema)) return never
  compiling.add(schema)
  try {
    return compileSchema(schema)
  } finally {
    compiling.delete(schema)
  }
}

/** The schemas being compiled, outermost first. */
const compiling = new Set<Schema>()

function compileSchema(schema: Schema): Acceptor {
  const def = defOf(schema)
  const kind = kindOf(schema)
  // Checks are understood on strings only (regular expressions); anywhere else they send the value to zod.
  if (kind !== '$ZodString' && (def.checks?.length ?? 0) > 0) return never
  switch (kind) {
    case '$ZodString': {
      const patterns = patternsOf(def)
      if (patterns === undefined) return never
      if (patterns.length === 0) return (v) => typeof v === 'string'
      return (v) => {
        if (typeof v !== 'string') return false
        for (const p of patterns) if (!p.test(v)) return false
        return true
      }
    }
    case '$ZodNumber':
      // zod refuses NaN and the infinities.
      return (v) => typeof v === 'number' && Number.isFinite(v)
    case '$ZodLiteral': {
      const values = def.values!
      return (v) => values.includes(v)
    }
    case '$ZodUnknown':
    case '$ZodAny':
      return always
    case '$ZodOptional': {
      // An optional default fills in its value where there is none: not the value zod was given.
      if ((def.innerType!._zod as { optin?: string }).optin === 'defaulted') return never
      const inner = compileAcceptor(def.innerType!)
      return markPartial((v) => v === undefined || inner(v), partial.has(inner))
    }
    case '$ZodArray': {
      const element = compileAcceptor(def.element!)
      const accepts: Acceptor = (v) => {
        if (!Array.isArray(v)) return false
        for (const item of v) if (!element(item)) return false
        return true
      }
      return markPartial(accepts, partial.has(element))
    }
    case '$ZodUnion': {
      // zod takes the first option that accepts: an option may be passed over only when its "no" is zod's.
      const options = def.options!.map((option) => compileAcceptor(option))
      const upTo = options.findIndex((option) => partial.has(option))
      const tried = upTo < 0 ? options : options.slice(0, upTo + 1)
      return markPartial((v) => {
        for (const option of tried) if (option(v)) return true
        return false
      }, upTo >= 0)
    }
    case '$ZodDiscriminatedUnion $ZodUnion':
      return discriminatedAcceptor(def.discriminator!, def.options!)
    case '$ZodObject $ZodObjectJIT':
      // Only an object that keeps unknown keys as they are (`z.looseObject`) returns a value equal to its input.
      if (def.catchall === undefined || kindOf(def.catchall) !== '$ZodUnknown') return never
      return objectAcceptor(def.shape!)
    default:
      return never
  }
}

/**
 * A discriminated union's acceptor: the option named by the value of `key` decides, as in zod. Only for
 * options that are objects whose `key` is a literal of one value, each its own; otherwise zod decides.
 */
function discriminatedAcceptor(key: string, schemas: readonly Schema[]): Acceptor {
  const byTag = new Map<unknown, Acceptor>()
  let anyPartial = false
  for (const schema of schemas) {
    const tag = onlyValue(kindOf(schema) === '$ZodObject $ZodObjectJIT' ? defOf(schema).shape![key] : undefined)
    // zod throws on a value two options share (when it parses, not when the union is made).
    if (tag === undefined || byTag.has(tag.value)) return never
    const accepts = compileAcceptor(schema)
    anyPartial ||= partial.has(accepts)
    byTag.set(tag.value, accepts)
  }
  return markPartial((v) => isPlainObject(v) && (byTag.get(v[key])?.(v) ?? false), anyPartial)
}

/**
 * A JavaScript expression that is true when the variable `x` holds a value `schema` accepts: the simple
 * kinds written out, anything else a call to `accepts` (its compiled acceptor), passed in `consts`.
 */
function test(schema: Schema, accepts: Acceptor, x: string, consts: unknown[]): string {
  const ref = (value: unknown): string => `c[${consts.push(value) - 1}]`
  const def = defOf(schema)
  const kind = kindOf(schema)
  if (accepts !== never && (def.checks?.length ?? 0) === 0) {
    if (kind === '$ZodString') return `typeof ${x} === 'string'`
    if (kind === '$ZodNumber') return `typeof ${x} === 'number' && Number.isFinite(${x})`
    const only = onlyValue(schema)
    if (only !== undefined) return `${x} === ${ref(only.value)}`
    if (kind === '$ZodOptional') {
      const inner = def.innerType!
      return `(${x} === undefined || ${test(inner, compileAcceptor(inner), x, consts)})`
    }
  }
  return `${ref(accepts)}(${x})`
}

/**
 * A loose object's acceptor, generated as one function that reads each key by its name (`v["MsgSeq"]`):
 * a loop over the keys reads them by a variable name, which V8 cannot specialise, and took several times as
 * long. Keys enter the source as JSON strings; every other value is passed in, never written as source.
 * Where code generation is off (`node --disallow-code-generation-from-strings`), the loop serves.
 */
function objectAcceptor(shape: Readonly<Record<string, Schema>>): Acceptor {
  const entries = Object.entries(shape)
  const fields = entries.map(([, field]) => compileAcceptor(field))
  // zod wants a key that is not optional present, even when its schema takes anything (`z.unknown()`);
  // present as undefined is rare enough to leave to zod.
  const required = entries.map(([, field], i) => kindOf(field) !== '$ZodOptional' && fields[i]!(undefined))
  const isPartial = fields.some((field) => partial.has(field)) || required.includes(true)
  const consts: unknown[] = []
  const body = entries
    .map(([key, field], i) => {
      const check = `${required[i] ? `f${i} !== undefined && ` : ''}${test(field, fields[i]!, `f${i}`, consts)}`
      return `  const f${i} = v[${JSON.stringify(key)}]\n  if (!(${check})) return false\n`
    })
    .join('')
  let accepts: Acceptor
  try {
    const make = new Function('isPlainObject', 'c', `return function acceptObject(v) {\n  if (!isPlainObject(v)) return false\n${body}  return true\n}`)
    accepts = make(isPlainObject, consts) as Acceptor
  } catch {
    accepts = (v) => {
      if (!isPlainObject(v)) return false
      for (let i = 0; i < entries.length; i++) {
        const value = v[entries[i]![0]]
        if ((required[i] && value === undefined) || !fields[i]!(value)) return false
      }
      return true
    }
  }
  return markPartial(accepts, isPartial)
}
