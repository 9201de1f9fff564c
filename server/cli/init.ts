/**
 * `presend init`: write a starter `presend.config.json` in the working directory — the embedded default made
 * explicit, with a `$schema` line so an editor completes and checks it from the first keystroke.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PresendError } from '../../core/errors.js'
import { CONFIG_FILE_NAMES, defaultConfig } from '../config.js'
import type { CliCommand } from './command.js'
import { EXIT } from './io.js'
import { PACKAGE_ROOT } from './package-info.js'

/** Where the schema sits inside the presend package. */
const SCHEMA_IN_PACKAGE = 'dist/config.schema.json'

/**
 * The `$schema` value for a config in `dir`: presend installed next to it when it is (the path every machine
 * with that install shares), else the running presend's own copy, relative to `dir`.
 *
 * @example schemaPath('/srv/presend') // './node_modules/presend/dist/config.schema.json'
 */
export function schemaPath(dir: string, packageRoot = PACKAGE_ROOT): string {
  const installed = path.join('node_modules', 'presend', SCHEMA_IN_PACKAGE)
  const target = existsSync(path.join(dir, installed)) ? installed : path.relative(dir, path.join(packageRoot, SCHEMA_IN_PACKAGE))
  const posix = target.split(path.sep).join('/')
  return posix.startsWith('../') || path.isAbsolute(target) ? posix : `./${posix}`
}

/**
 * The starter configuration: the embedded default's settings, written out so each can be changed in place.
 * @example JSON.stringify(starterConfig('./node_modules/presend/dist/config.schema.json'), null, 2)
 */
export function starterConfig(schema: string): Record<string, unknown> {
  const { server, auth, pipeline, plugins, logging } = defaultConfig
  return {
    $schema: schema,
    server: { host: server.host, port: server.port, path: server.path },
    auth: { maxSkewSeconds: auth.maxSkewSeconds },
    pipeline: { ...pipeline },
    plugins: plugins.map((p) => ({ ...p })),
    logging: { level: logging.level },
  }
}

/**
 * The `init` command.
 * @example await initCommand.run({ values: { force: false }, positionals: [], argv: [] }, defaultIO())
 */
export const initCommand: CliCommand = {
  summary: 'write a starter presend.config.json in this folder',
  help: `Usage: presend init [--force]

Write a starter presend.config.json in the working directory: the embedded default (port 8080, profanity
with the bundled lists, then links) written out, with a "$schema" line so editors complete and check it.
Refuses to replace an existing presend.config.json (or .mjs / .js) unless --force is given.

Options:
  -f, --force  overwrite an existing presend.config.json
  -h, --help   show this help
`,
  options: { force: { type: 'boolean', short: 'f' } },
  positionals: false,
  async run({ values }, cli) {
    const file = path.join(cli.cwd, CONFIG_FILE_NAMES[0])
    const existing = CONFIG_FILE_NAMES.map((name) => path.join(cli.cwd, name)).find((candidate) => existsSync(candidate))
    if (existing !== undefined && !(values.force === true && existing === file)) {
      const why =
        existing === file
          ? 'give --force to overwrite it'
          : `presend reads ${CONFIG_FILE_NAMES[0]} before it, so a new file would silently replace it; edit it, or remove it first`
      throw new PresendError('PRESEND_FILE_EXISTS', `${existing} already exists; ${why}.`)
    }
    await writeFile(file, `${JSON.stringify(starterConfig(schemaPath(cli.cwd)), null, 2)}\n`)
    cli.stdout.write(`wrote ${file}
Next:
  set the callback token from the Chat console in PRESEND_TOKEN (or auth.token)
  presend validate   check the configuration and list the plugins
  presend serve      serve it (npm start in a presend checkout)
`)
    return EXIT.OK
  },
}
