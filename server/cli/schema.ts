/**
 * `presend schema`: print the JSON Schema of `presend.config.json` — the one shipped as
 * `presend/config.schema.json` — or, with `--config`, that schema plus the option schemas of the filter packs
 * and plugin files that config names, for an editor to check pack options too.
 *
 * @module
 */
import type { AnyPlugin } from '../../core/plugin.js'
import { configJsonSchema } from '../config-schema.js'
import { loadConfig } from '../config.js'
import { resolvePlugin } from '../resolve.js'
import { CONFIG_OPTION, loadOptions, type CliCommand } from './command.js'
import { EXIT } from './io.js'

/**
 * The `schema` command.
 * @example await schemaCommand.run({ values: { config: 'presend.config.json' }, positionals: [], argv: [] }, defaultIO())
 */
export const schemaCommand: CliCommand = {
  summary: 'print the JSON Schema of presend.config.json (for editors)',
  help: `Usage: presend schema [--config FILE]

Print the JSON Schema (draft-07) of presend.config.json: every key, and the options of each built-in plugin
selected by "use". It is generated from the schemas presend validates with, and shipped in the package as
presend/config.schema.json, which "presend init" puts in the "$schema" line.

With --config, the filter packs and plugin files that configuration names are loaded and their option
schemas added, so an editor checks their options too:

  presend schema --config presend.config.json > presend.schema.json
  then, in presend.config.json: "$schema": "./presend.schema.json"

Options:
  -c, --config FILE  add the option schemas of the packs this configuration names (it must load)
  -h, --help         show this help
`,
  options: CONFIG_OPTION,
  positionals: false,
  async run({ values }, cli) {
    const packs: Record<string, AnyPlugin[]> = {}
    if (typeof values.config === 'string') {
      const loaded = await loadConfig(loadOptions(values, cli))
      for (const item of loaded.config.plugins) packs[item.use] = await resolvePlugin(item.use, { baseDir: loaded.baseDir })
    }
    cli.stdout.write(`${JSON.stringify(configJsonSchema(packs), null, 2)}\n`)
    return EXIT.OK
  },
}
