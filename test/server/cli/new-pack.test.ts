// presend new-pack: the scaffold's files, its mistakes, and a JavaScript pack whose tests pass as written. The
// README's pack steps, run word for word from an empty folder, are in pack-steps.test.ts.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { peerRange, presendSpec } from '../../../server/cli/new-pack.js'
import { childEnv, outsideTap } from '../fixtures/child-env.js'
import { runMain as run } from '../fixtures/run-main.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

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
  const { stdout } = await promisify(execFile)(...outsideTap(process.execPath, ['--test', '--test-reporter=tap', 'test/index.test.js']), { cwd: packDir, env: childEnv() })
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
