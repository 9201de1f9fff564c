// presend new-pack: the scaffold's files, its mistakes, a JavaScript pack whose tests pass as written, and the
// README's pack steps run word for word from an empty folder (scaffold --ts, npm install, npm test, npm pack,
// install by name next to a config, validate, check), then the pack served by name over the Fastify app.
import t from 'tap'
import { Ajv } from 'ajv'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { groupRequest } from '../../../core/requests.js'
import { buildServer } from '../../../server/app.js'
import { main } from '../../../server/cli/main.js'
import { peerRange, presendSpec } from '../../../server/cli/new-pack.js'
import { loadConfig } from '../../../server/config.js'
import { childEnv } from '../fixtures/child-env.js'

// The README steps take about 15 s of CPU; on a machine shared with other builds the wall time can be many
// times that, past tap's default of 120 s for a file.
t.setTimeout(600_000)

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

async function run(argv: string[], cwd: string) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { cwd, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
  return { code, stdout, stderr }
}

const read = (...parts: string[]) => readFileSync(path.join(...parts), 'utf8')

t.test('peerRange: the minor in 0.x, the major from 1.0', async (t) => {
  t.equal(peerRange('0.1.0'), '^0.1.0')
  t.equal(peerRange('0.4.7'), '^0.4.0')
  t.equal(peerRange('1.2.3'), '^1.0.0')
  t.equal(peerRange(version), `^0.${version.split('.')[1]}.0`, 'this presend')
})

t.test('presendSpec: a file: path to this presend, a named checkout or tarball, or an npm range as given', async (t) => {
  const dir = t.testdir({ 'presend-9.9.9.tgz': '', checkout: {} })
  t.equal(presendSpec(path.join(dir, 'pack'), undefined, dir, path.join(dir, 'checkout')), 'file:../checkout')
  t.equal(presendSpec(path.join(dir, 'pack'), 'presend-9.9.9.tgz', dir), 'file:../presend-9.9.9.tgz')
  t.equal(presendSpec(dir, 'checkout', dir), 'file:./checkout')
  t.equal(presendSpec(dir, '^0.2.0', dir), '^0.2.0', 'not a path here: an npm range, once presend is published')
})

t.test('new-pack writes a JavaScript pack whose own tests pass as written', async (t) => {
  const dir = t.testdir({})
  const out = await run(['new-pack', 'presend-pack-words'], dir)
  t.equal(out.stderr, '')
  t.equal(out.code, 0)
  const packDir = path.join(dir, 'presend-pack-words')
  const spec = `file:${path.relative(packDir, repoRoot).split(path.sep).join('/')}`
  t.equal(
    out.stdout,
    `Created presend-pack-words/ (JavaScript): .gitignore, README.md, index.js, package.json, test/index.test.js
The plugin is "words"; presend comes from ${spec} (peer range ${peerRange(version)}).
Next:
  cd presend-pack-words
  npm install
  npm test
`,
  )
  const manifest = JSON.parse(read(packDir, 'package.json')) as Record<string, unknown>
  t.match(manifest, {
    name: 'presend-pack-words',
    keywords: ['presend-pack', 'presend', 'tencent-cloud-chat'],
    type: 'module',
    exports: { '.': './index.js' },
    files: ['index.js', 'README.md'],
    scripts: { test: 'node --test test/*.test.js' },
    peerDependencies: { presend: peerRange(version) },
    devDependencies: { presend: spec },
    allowScripts: { [spec]: false },
  })
  t.match(read(packDir, 'index.js'), "export const words = definePlugin({\n  name: 'words',")
  t.match(read(packDir, 'README.md'), '{ "use": "presend-pack-words#words", "options": { "words": ["forbidden", "secret*"] } }')
  t.equal(read(packDir, '.gitignore'), 'node_modules/\ndist/\n*.tgz\n')

  // What `npm install` makes of the file: dependency (a link to the checkout), without npm.
  const { symlinkSync, mkdirSync } = await import('node:fs')
  mkdirSync(path.join(packDir, 'node_modules'))
  symlinkSync(repoRoot, path.join(packDir, 'node_modules/presend'))
  const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', 'test/index.test.js'], { cwd: packDir, env: childEnv() })
  t.match(stdout, /^# pass 7$/m, 'every case of the scaffolded tests passes')
  t.match(stdout, /^# fail 0$/m)
})

t.test('new-pack: names, folders and where presend comes from', async (t) => {
  const dir = t.testdir({ taken: { 'file.txt': 'x' }, empty: {} })
  const scoped = await run(['new-pack', '@acme/filters', '--dir', 'empty', '--presend', '^0.1.0'], dir)
  t.equal(scoped.code, 0)
  t.match(scoped.stdout, 'Created empty/ (JavaScript)')
  t.match(scoped.stdout, 'The plugin is "filters"; presend comes from ^0.1.0')
  t.match(scoped.stdout, 'Note: packs are easier to find when the name starts with "presend-pack-" (npm search keywords:presend-pack).')
  const manifest = JSON.parse(read(dir, 'empty', 'package.json')) as Record<string, unknown>
  t.match(manifest, { name: '@acme/filters', devDependencies: { presend: '^0.1.0' } })
  t.notOk('allowScripts' in manifest, 'a registry range needs no allowScripts')
  t.match(read(dir, 'empty', 'index.js'), 'export const filters = definePlugin(')

  const odd = await run(['new-pack', 'presend-pack-2fa', '--dir', 'odd'], dir)
  const here = path.join(dir, 'here')
  mkdirSync(here)
  t.match((await run(['new-pack', 'presend-pack-here', '--dir', '.'], here)).stdout, /^Created \.\/ \(JavaScript\)/, 'the current folder, when it is empty')
  t.equal(odd.code, 0)
  t.match(read(dir, 'odd', 'index.js'), "export const plugin2fa = definePlugin({\n  name: '2fa',", 'a plugin name that is no identifier gets one')
  const bare = await run(['new-pack', 'presend-pack-', '--dir', 'bare', '--ts'], dir)
  t.match(bare.stdout, 'The plugin is "presend-pack-"')
  t.match(read(dir, 'bare', 'src/index.ts'), "export const presendPack = definePlugin({\n  name: 'presend-pack-',")

  t.match(await run(['new-pack', 'presend-pack-x', '--dir', 'taken'], dir), {
    code: 3,
    stderr: `presend new-pack: ${path.join(dir, 'taken')} already exists and is not empty; choose another name, or give an empty or new folder with --dir.\n`,
  })
  t.match(await run(['new-pack'], dir), { code: 3, stderr: /^presend new-pack: give the pack's package name, e\.g\. "presend new-pack presend-pack-acme"\.\n\nUsage: presend new-pack/ })
  t.match(await run(['new-pack', 'a', 'b'], dir), { code: 3, stderr: /give the pack's package name/ })
  t.match(await run(['new-pack', 'Presend Pack'], dir), {
    code: 3,
    stderr: /^presend new-pack: "Presend Pack" is not an npm package name: use lower-case letters, digits, "-", "\." and "_", optionally under a @scope\/ \(e\.g\. presend-pack-acme\)\./,
  })
  t.match(await run(['new-pack', 'x'.repeat(215)], dir), { code: 3, stderr: /is not an npm package name/ })
  t.match((await run(['new-pack', '--help'], dir)).stdout, /^Usage: presend new-pack <name> \[--ts\] \[--presend SPEC\] \[--dir DIR\]/)
})

t.test("README's pack steps, word for word from an empty folder: scaffold --ts, install, test, pack, serve by name", async (t) => {
  const started = Date.now()
  const readme = read(repoRoot, 'README.md')
  const script = /<!-- pack-steps:start -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  // Step 1 gets presend: here it is this repository, built by the test run already (running npm ci in it
  // would replace the node_modules this test runs from). Everything after runs as written.
  const setup = ['PRESEND="$HOME/src/presend"       # where your presend checkout is', '(cd "$PRESEND" && npm ci)         # installs presend\'s dependencies and builds it into dist/']
  for (const line of setup) t.ok(script.includes(`${line}\n`), `README step 1: ${line.slice(0, 40)}…`)
  const steps = script.replace(`${setup[0]}\n`, `PRESEND=${JSON.stringify(repoRoot.replace(/\/$/, ''))}\n`).replace(`${setup[1]}\n`, '')

  const dir = t.testdir({})
  // Offline where the npm cache has it (TypeScript and @types/node, from presend's own install): no registry
  // round trips in a test.
  const env = childEnv({ npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' })
  const result = await promisify(execFile)('sh', ['-e', '-c', steps], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  )
  t.equal(result.code, 1, `the last step, presend check, exits 1 for a rejected message\n${result.stderr}`)
  t.match(result.stdout, /^# pass 7$/m, "npm test: the scaffolded pack's tests pass")
  t.match(result.stdout, /^# fail 0$/m)
  t.match(result.stdout, /1\. acme — rejects messages that contain a blocked word {2}\(use: presend-pack-acme\)\nOK: the configuration is valid\./, 'validate lists the plugin loaded by name')
  t.match(result.stdout, /^decision: reject \(by acme\)$/m, 'check: rejected by the pack')
  t.notMatch(result.stderr, /EBADENGINE|ERESOLVE|install-scripts/, 'npm had nothing to warn about')

  // The deployment the steps made: presend serves the pack by package name and answers a callback.
  const deploy = path.join(dir, 'deploy')
  const { config, baseDir } = await loadConfig({ cwd: deploy, env: {} })
  const app = await buildServer(config, { baseDir, logger: false })
  t.teardown(() => app.close())
  t.same(app.presend.pipeline.names, ['acme'])
  const reply = await app.inject({
    method: 'POST',
    url: '/?SdkAppid=1400000000&CallbackCommand=Group.CallbackBeforeSendMsg',
    payload: groupRequest({ text: 'totally forbidden' }),
  })
  t.same(reply.json(), { ActionStatus: 'OK', ErrorInfo: 'This message contains a blocked word.', ErrorCode: 1 })

  // Editors can check the pack's options too: the schema with --config knows them.
  const schema = await run(['schema', '--config', 'presend.config.json'], deploy)
  const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(schema.stdout) as object)
  t.ok(validate({ plugins: [{ use: 'presend-pack-acme', options: { words: ['forbidden'], code: 120001 } }] }))
  t.notOk(validate({ plugins: [{ use: 'presend-pack-acme', options: { wrods: ['forbidden'] } }] }), 'a misspelt option of the pack')
  t.comment(`README pack steps and serving took ${((Date.now() - started) / 1000).toFixed(1)} s`)
})
