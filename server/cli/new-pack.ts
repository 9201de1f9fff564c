/**
 * `presend new-pack <name> [--ts]`: scaffold a filter pack that installs against this presend (a checkout or a
 * tarball: presend is not on npm yet) and passes its own tests as written.
 *
 * @module
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PresendError } from '../../core/errors.js'
import type { CliCommand } from './command.js'
import { EXIT, UsageError } from './io.js'
import { MANIFEST, PACKAGE_ROOT, VERSION } from './package-info.js'
import { packFiles } from './pack-templates.js'

/** npm's rules for a package name (lower case, URL-safe, optionally scoped), at most 214 characters. */
const PACKAGE_NAME = /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/
const PREFIX = 'presend-pack-'

/**
 * The peer range a pack should declare for presend `version`: in 0.x a minor may break plugins, so the minor
 * it was written for (`^0.1.0` is `>=0.1.0 <0.2.0`); from 1.0 on, the major.
 *
 * @example peerRange('0.1.3') // '^0.1.0'
 */
export function peerRange(version: string): string {
  const [major = '0', minor = '0'] = version.split('.')
  return major === '0' ? `^0.${minor}.0` : `^${major}.0.0`
}

/**
 * The dev dependency on presend for a pack in `packDir`: `spec` when it is an npm range or tag, a `file:` path
 * (relative to the pack) when it names a presend checkout or tarball, else this presend's own folder.
 *
 * @example presendSpec('/home/me/presend-pack-acme', undefined, '/home/me', '/home/me/presend') // 'file:../presend'
 */
export function presendSpec(packDir: string, spec: string | undefined, cwd: string, root = PACKAGE_ROOT): string {
  if (spec !== undefined && !existsSync(path.resolve(cwd, spec))) return spec
  const target = spec === undefined ? root : path.resolve(cwd, spec)
  const relative = path.relative(packDir, target).split(path.sep).join('/')
  return `file:${relative.startsWith('.') ? relative : `./${relative}`}`
}

/**
 * The `new-pack` command.
 * @example await newPackCommand.run({ values: { ts: true }, positionals: ['presend-pack-acme'], argv: [] }, defaultIO())
 */
export const newPackCommand: CliCommand = {
  summary: 'scaffold a filter pack (one plugin, its tests, README; --ts for TypeScript)',
  help: `Usage: presend new-pack <name> [--ts] [--presend SPEC] [--dir DIR]

Create a filter pack in ./<name> (without its @scope): package.json (presend as a peer dependency, the
presend-pack keyword, exports and types), one plugin, its tests with presend/testing under node:test, a README
and a .gitignore; with --ts, in TypeScript with a tsconfig.json. Then: cd <name> && npm install && npm test.

presend is not on npm yet, so the pack's dev dependency on presend points at this presend's folder
(file:…), or at the checkout or tarball --presend names.

Options:
      --ts            write the pack in TypeScript (src/, test/, tsconfig.json; built into dist/)
      --presend SPEC  the presend to develop against: a checkout folder or a .tgz made by npm pack in one
                      (written as file:…), or an npm version range once presend is published
      --dir DIR       where to create the pack (default: ./<name without its scope>)
  -h, --help          show this help

Example:
  presend new-pack presend-pack-acme --ts
`,
  options: { ts: { type: 'boolean' }, presend: { type: 'string' }, dir: { type: 'string' } },
  positionals: true,
  async run({ values, positionals }, cli) {
    if (positionals.length !== 1) throw new UsageError('give the pack\'s package name, e.g. "presend new-pack presend-pack-acme".')
    const name = positionals[0] as string
    if (!PACKAGE_NAME.test(name) || name.length > 214) {
      throw new UsageError(`"${name}" is not an npm package name: use lower-case letters, digits, "-", "." and "_", optionally under a @scope/ (e.g. presend-pack-acme).`)
    }
    const base = name.replace(/^@[^/]+\//, '')
    const pluginName = base.startsWith(PREFIX) && base.length > PREFIX.length ? base.slice(PREFIX.length) : base
    const dir = path.resolve(cli.cwd, typeof values.dir === 'string' ? values.dir : base)
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new PresendError('PRESEND_FILE_EXISTS', `${dir} already exists and is not empty; choose another name, or give an empty or new folder with --dir.`)
    }
    const ts = values.ts === true
    const spec = presendSpec(dir, typeof values.presend === 'string' ? values.presend : undefined, cli.cwd)
    const files = packFiles({
      packageName: name,
      pluginName,
      peerRange: peerRange(VERSION),
      presendSpec: spec,
      // The pack's TypeScript toolchain is the one presend itself is built with.
      typescript: MANIFEST.devDependencies.typescript,
      typesNode: MANIFEST.devDependencies['@types/node'],
      ts,
    })
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await writeFile(path.join(dir, file), text)
    }
    const shown = path.relative(cli.cwd, dir) || '.'
    const note = base.startsWith(PREFIX) ? '' : `\nNote: packs are easier to find when the name starts with "${PREFIX}" (npm search keywords:presend-pack).`
    cli.stdout.write(`Created ${shown}/ (${ts ? 'TypeScript' : 'JavaScript'}): ${Object.keys(files).sort().join(', ')}
The plugin is "${pluginName}"; presend comes from ${spec} (peer range ${peerRange(VERSION)}).${note}
Next:
  cd ${shown}
  npm install
  npm test
`)
    return EXIT.OK
  },
}
