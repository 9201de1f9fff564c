/**
 * `presend validate`: load the configuration, resolve and build every plugin, and list them in run order.
 *
 * @module
 */
import { loadConfig } from '../config.js'
import { redactUrl } from '../../core/store/redis.js'
import { createPipelineFromConfig, resolvePlugin } from '../resolve.js'
import { createStoreFromConfig } from '../store.js'
import { CONFIG_OPTION, loadOptions, type CliCommand } from './command.js'
import { EXIT } from './io.js'

/**
 * The `validate` command.
 * @example await validateCommand.run({ values: { config: 'presend.config.json' }, positionals: [], argv: [] }, defaultIO())
 */
export const validateCommand: CliCommand = {
  summary: 'load the configuration, build every plugin, and list them',
  help: `Usage: presend validate [--config FILE]

Load the configuration, resolve every plugin, check every plugin's options and build the pipeline,
then list the plugins in run order. Exits 3 with the reason when anything is wrong. A Redis store
(store.redis or PRESEND_REDIS_URL) it cannot reach is a warning: the server would start, and its
plugins on the store would answer by their fault policy until Redis answers.

Options:
  -c, --config FILE  configuration file (default: presend.config.json in the working directory)
  -h, --help         show this help
`,
  options: CONFIG_OPTION,
  positionals: false,
  async run({ values }, cli) {
    const loaded = await loadConfig(loadOptions(values, cli))
    const pipeline = await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })
    await pipeline.close()
    const { config } = loaded
    const lines = [
      `config:   ${loaded.file ?? 'embedded default (no presend.config.json found)'}`,
      `server:   http://${config.server.host}:${config.server.port}${config.server.path}  auth: ${config.auth.token === undefined ? 'none (set PRESEND_TOKEN or auth.token in production)' : 'token'}${config.sdkAppId === undefined ? '' : `  sdkAppId: ${config.sdkAppId}`}`,
      `pipeline: deadline ${config.pipeline.deadlineMs} ms, on fault ${config.pipeline.onFault}`,
      `store:    ${await describeStore(config.store)}`,
      `plugins (${pipeline.names.length}, in run order):`,
    ]
    let n = 0
    for (const item of config.plugins) {
      // Resolved again only to show descriptions: the imports are cached, so this costs nothing worth noting.
      const plugins = await resolvePlugin(item.use, { baseDir: loaded.baseDir })
      for (const plugin of plugins) {
        const name = pipeline.names[n++]
        const from = item.use === name ? '' : `  (use: ${item.use})`
        lines.push(`  ${n}. ${name}${plugin.description === undefined ? '' : ` — ${plugin.description}`}${from}`)
      }
    }
    lines.push('OK: the configuration is valid.')
    cli.stdout.write(`${lines.join('\n')}\n`)
    return EXIT.OK
  },
}

/** The store line: memory, or the Redis URL (password hidden) and whether it answers. */
async function describeStore(config: Parameters<typeof createStoreFromConfig>[0]): Promise<string> {
  if (config.redis === undefined) return 'memory (one instance; set store.redis to share state between instances)'
  const store = createStoreFromConfig(config)
  const answer = await store.ping().then(
    () => ' (answers)',
    (err: Error) => `\nWARNING: ${err.message}; plugins on the store will answer by their fault policy until it answers`,
  )
  await store.close()
  return `redis ${redactUrl(config.redis)}${answer}`
}
