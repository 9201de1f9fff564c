/**
 * Hints for an unknown key in a zod-validated object — the keys allowed there and a guess for a likely typo —
 * for `formatZodIssues` (plugin options, the server configuration). Internal: not re-exported.
 *
 * @module
 */
import { z } from 'zod'

/** `at: unknown key (did you mean "…"?); expected one of …` for `key`, an unknown key at `at`. */
export function unknownKey(at: string, key: string, allowed: readonly string[]): string {
  const guess = suggestKey(key, allowed)
  return `${at}: unknown key${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; expected one of ${allowed.join(', ')}`
}

/**
 * The keys an object schema allows at `issuePath` inside `schema` (array indices step into the element), or
 * undefined when the path leads through something other than objects and arrays (a record, a union, a lazy
 * or transformed schema): the caller then keeps zod's own message.
 */
export function keysAt(schema: z.ZodType, issuePath: readonly PropertyKey[]): string[] | undefined {
  let s: z.ZodType = schema
  for (const key of issuePath) {
    s = unwrap(s)
    if (typeof key === 'number' && s instanceof z.ZodArray) s = s.element as z.ZodType
    else if (typeof key === 'string' && s instanceof z.ZodObject && Object.hasOwn(s.shape, key)) s = s.shape[key] as z.ZodType
    else return undefined
  }
  const target = unwrap(s)
  return target instanceof z.ZodObject ? Object.keys(target.shape).filter((k) => k !== '$schema') : undefined
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema
  while (s instanceof z.ZodPrefault || s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType
  }
  return s
}

/** The allowed key (or name) closest to `key` when it is a likely typo (edit distance ≤ 2, or a case slip). */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost))
    }
    prev = row
  }
  return prev[b.length]!
}
