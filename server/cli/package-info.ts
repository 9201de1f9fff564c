/**
 * Where the running presend lives and which version it is: `init` points `$schema` at its schema file,
 * `new-pack` writes a dependency on it, and `--version` prints the version.
 *
 * @module
 */
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/**
 * The presend package's root folder (where its package.json is), found through the package's own exports.
 * @example path.join(PACKAGE_ROOT, 'dist/config.schema.json')
 */
export const PACKAGE_ROOT = path.dirname(require.resolve('presend/package.json'))

/**
 * The presend package's manifest fields the CLI reads.
 * @example MANIFEST.devDependencies.typescript // '^5.9.3'
 */
export const MANIFEST = require('presend/package.json') as {
  version: string
  // npm keeps devDependencies in a published manifest, so a pack gets the toolchain presend is built with.
  devDependencies: { typescript: string; '@types/node': string }
}

/**
 * The version of the running presend, e.g. `0.1.0`.
 * @example cli.stdout.write(`${VERSION}\n`)
 */
export const VERSION = MANIFEST.version
