/**
 * A plugin's view of a store: its keys prefixed with its name in the pipeline, and one method per operation.
 * @module
 */
import type { MaybePromise, PluginStore, Store, StoreOp, StoreResult } from './types.js'

/** Apply `f` to a value or, once it settles, to a promise of one: a synchronous store stays synchronous. */
export function whenReady<T, U>(value: MaybePromise<T>, f: (value: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value)
}

/**
 * The view of `store` a plugin named `name` gets as `env.store`.
 * @example const store = namespaceStore(createMemoryStore(), 'rate-limit')
 */
export function namespaceStore(store: Store, name: string): PluginStore {
  const prefix = `${name}:`
  const batch = (ops: readonly StoreOp[]): MaybePromise<StoreResult[]> => {
    const named = ops.map((op) => ({ ...op, key: prefix + op.key }))
    try {
      return store.exec(named)
    } catch (err) {
      return Promise.reject(err as Error)
    }
  }
  const first = <T>(op: StoreOp): MaybePromise<T> => whenReady(batch([op]), (r) => r[0] as T)
  return Object.freeze({
    hit: (key: string, windowMs: number) => first<number>({ op: 'hit', key, windowMs }),
    distinct: (key: string, member: string, windowMs: number) => first<number>({ op: 'distinct', key, member, windowMs }),
    seen: (key: string, ttlMs: number) => first<boolean>({ op: 'seen', key, ttlMs }),
    get: (key: string) => first<string | undefined>({ op: 'get', key }),
    set: (key: string, value: string, ttlMs: number) => whenReady(batch([{ op: 'set', key, value, ttlMs }]), () => undefined),
    batch,
  })
}
