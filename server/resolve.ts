/**
 * Turns `plugins[].use` into plugins: a built-in name (`profanity`), an npm filter pack (`presend-pack-x`,
 * `@scope/pack`, `pack#one-plugin`) or a file relative to the config (`./filters/my-filter.js`), then builds
 * the pipeline the configuration describes.
 *
 * Packages are resolved from the config file's folder, the way Node resolves them from a module there, so a
 * pack installed next to the config (`npm i presend-pack-x`) is found wherever presend itself is installed.
 *
 * @module
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PresendError, formatZodIssues } from '../core/errors.js'
import { suggestKey } from '../core/key-hints.js'
import type { Logger } from '../core/logger.js'
import { createPipeline, type Pipeline, type PluginEntry } from '../core/pipeline/index.js'
import { isPlugin, type AnyPlugin } from '../core/plugin.js'
import type { Store } from '../core/store/types.js'
import { builtinPlugins } from '../plugins/index.js'
import type { PresendConfig } from './config.js'

/** True for `use` values that name a file rather than a package: `./x.js`, `../x.js`, `/abs/x.js`, `file:` URLs. */
function isPathLike(use: string): boolean {
  return use.startsWith('./') || use.startsWith('../') || use.startsWith('file:') || path.isAbsolute(use)
}

/** `name`, `name/sub`, `@scope/name`, `@scope/name/sub` — npm's rules for the package part. */
const PACKAGE_SPEC = /^((?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*)(\/[^#]+)?$/

function builtinList(): string {
  const names = Object.keys(builtinPlugins)
  return names.length === 0 ? '(none)' : names.join(', ')
}

/**
 * Resolve one `use` value to its plugins, in the order the module lists them.
 *
 * - a built-in name → that plugin;
 * - `./file.js` (relative to `baseDir`) or an absolute path → the file's default export;
 * - a package name → the package's default export, resolved from `baseDir`; `pkg#name` picks one plugin of a pack.
 *
 * A default export must be a plugin or an array of plugins (made with `definePlugin`).
 *
 * @example await resolvePlugin('presend-pack-example#no-shouting', { baseDir: '/srv/presend' })
 */
export async function resolvePlugin(use: string, opts: { baseDir: string }): Promise<AnyPlugin[]> {
  if (Object.hasOwn(builtinPlugins, use)) return [builtinPlugins[use]!]

  // `pack#plugin` picks one plugin of a pack (or of a file exporting several).
  const hash = use.lastIndexOf('#')
  const [spec, pick] = hash > 0 ? [use.slice(0, hash), use.slice(hash + 1)] : [use, undefined]

  let file: string
  let what: string
  if (isPathLike(spec)) {
    file = resolvePath(spec, opts.baseDir)
    what = `file ${file}`
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new PresendError(
        'PRESEND_UNKNOWN_PLUGIN',
        `Plugin file "${spec}" not found: ${file} does not exist (paths are relative to the config file's folder, ${opts.baseDir}).`,
      )
    }
  } else {
    file = resolvePackage(spec, opts.baseDir)
    what = `package "${spec}"`
  }

  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown }
  } catch (err) {
    throw new PresendError(
      'PRESEND_PLUGIN_LOAD_FAILED',
      `Loading ${what} (${file}) failed: ${(err as Error)?.message ?? String(err)}.`,
      { cause: err },
    )
  }

  const exported = mod.default
  const list = Array.isArray(exported) ? (exported as unknown[]) : [exported]
  if (list.length === 0 || !list.every(isPlugin)) {
    throw new PresendError(
      'PRESEND_INCOMPATIBLE_PACK',
      `Incompatible filter pack: ${what} does not default-export a presend plugin. Its default export must be a plugin made with definePlugin() from "presend", or an array of them (export default definePlugin({ name, options, create })).`,
    )
  }
  const plugins = list as AnyPlugin[]
  if (pick === undefined) return plugins
  const chosen = plugins.find((p) => p.name === pick)
  if (chosen === undefined) {
    throw new PresendError(
      'PRESEND_UNKNOWN_PLUGIN',
      `${what} has no plugin named "${pick}"; it exports ${plugins.map((p) => `"${p.name}"`).join(', ')}.`,
    )
  }
  return [chosen]
}

function resolvePath(spec: string, baseDir: string): string {
  return spec.startsWith('file:') ? fileURLToPath(spec) : path.resolve(baseDir, spec)
}

/** Find `spec` (`name[/sub]`) in the `node_modules` folders above `baseDir` and resolve its ESM entry. */
function resolvePackage(spec: string, baseDir: string): string {
  const match = PACKAGE_SPEC.exec(spec)
  const name = match?.[1]
  // require.resolve.paths lists exactly the node_modules folders Node would search from baseDir.
  const searchDirs = createRequire(path.join(baseDir, 'noop.js')).resolve.paths(name ?? spec) ?? []
  const pkgDir = name === undefined ? undefined : searchDirs.map((dir) => path.join(dir, name)).find((dir) => existsSync(path.join(dir, 'package.json')))
  if (pkgDir === undefined) throw unknownPackage(spec, name, baseDir, searchDirs)
  const subpath = `.${match?.[2] ?? ''}`

  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown }
  const target = manifest.exports === undefined ? legacyEntry(manifest.main, subpath) : exportsTarget(manifest.exports, subpath)
  if (target === undefined) {
    throw new PresendError(
      'PRESEND_INCOMPATIBLE_PACK',
      `Incompatible filter pack: package "${name as string}" (${pkgDir}) exports no "${subpath}" entry for import; its package.json "exports" must map "${subpath}" to an ES module.`,
    )
  }
  return path.join(pkgDir, target)
}

/**
 * The error for a `use` that names no installed package. A near miss of a built-in or of a package that IS
 * installed is most likely that one, so the error names it and proposes no install: suggesting `npm i` of a
 * misspelt name would send people to whatever a typosquatter published under it.
 */
function unknownPackage(spec: string, name: string | undefined, baseDir: string, searchDirs: readonly string[]): PresendError {
  const builtins = Object.keys(builtinPlugins)
  const installed = installedPackages(searchDirs)
  const guess = suggestKey(name ?? spec, [...builtins, ...installed.keys()].filter((candidate) => candidate !== name))
  const why =
    name === undefined
      ? 'it is neither a built-in name, a valid npm package name, nor a path'
      : `no built-in plugin has that name and no package "${name}" is installed in or above ${baseDir}`
  const head = `Unknown plugin "${spec}"`
  if (guess !== undefined) {
    const where = installed.get(guess)
    const what = where === undefined ? `the built-in "${guess}"` : `"${guess}" (installed in ${where})`
    return new PresendError(
      'PRESEND_UNKNOWN_PLUGIN',
      `${head} (did you mean ${what}?): ${why}. Built-in plugins: ${builtinList()}. Correct the name in "use".`,
    )
  }
  return new PresendError(
    'PRESEND_UNKNOWN_PLUGIN',
    `${head}: ${why}. Built-in plugins: ${builtinList()}. To use a filter pack, find its exact name (npm search keywords:presend-pack) and install it next to your config (cd ${baseDir} && npm i <package>), or give a file path starting with "./".`,
  )
}

/** Every package in `dirs` (node_modules folders), `@scope/name` for scoped ones, with the folder it is in. */
function installedPackages(dirs: readonly string[]): Map<string, string> {
  const found = new Map<string, string>()
  const add = (name: string, dir: string) => {
    if (!found.has(name)) found.set(name, dir)
  }
  for (const dir of dirs) {
    for (const entry of listDir(dir)) {
      if (entry.startsWith('.')) continue
      if (!entry.startsWith('@')) add(entry, dir)
      else for (const scoped of listDir(path.join(dir, entry))) add(`${entry}/${scoped}`, dir)
    }
  }
  return found
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

function legacyEntry(main: unknown, subpath: string): string {
  if (subpath !== '.') return subpath
  return typeof main === 'string' ? main : 'index.js'
}

const CONDITIONS = new Set(['node', 'import', 'default'])

/** Node's `exports` resolution for one subpath with the `node`/`import`/`default` conditions (no `*` patterns). */
function exportsTarget(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'))
  const entry = isSubpathMap ? (exportsField as Record<string, unknown>)[subpath] : subpath === '.' ? exportsField : undefined
  return conditionalTarget(entry)
}

function conditionalTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (Array.isArray(entry)) {
    for (const candidate of entry) {
      const hit = conditionalTarget(candidate)
      if (hit !== undefined) return hit
    }
    return undefined
  }
  if (typeof entry === 'object' && entry !== null) {
    for (const [condition, value] of Object.entries(entry)) {
      if (!CONDITIONS.has(condition)) continue
      const hit = conditionalTarget(value)
      if (hit !== undefined) return hit
    }
  }
  return undefined
}

/** Options of {@link createPipelineFromConfig}. */
export interface PipelineFromConfigOptions {
  /** Folder `use` paths and packages resolve from: the config file's folder. */
  baseDir: string
  /** Where faults and warnings go (the server passes Fastify's logger). */
  logger?: Logger
  /** The store plugins keep state in (the server's, which outlives reloads). Default: the pipeline's own memory store. */
  store?: Store
}

/**
 * Build the pipeline a configuration describes: resolve every `plugins[].use`, check every plugin's options
 * (errors name `plugins[i].options.<key>`), then `createPipeline`.
 *
 * When one `use` loads a pack of several plugins, they all run in the pack's order with their default
 * options; to configure them, give `options` keyed by plugin name (`{ "no-shouting": { … } }`), or pick one
 * with `"use": "pack#no-shouting"`.
 *
 * @example
 * const { config, baseDir } = await loadConfig()
 * const pipeline = await createPipelineFromConfig(config, { baseDir })
 */
export async function createPipelineFromConfig(config: PresendConfig, opts: PipelineFromConfigOptions): Promise<Pipeline> {
  const entries: PluginEntry[] = []
  for (const [i, item] of config.plugins.entries()) {
    let plugins: AnyPlugin[]
    try {
      plugins = await resolvePlugin(item.use, { baseDir: opts.baseDir })
    } catch (err) {
      /* c8 ignore next -- resolvePlugin only throws PresendErrors; anything else is a bug to surface */
      if (!(err instanceof PresendError)) throw err
      throw new PresendError(err.code, `plugins[${i}].use: ${err.message}`, { cause: err, details: err.details })
    }
    const { use: _use, name: _name, options: _options, ...settings } = item
    const [single] = plugins
    if (plugins.length === 1 && single !== undefined) {
      const options = checkOptions(single, item.options, `plugins[${i}].options`, item.name ?? single.name)
      entries.push({ plugin: single, options, ...settings, ...(item.name === undefined ? {} : { name: item.name }) })
      continue
    }
    if (item.name !== undefined) {
      throw new PresendError(
        'PRESEND_INVALID_CONFIG',
        `plugins[${i}].name: "${item.use}" loads ${plugins.length} plugins, so one name cannot fit them all; pick one with "use": "${item.use}#${plugins[0]!.name}" to rename it.`,
      )
    }
    const byName = packOptions(item.options, plugins, i)
    for (const plugin of plugins) {
      const options = checkOptions(plugin, byName[plugin.name], `plugins[${i}].options.${plugin.name}`, plugin.name)
      entries.push({ plugin, options, ...settings })
    }
  }
  return createPipeline({
    ...config.pipeline,
    plugins: entries,
    baseDir: opts.baseDir,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.store === undefined ? {} : { store: opts.store }),
  })
}

/** Validate options here too so the error points at the config key, not at the pipeline's own index. */
function checkOptions(plugin: AnyPlugin, options: unknown, where: string, name: string): unknown {
  const parsed = plugin.options.safeParse(options === undefined ? {} : options)
  if (!parsed.success) {
    throw new PresendError(
      'PRESEND_INVALID_OPTIONS',
      `Invalid options for plugin "${name}": ${formatZodIssues(parsed.error, where, plugin.options)}.`,
      { details: parsed.error.issues },
    )
  }
  return options
}

function packOptions(options: unknown, plugins: readonly AnyPlugin[], i: number): Record<string, unknown> {
  if (options === undefined) return {}
  const names = plugins.map((p) => p.name)
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PresendError(
      'PRESEND_INVALID_OPTIONS',
      `plugins[${i}].options: this pack has several plugins (${names.join(', ')}), so options must be an object keyed by plugin name.`,
    )
  }
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) {
      throw new PresendError(
        'PRESEND_INVALID_OPTIONS',
        `plugins[${i}].options.${key}: the pack has no plugin "${key}"; its plugins are ${names.join(', ')} (options of a multi-plugin pack are keyed by plugin name).`,
      )
    }
  }
  return options as Record<string, unknown>
}
