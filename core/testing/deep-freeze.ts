/**
 * Deep freezing, so a test proves a plugin never mutates its input: a write to a frozen message throws.
 *
 * @module
 */

/**
 * Freeze `value` and everything reachable from it; tests use it to prove plugins never mutate input.
 * @example const request = deepFreeze(c2cRequest({ text: 'hi' }))
 */
export function deepFreeze<T>(value: T): T {
  freezeAll(value, new WeakSet())
  return value
}

// Walks into objects that are already frozen too: a shallow-frozen element (e.g. a shared constant) may
// still hold mutable children. `seen` stops cycles.
function freezeAll(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return
  seen.add(value)
  Object.freeze(value)
  for (const key of Reflect.ownKeys(value)) freezeAll((value as Record<PropertyKey, unknown>)[key], seen)
}
