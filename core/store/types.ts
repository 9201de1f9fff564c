/**
 * The shared store plugins keep state in: the few atomic operations moderation needs (a windowed counter,
 * a distinct counter, "seen before" with a TTL, get and set with a TTL), behind one interface with two
 * implementations, memory (the default, one instance) and Redis (several instances sharing state).
 * @module
 */
import { PresendError } from '../errors.js'

/** Count this call in the fixed window of `windowMs` that contains now: the count so far in that window. */
export interface HitOp {
  readonly op: 'hit'
  readonly key: string
  readonly windowMs: number
}
/** Note `member` under `key`: how many distinct members were noted in the last `windowMs` (sliding). */
export interface DistinctOp {
  readonly op: 'distinct'
  readonly key: string
  readonly member: string
  readonly windowMs: number
}
/** Mark `key` seen for `ttlMs`: true when it was already seen (and not expired), false the first time. */
export interface SeenOp {
  readonly op: 'seen'
  readonly key: string
  readonly ttlMs: number
}
/** Read `key`: its value, or `undefined` when absent or expired. */
export interface GetOp {
  readonly op: 'get'
  readonly key: string
}
/** Write `value` under `key` for `ttlMs`. Answers `true`. */
export interface SetOp {
  readonly op: 'set'
  readonly key: string
  readonly value: string
  readonly ttlMs: number
}

/** One store operation; a batch of them is one round trip. */
export type StoreOp = HitOp | DistinctOp | SeenOp | GetOp | SetOp

/** What each operation answers, in the order of the batch. */
export type StoreResult = number | boolean | string | undefined

/** A value or a promise of it: the memory store answers at once, so a plugin on it stays synchronous. */
export type MaybePromise<T> = T | Promise<T>

/**
 * A store backend: runs a batch of operations on fully named keys. Each operation is atomic; a batch is
 * one round trip (not a transaction: its operations are on independent keys).
 */
export interface Store {
  /** `memory` or `redis`: what `presend validate` and the logs name. */
  readonly kind: string
  /** Run `ops`, answering one result per op. Rejects (never throws) when the store cannot answer. */
  exec(ops: readonly StoreOp[]): MaybePromise<StoreResult[]>
  /** Resolves when the store answers, rejects with a sentence saying why not (for `presend validate`). */
  ping(): Promise<void>
  /** Free the store's resources (timers, connections). */
  close(): Promise<void>
}

/**
 * A plugin's view of the store, its keys namespaced by the plugin's name in the pipeline, so two plugins
 * (or one plugin twice under two names) never share a key. Each method is one atomic operation; `batch`
 * runs several in one round trip.
 *
 * @example
 * const count = await env.store.hit(`sender:${ctx.from}`, 1000)
 * if (count > 5) return reject({ info: 'You are sending messages too fast' })
 */
export interface PluginStore {
  /** The windowed counter: this call counted, the count in the current fixed window of `windowMs`. */
  hit(key: string, windowMs: number): MaybePromise<number>
  /** Distinct members noted under `key` in the last `windowMs`, this one included. */
  distinct(key: string, member: string, windowMs: number): MaybePromise<number>
  /** True when `key` was seen in the last `ttlMs` (and marks it seen now). */
  seen(key: string, ttlMs: number): MaybePromise<boolean>
  /** The value under `key`, or `undefined`. */
  get(key: string): MaybePromise<string | undefined>
  /** Store `value` under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): MaybePromise<void>
  /** Several operations in one round trip; results in the order of `ops`. */
  batch(ops: readonly StoreOp[]): MaybePromise<StoreResult[]>
}

/**
 * A store that cannot answer now (down, slow, or its circuit breaker open), code
 * `PRESEND_STORE_UNAVAILABLE`: the plugin that asked faults, and its fault policy answers.
 */
export class StoreUnavailableError extends PresendError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PRESEND_STORE_UNAVAILABLE', message, options)
    this.name = 'StoreUnavailableError'
  }
}
