// presend init: a starter presend.config.json that loads, that the shipped JSON Schema accepts, whose $schema
// points at a file that exists, and that is never written over by accident.
import t from 'tap'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemaPath } from '../../../server/cli/init.js'
import { defaultConfig, loadConfig } from '../../../server/config.js'
import { runMain as run } from '../fixtures/run-main.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

t.test('init writes a starter config that loads as the embedded default and passes the schema', async (t) => {
  const dir = t.testdir({})
  const file = path.join(dir, 'presend.config.json')
  const out = await run(['init'], dir)
  t.equal(out.stderr, '')
  t.equal(out.code, 0)
  t.match(out.stdout, `wrote ${file}\nNext:\n  set the callback token`)
  const text = readFileSync(file, 'utf8')
  const written = JSON.parse(text) as { $schema: string }
  t.ok(text.endsWith('}\n'))
  // the checkout's own schema, as the relative path an editor resolves from the config's folder
  t.equal(path.resolve(dir, written.$schema), path.join(repoRoot, 'dist/config.schema.json'))
  const schema = JSON.parse(readFileSync(path.resolve(dir, written.$schema), 'utf8')) as object
  t.ok(new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)(written), 'the shipped schema accepts it')
  const { config, file: loadedFrom } = await loadConfig({ cwd: dir, env: {} })
  t.equal(loadedFrom, file)
  t.same(config, defaultConfig, 'it is the embedded default, written out')
  t.match((await run(['validate'], dir)).stdout, /OK: the configuration is valid\./)
})

t.test('init never overwrites by accident', async (t) => {
  const dir = t.testdir({ 'presend.config.json': '{ "plugins": [] }' })
  const file = path.join(dir, 'presend.config.json')
  const refused = await run(['init'], dir)
  t.equal(refused.code, 3)
  t.equal(refused.stderr, `presend init: ${file} already exists; give --force to overwrite it.\n`)
  t.equal(readFileSync(file, 'utf8'), '{ "plugins": [] }', 'left as it was')
  t.equal((await run(['init', '--force'], dir)).code, 0)
  t.match(JSON.parse(readFileSync(file, 'utf8')), { plugins: [{ use: 'profanity' }, { use: 'links' }] })

  const other = t.testdir({ 'presend.config.mjs': 'export default {}' })
  const shadow = await run(['init', '-f'], other)
  t.equal(shadow.code, 3)
  t.equal(
    shadow.stderr,
    `presend init: ${path.join(other, 'presend.config.mjs')} already exists; presend reads presend.config.json before it, so a new file would silently replace it; edit it, or remove it first.\n`,
  )
  t.match((await run(['init', '--help'], dir)).stdout, /^Usage: presend init \[--force\]/)
})

t.test('$schema: presend installed next to the config, else a path to the running copy', async (t) => {
  const withInstall = t.testdir({ node_modules: { presend: { dist: { 'config.schema.json': '{}' } } } })
  t.equal(schemaPath(withInstall, '/opt/presend'), './node_modules/presend/dist/config.schema.json')
  const below = t.testdir({ sub: {} })
  t.equal(schemaPath(below, path.join(below, 'sub')), './sub/dist/config.schema.json')
  t.equal(schemaPath(path.join(below, 'sub'), below), '../dist/config.schema.json')
})
