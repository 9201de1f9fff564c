/**
 * `presend/server`: the bundled callback server — a Fastify plugin to mount the callback route into any
 * Fastify 5 app, `buildServer()` for the standalone server, its configuration and plugin resolution, the
 * moderation console, the Redis store and Tencent's request signature. The route's parser, the metrics and
 * `presend check`'s inspection are imported from their own modules inside presend, and may change in any release.
 *
 * @example
 * import { buildServer, loadConfig } from 'presend/server'
 * const { config, baseDir } = await loadConfig()
 * const app = await buildServer(config, { baseDir })
 * await app.listen({ host: config.server.host, port: config.server.port })
 * @module
 */
export {
  presendPlugin,
  type PresendPluginOptions,
  type PresendControl,
  type CallbackHandler,
  type CallbackObserver,
  type HandlerContext,
} from './fastify-plugin.js'
export { buildServer, type BuildServerOptions, type PresendServer, type ReloadResult, type ServerControl } from './app.js'
export { checkAuth, computeSign, type AuthSettings, type AuthFailure } from './auth.js'
export type { PresendMetrics } from './metrics.js'
export type { ErrorReply } from './http-errors.js'
export { loadConfig, configSchema, defaultConfig, type PresendConfig, type PluginConfig, type LoadConfigOptions, type LoadedConfig } from './config.js'
export { createPipelineFromConfig, resolvePlugin, type PipelineFromConfigOptions } from './resolve.js'
export { createStoreFromConfig } from './store.js'
export { createStoreMetrics } from './metrics.js'
export { createRedisStore, type RedisStore, type RedisStoreOptions, type StoreObserver } from '../core/store/redis.js'
export { consolePlugin, type ConsoleOptions, type ConsolePluginEntry, type ConsoleReloadResult } from './console/index.js'
