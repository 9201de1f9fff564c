/**
 * The Redis store: several presend instances share their counters. Each operation is atomic (a Lua script
 * or a single command), a batch is one pipeline (one round trip), keys carry a hash tag
 * (`{presend:rate-limit:sender:alice}`) so each key sits in one Redis Cluster slot, and a circuit breaker
 * makes a dead Redis cost microseconds per message instead of the timeout.
 *
 * This module imports `ioredis`; the SDK entry point does not, so an app without Redis never loads it.
 * @module
 */
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../logger.js'
import { silentLogger } from '../logger.js'
import { Breaker, type BreakerState } from './breaker.js'
import { StoreUnavailableError, type Store, type StoreOp, type StoreResult } from './types.js'

/** INCR and, on a window's first hit, its expiry: one atomic step, so no counter outlives its window. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`
/** Note a member, forget those older than the window, count the rest: a sliding distinct count. */
const DISTINCT = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('ZCARD', KEYS[1])`

/** What the store reports to metrics. */
export interface StoreObserver {
  /** One batch done: how long it took (seconds) and whether it failed (`error` names the kind of failure). */
  op?(seconds: number, error: 'timeout' | 'unavailable' | 'error' | undefined): void
  /** The breaker opened (`open`) or closed (`closed`). */
  state?(state: BreakerState): void
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string
  /** Put before every key, inside the hash tag. Default `presend:`. */
  keyPrefix?: string
  /** A batch not answered in this many ms fails (and counts toward opening the breaker). Default 50. */
  timeoutMs?: number
  /** Failures in a row that open the breaker. Default 3. */
  breakerFailures?: number
  /** How long the breaker stays open before a probe, in ms. Default 1000. */
  breakerRetryMs?: number
  /** Where the breaker's changes of state are logged (once each). */
  logger?: Logger
  /** Told each batch's duration and outcome, and each change of the breaker's state. */
  observer?: StoreObserver
  /** Extra ioredis options (tests; TLS settings). */
  redis?: RedisOptions
  /** The clock windows are counted on, in ms since the epoch (tests pass their own). Default `Date.now`. */
  now?: () => number
}

/** A Redis store with its client, for tests and `presend validate`. */
export interface RedisStore extends Store {
  readonly client: Redis
  /** The breaker's state now. */
  readonly state: BreakerState
}

interface Commands {
  presendHit(key: string, ttlMs: number): Promise<number>
  presendDistinct(key: string, now: number, member: string, windowMs: number): Promise<number>
}

/**
 * A store on Redis. Reconnects by itself; while Redis is away, calls fail (at once once the breaker is
 * open) and plugins on the store answer by their fault policy.
 * @example const store = createRedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'presend:' })
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const prefix = options.keyPrefix ?? 'presend:'
  const timeoutMs = options.timeoutMs ?? 50
  const log = options.logger ?? silentLogger
  const observer = options.observer ?? {}
  const now = options.now ?? Date.now
  const connectTimeout = options.redis?.connectTimeout ?? 2000
  const client = new Redis(options.url, {
    // Commands while disconnected fail at once instead of queueing past the message's deadline.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnect for ever, backing off to 1 s: Redis coming back is noticed within a second.
    retryStrategy: (times) => Math.min(times * 50, 1000),
    ...options.redis,
    connectTimeout,
  })
  // ioredis emits an error per failed reconnect; the breaker reports the outage once instead.
  client.on('error', () => {})
  client.defineCommand('presendHit', { numberOfKeys: 1, lua: HIT })
  client.defineCommand('presendDistinct', { numberOfKeys: 1, lua: DISTINCT })
  const breaker = new Breaker({
    failures: options.breakerFailures ?? 3,
    retryMs: options.breakerRetryMs ?? 1000,
    onChange(state, error) {
      observer.state?.(state)
      if (state === 'open') {
        log.error({ err: error }, `store: Redis is not answering (${(error as Error).message}); plugins on the store answer by their fault policy until it is back`)
      } else {
        log.info('store: Redis answers again')
      }
    },
  })

  const tag = (key: string) => `{${prefix}${key}}`

  function send(ops: readonly StoreOp[], t: number): Promise<Array<[Error | null, unknown]> | null> {
    const p = client.pipeline() as unknown as ReturnType<Redis['pipeline']> & Commands
    for (const op of ops) {
      switch (op.op) {
        case 'hit': {
          const window = Math.floor(t / op.windowMs)
          p.presendHit(`${tag(op.key)}:${window}`, (window + 1) * op.windowMs - t)
          break
        }
        case 'distinct':
          p.presendDistinct(tag(op.key), t, op.member, op.windowMs)
          break
        case 'seen':
          p.set(tag(op.key), '1', 'PX', op.ttlMs, 'NX')
          break
        case 'get':
          p.get(tag(op.key))
          break
        case 'set':
          p.set(tag(op.key), op.value, 'PX', op.ttlMs)
          break
      }
    }
    return p.exec()
  }

  function results(ops: readonly StoreOp[], replies: Array<[Error | null, unknown]>): StoreResult[] {
    return ops.map((op, i) => {
      const [err, value] = replies[i] as [Error | null, unknown]
      if (err !== null) throw err
      if (op.op === 'seen') return value === null
      if (op.op === 'get') return value === null ? undefined : (value as string)
      if (op.op === 'set') return true
      return value as number
    })
  }

  function exec(ops: readonly StoreOp[]): Promise<StoreResult[]> {
    if (!breaker.allow()) {
      observer.op?.(0, 'unavailable')
      return Promise.reject(new StoreUnavailableError('store: Redis is unavailable (circuit breaker open); retrying in the background'))
    }
    const started = performance.now()
    return new Promise<StoreResult[]>((resolve, reject) => {
      let settled = false
      const done = (err: Error | undefined, kind: 'timeout' | 'error' | undefined, out?: StoreResult[]) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (err === undefined) breaker.success()
        else breaker.failure(err)
        observer.op?.((performance.now() - started) / 1000, kind)
        if (err === undefined) resolve(out as StoreResult[])
        else reject(err)
      }
      const timer = setTimeout(() => done(new StoreUnavailableError(`store: Redis did not answer within ${timeoutMs} ms`), 'timeout'), timeoutMs)
      send(ops, now()).then(
        (replies) => {
          let out: StoreResult[]
          try {
            // exec() answers null only for an aborted MULTI, which a plain pipeline never is.
            out = results(ops, replies as Array<[Error | null, unknown]>)
          } catch (err) {
            return done(new StoreUnavailableError(`store: Redis refused a command: ${(err as Error).message}`, { cause: err }), 'error')
          }
          done(undefined, undefined, out)
        },
        (err: Error) => done(new StoreUnavailableError(`store: Redis failed: ${err.message}`, { cause: err }), 'error'),
      )
    })
  }

  return {
    kind: 'redis',
    client,
    get state() {
      return breaker.state
    },
    exec,
    async ping() {
      let timer: NodeJS.Timeout | undefined
      // As long as a connection may take to open, so a ping on a fresh store does not give up before it.
      const wait = Math.max(timeoutMs, connectTimeout)
      try {
        await Promise.race([
          (client.status === 'ready' ? Promise.resolve() : connected(client)).then(() => client.ping()),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${wait} ms`)), wait)
          }),
        ])
      } catch (err) {
        throw new StoreUnavailableError(`Redis at ${redactUrl(options.url)} is unreachable: ${(err as Error).message}`, { cause: err })
      } finally {
        clearTimeout(timer)
      }
    },
    async close() {
      client.disconnect()
    },
  }
}

/** Resolves when the client is ready; rejects with the first connection error (a refused connection, a bad host). */
function connected(client: Redis): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ready = () => {
      client.off('error', failed)
      resolve()
    }
    const failed = (err: Error) => {
      client.off('ready', ready)
      reject(err)
    }
    client.once('ready', ready)
    client.once('error', failed)
  })
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@')
}
