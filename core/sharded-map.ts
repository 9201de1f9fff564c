/**
 * A string-keyed map for build-time tables of hundreds of thousands of entries. A `Map` rehashes every
 * entry in one go when it grows, and at that size one insertion holds the event loop far longer than a
 * reload's slice may (see RELIABILITY.md, "Reload never blocks serving"); split over shards, a growing
 * shard rehashes a small part.
 *
 * @module
 */

/** Shards: at a million keys each still holds a few thousand. */
const SHARDS = 256

/**
 * A `Map<string, V>` split over {@link SHARDS} maps by a hash of the key. Iterate it shard by shard:
 * deterministic, though not insertion order overall.
 * @example
 * const byKey = new ShardedMap<number[]>()
 * byKey.set('spam', [0])
 * byKey.get('spam') // [0]
 */
export class ShardedMap<V> {
  readonly #shards: Array<Map<string, V>> = Array.from({ length: SHARDS }, () => new Map<string, V>())

  /** The shard of `key`: a few of its code units and its length, mixed. */
  #shard(key: string): Map<string, V> {
    const n = key.length
    let h = Math.imul(n, 0x9e3779b1)
    if (n > 0) h = Math.imul(h ^ key.charCodeAt(0), 0x85ebca6b) ^ Math.imul(key.charCodeAt(n - 1), 0xc2b2ae35)
    if (n > 2) h = Math.imul(h ^ key.charCodeAt(1), 0x27d4eb2f) ^ key.charCodeAt(n - 2)
    return this.#shards[(h ^ (h >>> 15) ^ (h >>> 23)) & (SHARDS - 1)] as Map<string, V>
  }

  get size(): number {
    let n = 0
    for (const shard of this.#shards) n += shard.size
    return n
  }

  has(key: string): boolean {
    return this.#shard(key).has(key)
  }

  get(key: string): V | undefined {
    return this.#shard(key).get(key)
  }

  set(key: string, value: V): this {
    this.#shard(key).set(key, value)
    return this
  }

  /** The shards, to iterate with each `Map`'s own (fast) iterator: keys in a shard are in insertion order. */
  shards(): ReadonlyArray<ReadonlyMap<string, V>> {
    return this.#shards
  }
}
