/**
 * Building a pipeline: every entry normalised and checked, every plugin's options validated, every
 * `create()` called once, and the result frozen. A build that fails closes what it had created.
 * @module
 */
import { z } from 'zod'
import { PresendError, formatZodIssues } from '../errors.js'
import { childLogger, silentLogger, type Logger } from '../logger.js'
import { compileJsonText, jsonTextRuleSchema } from '../json-text.js'
import { isPlugin, type AnyPlugin, type Checker } from '../plugin.js'
import { createMemoryStore } from '../store/memory.js'
import { namespaceStore } from '../store/namespace.js'
import type { Store } from '../store/types.js'
import { PipelineImpl, type RunSettings, type Stage } from './run.js'
import { compileScope, scopeSchema, type ScopeTest } from './scope.js'
import type { Pipeline, PipelineOptions, PluginEntry } from './types.js'

const faultPolicy = z.enum(['allow', 'reject'])
/** Tencent waits 2000 ms for the callback; a budget past that is never useful. */
const budgetMs = z.number().int().min(1).max(2000)

/**
 * The pipeline-wide options (besides `plugins`, `logger` and `baseDir`), with their defaults; the server's
 * configuration uses the same schema for its `pipeline` key.
 * @example pipelineOptionsSchema.parse({}).deadlineMs // 1500
 */
export const pipelineOptionsSchema = z.strictObject({
  deadlineMs: budgetMs.default(1500).describe('Budget for the whole run in ms (Tencent waits 2000 ms, then delivers).'),
  onFault: faultPolicy.default('allow').describe('What a plugin that throws or runs out of time means: allow (fail-open) or reject (fail-closed).'),
  jsonText: z.array(jsonTextRuleSchema).default([]).describe('Strings inside app JSON (TIMCustomElem.Data, CloudCustomData) that are user text, for the plugins to read.'),
  maxTextLength: z.number().int().positive().default(65536).describe('The most text (UTF-16 units, all texts of a callback) checked; a longer callback gets the fault policy.'),
})

/**
 * A plugin's settings in a pipeline (besides its options), as `[plugin, options, settings]`, `{ plugin,
 * options, ...settings }` or a config entry give them.
 */
export const pluginSettingsSchema = z.strictObject({
  name: z.string().min(1).optional().describe('The name this plugin runs under (default: its own); lets one plugin run twice.'),
  onFault: faultPolicy.optional().describe("Overrides the pipeline's fault policy for this plugin."),
  timeoutMs: budgetMs.optional().describe("This plugin's own budget in ms (never more than what is left of the pipeline's deadline)."),
  only: scopeSchema.optional().describe('Run only where every dimension named matches (commands or kinds, group ids and types, senders, platforms).'),
  except: scopeSchema.optional().describe('Skip where any dimension named matches: exempt an admin or a bot, a kind of group, a platform.'),
  blockOnly: z.enum(['refuse', 'ignore']).optional().describe('On callbacks that can only be allowed or refused, what an edit of their text means: refuse (default) or ignore.'),
})

interface Entry {
  readonly plugin: AnyPlugin
  readonly options: unknown
  readonly settings: z.output<typeof pluginSettingsSchema>
  /** The name it runs under: `settings.name`, else the plugin's own. */
  readonly name: string
  readonly scope: ScopeTest | undefined
}

function normaliseEntry(entry: PluginEntry, i: number): Entry {
  let plugin: unknown
  let options: unknown
  let settings: unknown = {}
  if (Array.isArray(entry)) [plugin, options, settings = {}] = entry
  else if (isPlugin(entry)) plugin = entry
  else if (typeof entry === 'object' && entry !== null) {
    const { plugin: p, options: o, ...rest } = entry as { plugin?: unknown; options?: unknown }
    plugin = p
    options = o
    settings = rest
  }
  if (!isPlugin(plugin)) {
    throw new PresendError(
      'PRESEND_INVALID_PLUGIN',
      `plugins[${i}] is not a presend plugin; pass a plugin made with definePlugin(), [plugin, options] or { plugin, options }.`,
    )
  }
  const parsed = pluginSettingsSchema.safeParse(settings)
  if (!parsed.success) {
    throw new PresendError(
      'PRESEND_INVALID_PIPELINE_OPTIONS',
      `Invalid settings for plugin "${plugin.name}" (plugins[${i}]): ${formatZodIssues(parsed.error, '', pluginSettingsSchema)}.`,
      { details: parsed.error.issues },
    )
  }
  const scope = compileScope(parsed.data.only, parsed.data.except)
  return { plugin, options, settings: parsed.data, name: parsed.data.name ?? plugin.name, scope }
}

function checkNamesUnique(entries: readonly Entry[]): void {
  const seen = new Set<string>()
  for (const { name } of entries) {
    if (seen.has(name)) {
      throw new PresendError(
        'PRESEND_DUPLICATE_PLUGIN',
        `Plugin name "${name}" appears twice in the pipeline; give the second one its own name (settings.name, or "name" in config).`,
      )
    }
    seen.add(name)
  }
}

/** Validate one entry's options and call its `create()`. */
async function createStage(entry: Entry, i: number, defaults: RunSettings, logger: Logger, baseDir: string, store: Store): Promise<Stage> {
  const { plugin, options: raw, settings, name } = entry
  const parsed = plugin.options.safeParse(raw === undefined ? {} : raw)
  if (!parsed.success) {
    throw new PresendError(
      'PRESEND_INVALID_OPTIONS',
      `Invalid options for plugin "${name}" (plugins[${i}]): ${formatZodIssues(parsed.error, 'options', plugin.options)}.`,
      { details: parsed.error.issues },
    )
  }
  const log = childLogger(logger, { plugin: name })
  let checker: Checker
  try {
    checker = await plugin.create(parsed.data, { log, baseDir, name, store: namespaceStore(store, name) })
  } catch (err) {
    if (err instanceof PresendError) throw err
    throw new PresendError('PRESEND_PLUGIN_CREATE_FAILED', `Plugin "${name}" failed to start: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    })
  }
  if (typeof checker?.check !== 'function') {
    throw new PresendError('PRESEND_INVALID_PLUGIN', `Plugin "${name}": create() must return an object with a check(message, ctx) function.`)
  }
  return {
    name,
    checker,
    onFault: settings.onFault ?? defaults.onFault,
    timeoutMs: settings.timeoutMs ?? defaults.deadlineMs,
    log,
    scope: entry.scope,
    blockOnly: settings.blockOnly ?? 'refuse',
  }
}

async function closeStage(stage: Stage, logger: Logger): Promise<void> {
  try {
    await stage.checker.close?.()
  } catch (err) {
    logger.warn({ plugin: stage.name, err }, `plugin "${stage.name}" failed to close`)
  }
}

/**
 * Build a pipeline: validate every plugin's options, call every `create()` once, and freeze the result.
 * Throws a {@link PresendError} naming the plugin and the bad key when an option is invalid.
 *
 * @example
 * const pipeline = await createPipeline({ plugins: [[profanity, { words: ['darn'] }]], onFault: 'allow' })
 * const { reply } = await pipeline.run(request)
 */
export async function createPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { plugins, logger: given, baseDir: dir, store: shared, ...rest } = options ?? ({} as PipelineOptions)
  const parsedOptions = pipelineOptionsSchema.safeParse(rest)
  if (!parsedOptions.success || !Array.isArray(plugins)) {
    const why = parsedOptions.success ? 'plugins: expected an array of plugins' : formatZodIssues(parsedOptions.error, '', pipelineOptionsSchema)
    throw new PresendError('PRESEND_INVALID_PIPELINE_OPTIONS', `Invalid pipeline options: ${why}.`)
  }
  const { jsonText, ...settings } = parsedOptions.data
  const defaults: RunSettings = { ...settings, readers: compileJsonText(jsonText) }
  const logger = given ?? silentLogger
  const baseDir = dir ?? process.cwd()
  const entries = plugins.map(normaliseEntry)
  checkNamesUnique(entries)

  // A store given is the caller's (it outlives reloads); one made here is this pipeline's, closed with it.
  const store = shared ?? createMemoryStore()
  const stages: Stage[] = []
  const closeAll = async () => {
    // A copy: `stages` is frozen once the pipeline is built, and reverse() works in place.
    for (const stage of [...stages].reverse()) await closeStage(stage, logger)
    if (shared === undefined) await store.close()
  }
  try {
    for (const [i, entry] of entries.entries()) stages.push(await createStage(entry, i, defaults, logger, baseDir, store))
  } catch (err) {
    await closeAll()
    throw err
  }
  return new PipelineImpl(Object.freeze(stages), defaults, logger, closeAll)
}
