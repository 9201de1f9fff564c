import t from 'tap'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { definePlugin, allow, reject } from '../../core/plugin.js'
import { z } from 'zod'
import { c2cRequest } from '../../core/testing/index.js'
import { validateConfig } from '../../server/config.js'
import { createPipelineFromConfig, resolvePlugin } from '../../server/resolve.js'
import { builtinPlugins } from '../../plugins/index.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const configs = path.join(fixtures, 'configs')
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A package folder: package.json plus an entry that default-exports a plugin built with `presend`. */
function pack(name: string, manifest: Record<string, unknown>, files: Record<string, string | Record<string, string>>) {
  return { 'package.json': JSON.stringify({ name, type: 'module', ...manifest }), ...files }
}
const pluginSource = (name: string) =>
  `import { definePlugin, allow, z } from 'presend'\nexport default definePlugin({ name: '${name}', options: z.object({}), create: () => ({ check: () => allow() }) })\n`

t.test('a path relative to the config folder loads the file; absolute paths and file: URLs too', async (t) => {
  const [plugin] = await resolvePlugin('../filters/block-words.mjs', { baseDir: configs })
  t.equal(plugin?.name, 'block-words')
  const abs = path.join(fixtures, 'filters/block-words.mjs')
  t.equal((await resolvePlugin(abs, { baseDir: '/' }))[0], plugin, 'same module, same plugin')
  t.equal((await resolvePlugin(pathToFileURL(abs).href, { baseDir: '/' }))[0], plugin)
})

t.test('a file exporting several plugins loads all in order; #name picks one', async (t) => {
  const all = await resolvePlugin('./filters/pair.mjs', { baseDir: fixtures })
  t.same(all.map((p) => p.name), ['quiet', 'tagger'])
  const picked = await resolvePlugin('./filters/pair.mjs#tagger', { baseDir: fixtures })
  t.same(picked.map((p) => p.name), ['tagger'])
  await t.rejects(resolvePlugin('./filters/pair.mjs#nope', { baseDir: fixtures }), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: `file ${path.join(fixtures, 'filters/pair.mjs')} has no plugin named "nope"; it exports "quiet", "tagger".`,
  })
})

t.test('file errors: missing, a directory, not a plugin, throws on import', async (t) => {
  await t.rejects(resolvePlugin('./filters/missing.js', { baseDir: fixtures }), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: `Plugin file "./filters/missing.js" not found: ${path.join(fixtures, 'filters/missing.js')} does not exist (paths are relative to the config file's folder, ${fixtures}).`,
  })
  await t.rejects(resolvePlugin('./filters', { baseDir: fixtures }), { code: 'PRESEND_UNKNOWN_PLUGIN' })
  const incompatible = `Incompatible filter pack: file ${path.join(fixtures, 'filters/not-a-plugin.mjs')} does not default-export a presend plugin. Its default export must be a plugin made with definePlugin() from "presend", or an array of them (export default definePlugin({ name, options, create })).`
  await t.rejects(resolvePlugin('./filters/not-a-plugin.mjs', { baseDir: fixtures }), {
    code: 'PRESEND_INCOMPATIBLE_PACK',
    message: incompatible,
  })
  await t.rejects(resolvePlugin('./filters/empty-list.mjs', { baseDir: fixtures }), { code: 'PRESEND_INCOMPATIBLE_PACK' })
  await t.rejects(resolvePlugin('./filters/throws.mjs', { baseDir: fixtures }), {
    code: 'PRESEND_PLUGIN_LOAD_FAILED',
    message: `Loading file ${path.join(fixtures, 'filters/throws.mjs')} (${path.join(fixtures, 'filters/throws.mjs')}) failed: filter module exploded.`,
  })
  await t.rejects(resolvePlugin('./filters/throws-string.mjs', { baseDir: fixtures }), {
    code: 'PRESEND_PLUGIN_LOAD_FAILED',
    message: /failed: a bare string\.$/,
  })
})

t.test('npm packages resolve from the config folder, with ESM exports', async (t) => {
  const dir = t.testdir({
    node_modules: {
      presend: t.fixture('symlink', repoRoot),
      'pack-string': pack('pack-string', { exports: './index.js' }, { 'index.js': pluginSource('string-exports') }),
      '@acme': {
        'pack-cond': pack(
          '@acme/pack-cond',
          {
            exports: {
              '.': { types: './index.d.ts', require: './nope.cjs', import: './esm.js' },
              './extra': { node: { require: './nope.cjs', import: './extra.js' } },
              './package.json': './package.json',
            },
          },
          { 'esm.js': pluginSource('conditional'), 'extra.js': pluginSource('extra') },
        ),
      },
      'pack-main': pack('pack-main', { main: 'lib/main.js' }, { lib: { 'main.js': pluginSource('main-field') }, 'other.js': pluginSource('other') }),
      'pack-index': pack('pack-index', {}, { 'index.js': pluginSource('index-file') }),
      'pack-array': pack('pack-array', { exports: [{ require: './nope.cjs' }, './index.js'] }, { 'index.js': pluginSource('array-exports') }),
      'pack-require-only': pack('pack-require-only', { exports: { require: './index.cjs' } }, {}),
      'pack-bad-array': pack('pack-bad-array', { exports: [{ require: './index.cjs' }] }, {}),
      'pack-null': pack('pack-null', { exports: { '.': null } }, {}),
      'pack-not-plugin': pack('pack-not-plugin', { exports: './index.js' }, { 'index.js': 'export default function () {}\n' }),
    },
    config: { nested: {} },
  })
  const baseDir = path.join(dir, 'config', 'nested')
  const names = async (use: string) => (await resolvePlugin(use, { baseDir })).map((p) => p.name)
  t.same(await names('pack-string'), ['string-exports'], 'found by walking up from the config folder')
  t.same(await names('@acme/pack-cond'), ['conditional'], 'import condition chosen over require')
  t.same(await names('@acme/pack-cond/extra'), ['extra'], 'subpath with nested conditions')
  t.same(await names('@acme/pack-cond/extra#extra'), ['extra'])
  t.same(await names('pack-main'), ['main-field'])
  t.same(await names('pack-main/other.js'), ['other'], 'a subpath of a package without exports')
  t.same(await names('pack-index'), ['index-file'])
  t.same(await names('pack-array'), ['array-exports'])

  for (const [use, subpath] of [
    ['pack-require-only', '.'],
    ['pack-bad-array', '.'],
    ['pack-null', '.'],
    ['@acme/pack-cond/missing', './missing'],
    ['pack-string/sub', './sub'],
  ] as const) {
    await t.rejects(resolvePlugin(use, { baseDir }), {
      code: 'PRESEND_INCOMPATIBLE_PACK',
      message: new RegExp(`exports no "${subpath.replace('.', '\\.')}" entry for import`),
    }, use)
  }
  await t.rejects(resolvePlugin('pack-not-plugin', { baseDir }), {
    code: 'PRESEND_INCOMPATIBLE_PACK',
    message: /^Incompatible filter pack: package "pack-not-plugin" does not default-export a presend plugin\./,
  })
})

t.test('unknown names list the built-ins and say how to install a pack, without repeating the name', async (t) => {
  const baseDir = t.testdir({})
  const err = await resolvePlugin('presend-pack-missing', { baseDir }).catch((e: Error) => e)
  t.match(err, {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: new RegExp(
      `^Unknown plugin "presend-pack-missing": no built-in plugin has that name and no package "presend-pack-missing" is installed in or above ${baseDir}\\. Built-in plugins: .+\\. To use a filter pack, find its exact name \\(npm search keywords:presend-pack\\) and install it next to your config \\(cd ${baseDir} && npm i <package>\\), or give a file path starting with "\\./"\\.$`,
    ),
  })
  await t.rejects(resolvePlugin('Not A Name!', { baseDir }), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: /^Unknown plugin "Not A Name!": it is neither a built-in name, a valid npm package name, nor a path\. .*npm i <package>/,
  })
  await t.rejects(resolvePlugin('fs', { baseDir }), { code: 'PRESEND_UNKNOWN_PLUGIN' }, 'a Node core module is not a pack')
})

t.test('a near miss of a built-in name says which one it likely is', async (t) => {
  const baseDir = t.testdir({})
  await t.rejects(resolvePlugin('profanit', { baseDir }), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: /^Unknown plugin "profanit" \(did you mean the built-in "profanity"\?\): no built-in plugin has that name.*Correct the name in "use"\.$/,
  })
  await t.rejects(resolvePlugin('Links', { baseDir }), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: /^Unknown plugin "Links" \(did you mean the built-in "links"\?\): it is neither a built-in name/,
  })
})

t.test('regression: a misspelt pack name suggests the INSTALLED pack, never installing the misspelling', async (t) => {
  const pack = (name: string) => ({ 'package.json': JSON.stringify({ name, type: 'module', exports: './index.js' }), 'index.js': '' })
  const root = t.testdir({
    node_modules: {
      'presend-pack-contacts': pack('presend-pack-contacts'),
      '@acme': { 'presend-pack-phones': pack('@acme/presend-pack-phones') },
      '.bin': {},
      'not-a-package': {},
    },
    app: { node_modules: { 'presend-pack-links-extra': pack('presend-pack-links-extra') } },
  })
  const baseDir = path.join(root, 'app')
  const err = (await resolvePlugin('presend-pack-contactz', { baseDir }).catch((e: Error) => e)) as Error
  t.match(err, {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: `Unknown plugin "presend-pack-contactz" (did you mean "presend-pack-contacts" (installed in ${path.join(root, 'node_modules')})?): no built-in plugin has that name and no package "presend-pack-contactz" is installed in or above ${baseDir}. Built-in plugins: ${Object.keys(builtinPlugins).join(', ')}. Correct the name in "use".`,
  })
  t.notMatch(err.message, /npm i/, 'no install command for a misspelt name')
  t.match(await resolvePlugin('@acme/presend-pack-phone', { baseDir }).catch((e: Error) => e), {
    message: /\(did you mean "@acme\/presend-pack-phones" \(installed in /,
  }, 'scoped packages are candidates too')
  t.match(await resolvePlugin('presend-pack-links-extr#x', { baseDir }).catch((e: Error) => e), {
    message: new RegExp(`^Unknown plugin "presend-pack-links-extr" \\(did you mean "presend-pack-links-extra" \\(installed in ${path.join(baseDir, 'node_modules')}\\)\\?\\)`),
  }, 'the nearest node_modules first, and "#plugin" is not part of the name')
  t.match(await resolvePlugin('not-a-packag', { baseDir }).catch((e: Error) => e), {
    message: /\(did you mean "not-a-package" /,
  }, 'a folder without package.json is still a name someone may have meant')
  t.match(await resolvePlugin('not-a-package', { baseDir }).catch((e: Error) => e), {
    message: /^Unknown plugin "not-a-package": no built-in plugin has that name and no package "not-a-package" is installed/,
  }, 'but never suggests the very name that was not found')
})

t.test('built-in names resolve first (with a stand-in registry)', async (t) => {
  const fake = definePlugin({ name: 'fake', options: z.object({}), create: () => ({ check: () => allow() }) })
  const withOne = await t.mockImport<typeof import('../../server/resolve.js')>('../../server/resolve.js', {
    '../../plugins/index.js': { builtinPlugins: { fake } },
  })
  t.same(await withOne.resolvePlugin('fake', { baseDir: '/' }), [fake])
  await t.rejects(withOne.resolvePlugin('nothing-here', { baseDir: t.testdir({}) }), { message: /Built-in plugins: fake\./ })
  t.notOk(await withOne.resolvePlugin('toString', { baseDir: '/' }).catch(() => undefined), 'inherited keys are not plugins')
  const withNone = await t.mockImport<typeof import('../../server/resolve.js')>('../../server/resolve.js', {
    '../../plugins/index.js': { builtinPlugins: {} },
  })
  await t.rejects(withNone.resolvePlugin('nothing-here', { baseDir: t.testdir({}) }), { message: /Built-in plugins: \(none\)\./ })
})

t.test('createPipelineFromConfig builds the configured pipeline', async (t) => {
  const config = validateConfig({
    pipeline: { deadlineMs: 800, onFault: 'reject' },
    plugins: [
      { use: '../filters/block-words.mjs', options: { words: ['spam'] } },
      { use: '../filters/block-words.mjs', name: 'more-words', options: { words: ['eggs'] }, onFault: 'allow', timeoutMs: 100 },
    ],
  })
  const warnings: unknown[] = []
  const logger = { debug() {}, info() {}, warn: (o: unknown) => warnings.push(o), error() {} }
  const pipeline = await createPipelineFromConfig(config, { baseDir: configs, logger })
  t.same(pipeline.names, ['block-words', 'more-words'])
  t.equal(pipeline.deadlineMs, 800)
  t.equal(pipeline.onFault, 'reject')
  t.equal((await pipeline.run(c2cRequest({ text: 'ham and eggs' }))).decidedBy, 'more-words')
  t.equal((await pipeline.run(c2cRequest({ text: 'hello' }))).decision, 'allow')
})

t.test('a multi-plugin pack: all plugins, options keyed by plugin name', async (t) => {
  const run = async (item: Record<string, unknown>) =>
    createPipelineFromConfig(validateConfig({ plugins: [item] }), { baseDir: fixtures })
  const all = await run({ use: './filters/pair.mjs', options: { quiet: { max: 3 } }, onFault: 'reject' })
  t.same(all.names, ['quiet', 'tagger'])
  t.equal((await all.run(c2cRequest({ text: 'long text' }))).decision, 'drop')
  const defaults = await run({ use: './filters/pair.mjs' })
  t.equal((await defaults.run(c2cRequest({ text: 'long text' }))).decision, 'allow')

  await t.rejects(run({ use: './filters/pair.mjs', name: 'x' }), {
    code: 'PRESEND_INVALID_CONFIG',
    message:
      'plugins[0].name: "./filters/pair.mjs" loads 2 plugins, so one name cannot fit them all; pick one with "use": "./filters/pair.mjs#quiet" to rename it.',
  })
  await t.rejects(run({ use: './filters/pair.mjs', options: [] }), {
    code: 'PRESEND_INVALID_OPTIONS',
    message: 'plugins[0].options: this pack has several plugins (quiet, tagger), so options must be an object keyed by plugin name.',
  })
  await t.rejects(run({ use: './filters/pair.mjs', options: null }), { code: 'PRESEND_INVALID_OPTIONS' })
  await t.rejects(run({ use: './filters/pair.mjs', options: 'x' }), { code: 'PRESEND_INVALID_OPTIONS' })
  await t.rejects(run({ use: './filters/pair.mjs', options: { max: 3 } }), {
    code: 'PRESEND_INVALID_OPTIONS',
    message:
      'plugins[0].options.max: the pack has no plugin "max"; its plugins are quiet, tagger (options of a multi-plugin pack are keyed by plugin name).',
  })
  await t.rejects(run({ use: './filters/pair.mjs', options: { quiet: { max: -1 } } }), {
    code: 'PRESEND_INVALID_OPTIONS',
    message: /^Invalid options for plugin "quiet": plugins\[0\]\.options\.quiet\.max: Too small/,
  })
})

t.test('config errors point at plugins[i]', async (t) => {
  const build = (plugins: unknown[]) => createPipelineFromConfig(validateConfig({ plugins }), { baseDir: configs })
  await t.rejects(build([{ use: '../filters/pair.mjs#quiet' }, { use: '../filters/block-words.mjs', options: { words: 'spam' } }]), {
    code: 'PRESEND_INVALID_OPTIONS',
    message: 'Invalid options for plugin "block-words": plugins[1].options.words: Invalid input: expected array, received string.',
  })
  await t.rejects(build([{ use: '../filters/block-words.mjs', name: 'bw', options: { wrods: [] } }]), {
    message: 'Invalid options for plugin "bw": plugins[0].options.wrods: unknown key (did you mean "words"?); expected one of words, file.',
  })
  await t.rejects(build([{ use: '../filters/block-words.mjs' }, { use: './nope.js' }]), {
    code: 'PRESEND_UNKNOWN_PLUGIN',
    message: /^plugins\[1\]\.use: Plugin file "\.\/nope\.js" not found/,
  })
  await t.rejects(build([{ use: '../filters/block-words.mjs' }, { use: '../filters/block-words.mjs' }]), {
    code: 'PRESEND_DUPLICATE_PLUGIN',
  })
})

t.test('a plugin rejecting through the configured pipeline', async (t) => {
  const shout = definePlugin({
    name: 'shout',
    options: z.object({}),
    create: () => ({ check: (m) => (m.texts.some((p) => p.text === p.text.toUpperCase()) ? reject({ info: 'no' }) : allow()) }),
  })
  const mod = await t.mockImport<typeof import('../../server/resolve.js')>('../../server/resolve.js', {
    '../../plugins/index.js': { builtinPlugins: { shout } },
  })
  const pipeline = await mod.createPipelineFromConfig(validateConfig({ plugins: [{ use: 'shout' }] }), { baseDir: '/' })
  t.equal((await pipeline.run(c2cRequest({ text: 'HEY' }))).decision, 'reject')
})
