/**
 * The store plugins share state in: the interface, the memory store and the per-plugin view. The Redis
 * store is `core/store/redis.ts`, imported only by whoever configures one, so the SDK loads no Redis client.
 * @module
 */
export * from './types.js'
export { createMemoryStore, type MemoryStoreOptions } from './memory.js'
export { namespaceStore, whenReady } from './namespace.js'
