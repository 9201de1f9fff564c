/**
 * The JSON Schema of `presend.config.json`, generated from the same zod schemas that validate it (zod 4's
 * `z.toJSONSchema`), so editors complete and check a config and the schema can never drift from the loader:
 * a key added to `configSchema` or a plugin added to `builtinPlugins` appears here by itself. Each known
 * `plugins[].use` selects its plugin's options schema through `if`/`then`.
 *
 * The build writes it to `dist/config.schema.json` (shipped as `presend/config.schema.json`); `presend schema`
 * prints it, and with `--config` adds the option schemas of the filter packs that config names.
 *
 * @module
 */
import { z } from 'zod'
import type { AnyPlugin } from '../core/plugin.js'
import { builtinPlugins } from '../plugins/index.js'
import { configSchema } from './config.js'

/**
 * A JSON Schema document (draft-07), as plain JSON.
 * @example const schema: JsonSchema = configJsonSchema()
 */
export type JsonSchema = { [key: string]: unknown }

/** The formats of draft-07 that validators and editors know; zod also writes its own (`starts_with`…). */
const STANDARD_FORMATS = new Set([
  'date-time', 'date', 'time', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6',
  'uri', 'uri-reference', 'iri', 'iri-reference', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex',
])

// draft-07: what VS Code, JetBrains editors and ajv's default export all read in full. `io: 'input'` describes
// what a person writes (keys with defaults are optional); a type JSON cannot express (a function, a
// transform's output) becomes "any value" rather than an error.
const TO_JSON_SCHEMA = {
  target: 'draft-7',
  io: 'input',
  unrepresentable: 'any',
  override(ctx: { jsonSchema: JsonSchema }) {
    const { format } = ctx.jsonSchema
    if (typeof format === 'string' && !STANDARD_FORMATS.has(format)) delete ctx.jsonSchema.format
  },
} as const

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _draft, ...json } = z.toJSONSchema(schema, TO_JSON_SCHEMA) as JsonSchema
  return json
}

/**
 * The JSON Schema of one plugin's options: what a config may write under `options` for it.
 *
 * @example pluginOptionsJsonSchema(builtinPlugins.links).properties // { allowDomains: …, action: … }
 */
export function pluginOptionsJsonSchema(plugin: AnyPlugin): JsonSchema {
  const json = toJsonSchema(plugin.options)
  return plugin.description === undefined ? json : { description: `Options of "${plugin.name}": ${plugin.description}`, ...json }
}

/**
 * Move a plugin schema's own `definitions` (zod writes one for a recursive type, such as a JSON value) into
 * the document's, renamed so two plugins' `__schema0` do not collide, and point its `$ref`s at the new names:
 * a `$ref` resolves against the document root, not against the nested schema it was written in.
 */
function hoistDefinitions(schema: JsonSchema, owner: string, definitions: JsonSchema): JsonSchema {
  const { definitions: own, ...rest } = schema
  if (own === undefined) return schema
  const prefix = owner.replace(/[^\w.-]/g, '_')
  const names = new Map<string, string>()
  for (const key of Object.keys(own as JsonSchema)) {
    let name = `${prefix}.${key}`
    for (let n = 2; Object.hasOwn(definitions, name); n++) name = `${prefix}.${key}.${n}`
    names.set(key, name)
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite)
    if (typeof value !== 'object' || value === null) return value
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const target = k === '$ref' && typeof v === 'string' ? names.get(v.replace(/^#\/definitions\//, '')) : undefined
        return [k, target === undefined ? rewrite(v) : `#/definitions/${target}`]
      }),
    )
  }
  for (const [key, def] of Object.entries(own as JsonSchema)) definitions[names.get(key) as string] = rewrite(def)
  return rewrite(rest) as JsonSchema
}

/** Under one `use`: a single plugin's options, or, for a pack of several, its options keyed by plugin name. */
function optionsFor(plugins: readonly AnyPlugin[], definitions: JsonSchema): JsonSchema {
  const schemaOf = (plugin: AnyPlugin) => hoistDefinitions(pluginOptionsJsonSchema(plugin), plugin.name, definitions)
  const [single] = plugins
  if (plugins.length === 1 && single !== undefined) return schemaOf(single)
  return {
    description: `Options of each plugin of the pack, keyed by plugin name: ${plugins.map((p) => p.name).join(', ')}.`,
    type: 'object',
    properties: Object.fromEntries(plugins.map((p) => [p.name, schemaOf(p)])),
    additionalProperties: false,
  }
}

/**
 * The JSON Schema of the configuration file. `packs` adds the option schemas of the filter packs or plugin
 * files a config names, by their exact `use` value (`presend-pack-x`, `presend-pack-x#one`, `./f.js`).
 *
 * @example
 * import { writeFileSync } from 'node:fs'
 * writeFileSync('presend.schema.json', JSON.stringify(configJsonSchema(), null, 2))
 */
export function configJsonSchema(packs: Readonly<Record<string, readonly AnyPlugin[]>> = {}): JsonSchema {
  const uses: Array<[string, readonly AnyPlugin[]]> = [
    ...Object.entries(builtinPlugins).map(([use, plugin]) => [use, [plugin]] as [string, AnyPlugin[]]),
    ...Object.entries(packs).filter(([use]) => !Object.hasOwn(builtinPlugins, use)),
  ]
  const root = toJsonSchema(configSchema)
  const entry = ((root.properties as JsonSchema).plugins as JsonSchema).items as JsonSchema
  const use = (entry.properties as JsonSchema).use as JsonSchema
  // `examples` makes editors offer the known names while any package or path stays valid.
  use.examples = uses.map(([name]) => name)
  const definitions: JsonSchema = {}
  entry.allOf = uses.map(([name, plugins]) => ({
    if: { properties: { use: { const: name } }, required: ['use'] },
    then: { properties: { options: optionsFor(plugins, definitions) } },
  }))
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'presend configuration (presend.config.json)',
    $comment: "Generated from presend's zod schemas by `presend schema`; regenerate instead of editing.",
    ...root,
    definitions,
  }
}
