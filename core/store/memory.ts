/**
 * The memory store: the default, for one instance. Bounded: past `maxKeys` the least recently used key
 * goes, and expired keys go when met, so a flood of distinct senders cannot grow it without limit.
 * @module
 */
import type { Store, StoreOp, StoreResult } from './types.js'

interface Entry {
  expires: number
  /** A counter's window index, for `hit`. */
  window?: number
  count?: number
  value?: string
  /** Member → when last noted, for `distinct`. */
  members?: Map<string, number>
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The most keys kept; the least recently used goes first. Default 100000. */
  maxKeys?: number
  /** The clock, in ms since the epoch (tests pass their own). Default `Date.now`. */
  now?: () => number
}

/**
 * A store in this process's memory. Its answers come at once (no promise), so a plugin on it stays
 * synchronous.
 * @example const store = createMemoryStore({ maxKeys: 10000 })
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const maxKeys = options.maxKeys ?? 100_000
  const now = options.now ?? Date.now
  // A Map keeps insertion order: re-inserting a key on use makes the first key the least recently used.
  const entries = new Map<string, Entry>()

  function live(key: string, t: number): Entry | undefined {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    entries.delete(key)
    if (entry.expires <= t) return undefined
    entries.set(key, entry)
    return entry
  }
  function put(key: string, entry: Entry): void {
    entries.delete(key)
    entries.set(key, entry)
    if (entries.size > maxKeys) entries.delete(entries.keys().next().value as string)
  }

  function one(op: StoreOp, t: number): StoreResult {
    const entry = live(op.key, t)
    switch (op.op) {
      case 'hit': {
        const window = Math.floor(t / op.windowMs)
        if (entry?.window === window) return (entry.count = (entry.count as number) + 1)
        put(op.key, { expires: (window + 1) * op.windowMs, window, count: 1 })
        return 1
      }
      case 'distinct': {
        const members = entry?.members ?? new Map<string, number>()
        members.delete(op.member)
        members.set(op.member, t)
        // Members are in the order last noted, so the stale ones are at the front.
        for (const [member, at] of members) {
          if (at > t - op.windowMs) break
          members.delete(member)
        }
        put(op.key, { expires: t + op.windowMs, members })
        return members.size
      }
      case 'seen':
        if (entry === undefined) put(op.key, { expires: t + op.ttlMs, value: '1' })
        return entry !== undefined
      case 'get':
        return entry?.value
      case 'set':
        put(op.key, { expires: t + op.ttlMs, value: op.value })
        return true
    }
  }

  return {
    kind: 'memory',
    exec(ops) {
      const t = now()
      return ops.map((op) => one(op, t))
    },
    ping: () => Promise.resolve(),
    close() {
      entries.clear()
      return Promise.resolve()
    },
  }
}
