/**
 * The store the server's plugins share: memory by default, Redis when `store.redis` (or
 * `PRESEND_REDIS_URL`) names one. Made once per server, so it outlives reloads.
 * @module
 */
import type { Registry } from 'prom-client'
import type { Logger } from '../core/logger.js'
import { createMemoryStore, type Store } from '../core/store/index.js'
import { createRedisStore } from '../core/store/redis.js'
import type { PresendConfig } from './config.js'
import { createStoreMetrics } from './metrics.js'

/**
 * The store `config.store` describes, its Redis errors and latency recorded in `registry` when given.
 * @example const store = createStoreFromConfig(config.store, { logger: app.log })
 */
export function createStoreFromConfig(config: PresendConfig['store'], opts: { logger?: Logger; registry?: Registry | undefined } = {}): Store {
  if (config.redis === undefined) return createMemoryStore()
  return createRedisStore({
    url: config.redis,
    keyPrefix: config.keyPrefix,
    timeoutMs: config.timeoutMs,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.registry === undefined ? {} : { observer: createStoreMetrics(opts.registry) }),
  })
}
