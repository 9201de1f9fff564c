// The config's JSON Schema: generated from the zod schemas, shipped in dist/, selecting each plugin's options
// by `use`, checked by a real JSON Schema validator (ajv, draft-07) the way an editor would check a file.
import t from 'tap'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { allow, definePlugin } from '../../core/plugin.js'
import { builtinPlugins } from '../../plugins/index.js'
import { configJsonSchema, pluginOptionsJsonSchema, type JsonSchema } from '../../server/config-schema.js'
import { configSchema, defaultConfig } from '../../server/config.js'
import { runMain } from './fixtures/run-main.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const filters = fileURLToPath(new URL('./fixtures/filters/', import.meta.url))

/** A validator for `schema`, in ajv's strict mode (it refuses keywords and formats it does not know); a list of
 * types (`"type": ["string", "number"]`) is plain draft-07, which editors read. */
function validator(schema: JsonSchema) {
  const validate = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema)
  return (config: unknown) => ({ ok: validate(config), errors: validate.errors ?? [] })
}

const check = validator(configJsonSchema())

t.test('the shipped dist/config.schema.json is the generated schema (npm run build writes it)', async (t) => {
  const shipped = JSON.parse(readFileSync(path.join(repoRoot, 'dist/config.schema.json'), 'utf8')) as unknown
  t.same(shipped, configJsonSchema(), 'out of date: run npm run build')
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; files: string[] }
  t.equal(pkg.exports['./config.schema.json'], './dist/config.schema.json', 'importable as presend/config.schema.json')
  t.ok(pkg.files.includes('dist'), 'and packed')
})

t.test('every key of the config is there, with its default and description', async (t) => {
  const schema = configJsonSchema()
  t.match(schema, { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false })
  const properties = schema.properties as Record<string, JsonSchema>
  t.same(Object.keys(properties), Object.keys(configSchema.shape), 'generated from configSchema, so a new key appears by itself')
  t.match(properties.server, { properties: { port: { type: 'integer', default: 8080, minimum: 0, maximum: 65535, description: /Port/ } } })
  for (const [key, property] of Object.entries(properties)) t.type(property.description, 'string', `${key} is described for editors`)
  t.ok(check({}).ok, 'an empty config is valid (everything has a default)')
  t.ok(check(JSON.parse(JSON.stringify(defaultConfig))).ok, 'the embedded default is valid')
  t.notOk(JSON.stringify(schema).includes('"format":"starts_with"'), "zod's own formats are left out (validators refuse them)")
})

t.test("plugins[].use selects that plugin's options schema (if/then)", async (t) => {
  const entry = ((configJsonSchema().properties as JsonSchema).plugins as JsonSchema).items as JsonSchema
  const names = Object.keys(builtinPlugins)
  t.same((entry.allOf as JsonSchema[]).map((rule) => ((rule.if as JsonSchema).properties as JsonSchema).use), names.map((name) => ({ const: name })), 'one rule per built-in, so a new built-in appears by itself')
  t.same((entry.properties as { use: JsonSchema }).use.examples, names, 'editors offer the built-in names')
  for (const name of names) {
    const options = pluginOptionsJsonSchema(builtinPlugins[name]!)
    t.equal(options.type, 'object', `${name}: its options are an object schema, not "any"`)
    t.ok(Object.keys(options.properties as object).length > 0, `${name}: with its keys`)
  }
  t.ok(check({ plugins: [{ use: 'links', options: { action: 'strip', allowDomains: ['example.com'] } }] }).ok)
  const bad = check({ plugins: [{ use: 'links', options: { action: 'mask' } }] })
  t.notOk(bad.ok, 'a links action that does not exist')
  t.match(bad.errors, [{ instancePath: '/plugins/0/options/action', keyword: 'enum' }])
  t.notOk(check({ plugins: [{ use: 'profanity', options: { wrods: ['x'] } }] }).ok, 'a misspelt option')
  t.ok(check({ plugins: [{ use: 'keyword-rewrite', options: { rules: [{ match: 'a', replace: 'b', cloudCustomData: { nested: [1, { deep: true }] } }] } }] }).ok, 'recursive option types (JSON values) resolve')
  t.ok(check({ plugins: [{ use: 'presend-pack-unknown', options: { anything: [1] } }] }).ok, 'a pack the schema does not know: any options')
  t.notOk(check({ plugins: [{ options: {} }] }).ok, 'use is required')
})

t.test('a new built-in plugin is in the schema without touching it', async (t) => {
  const extra = definePlugin({ name: 'extra', description: 'a stand-in', options: z.strictObject({ level: z.number().int().default(1) }), create: () => ({ check: () => allow() }) })
  const mocked = await t.mockImport<typeof import('../../server/config-schema.js')>('../../server/config-schema.js', {
    '../../plugins/index.js': { builtinPlugins: { ...builtinPlugins, extra } },
  })
  const check = validator(mocked.configJsonSchema())
  t.ok(check({ plugins: [{ use: 'extra', options: { level: 2 } }] }).ok)
  t.notOk(check({ plugins: [{ use: 'extra', options: { level: 'high' } }] }).ok)
  t.match(mocked.pluginOptionsJsonSchema(extra), { description: 'Options of "extra": a stand-in', properties: { level: { type: 'integer', default: 1 } } })
})

t.test('packs: by their exact use, several plugins keyed by name, recursive types hoisted', async (t) => {
  const json = z.lazy((): z.ZodType => z.union([z.string(), z.array(json)]))
  const nested = definePlugin({ name: 'nested', options: z.strictObject({ tree: json.optional() }), create: () => ({ check: () => allow() }) })
  const other = definePlugin({ name: 'other/one', options: z.strictObject({ tree: json.optional(), flag: z.boolean().optional() }), create: () => ({ check: () => allow() }) })
  const schema = configJsonSchema({
    'presend-pack-two': [nested, other],
    'presend-pack-two#nested': [nested],
    './one.js': [other],
    // a built-in named again is not described twice
    links: [nested],
  })
  const check = validator(schema)
  t.ok(check({ plugins: [{ use: 'presend-pack-two', options: { nested: { tree: ['a', ['b']] }, 'other/one': { flag: true } } }] }).ok)
  t.notOk(check({ plugins: [{ use: 'presend-pack-two', options: { nope: {} } }] }).ok, 'only its plugin names')
  t.notOk(check({ plugins: [{ use: 'presend-pack-two', options: { nested: { tree: [1] } } }] }).ok, 'the recursive type is checked')
  t.ok(check({ plugins: [{ use: 'presend-pack-two#nested', options: { tree: 'x' } }] }).ok)
  t.notOk(check({ plugins: [{ use: './one.js', options: { flag: 'yes' } }] }).ok)
  t.notOk(check({ plugins: [{ use: 'links', options: { tree: 'x' } }] }).ok, 'links keeps its own schema')
  // each plugin's definitions get their own names in the document
  const own = Object.keys(schema.definitions as object).filter((k) => /^(nested|other_one)\./.test(k))
  t.same(own.sort(), ['nested.__schema0', 'nested.__schema0.2', 'other_one.__schema0', 'other_one.__schema0.2'], 'one per plugin schema that has one, "/" made safe')
})

t.test('presend schema prints it; --config adds the packs and files that config names', async (t) => {
  const run = (argv: string[], cwd = repoRoot) => runMain(argv, cwd)
  const plain = await run(['schema'])
  t.equal(plain.code, 0)
  t.same(JSON.parse(plain.stdout), configJsonSchema())
  t.match((await run(['schema', '--help'])).stdout, /^Usage: presend schema \[--config FILE\]/)
  t.match((await run(['--help'])).stdout, /\n {2}schema +print the JSON Schema of presend\.config\.json/)

  const dir = t.testdir({
    'presend.config.json': JSON.stringify({
      plugins: [{ use: 'links' }, { use: path.join(filters, 'pair.mjs') }, { use: `${path.join(filters, 'pair.mjs')}#quiet`, options: { max: 5 } }],
    }),
  })
  const withPacks = await run(['schema', '--config', 'presend.config.json'], dir)
  t.equal(withPacks.stderr, '')
  const check = validator(JSON.parse(withPacks.stdout) as JsonSchema)
  t.ok(check({ plugins: [{ use: path.join(filters, 'pair.mjs'), options: { quiet: { max: 3 }, tagger: { tag: 'x' } } }] }).ok)
  t.notOk(check({ plugins: [{ use: path.join(filters, 'pair.mjs'), options: { quiet: { max: 'three' } } }] }).ok)
  t.notOk(check({ plugins: [{ use: `${path.join(filters, 'pair.mjs')}#quiet`, options: { tag: 'x' } }] }).ok)
  t.match(await run(['schema', '--config', 'missing.json'], dir), { code: 3, stderr: /^presend schema: Config file .*missing\.json \(from --config\) does not exist/ })
})
