/**
 * Building a pipeline: every entry normalised and checked, every plugin's options validated, every
 * `create()` called once, and the result frozen. A build that fails closes what it had created.
 * @module
 */
import { z } from 'zod'
import { PresendError, formatZodIssues } from '../errors.js'
import { childLogger, silentLogger, type Logger } from '../logger.js'
import { isPlugin, type AnyPlugin, type Checker } from '../plugin.js'
import { PipelineImpl, type Stage } from './run.js'
import type { Pipeline, PipelineOptions, PluginEntry, PluginSettings } from './types.js'

const faultPolicy = z.enum(['allow', 'reject'])
const budgetMs = z.number().int().min(1).max(2000)

const pipelineOptionsSchema = z.object({
  deadlineMs: budgetMs.default(1500),
  onFault: faultPolicy.default('allow'),
})
const settingsSchema = z.object({
  name: z.string().min(1).optional(),
  onFault: faultPolicy.optional(),
  timeoutMs: budgetMs.optional(),
})

interface Entry {
  readonly plugin: AnyPlugin
  readonly options: unknown
  readonly settings: PluginSettings
  /** The name it runs under: `settings.name`, else the plugin's own. */
  readonly name: string
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
  const parsed = settingsSchema.safeParse(settings)
  if (!parsed.success) {
    throw new PresendError(
      'PRESEND_INVALID_PIPELINE_OPTIONS',
      `Invalid settings for plugin "${plugin.name}" (plugins[${i}]): ${formatZodIssues(parsed.error)}.`,
      { details: parsed.error.issues },
    )
  }
  return { plugin, options, settings: parsed.data, name: parsed.data.name ?? plugin.name }
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
async function createStage(entry: Entry, i: number, defaults: { onFault: 'allow' | 'reject'; deadlineMs: number }, logger: Logger, baseDir: string): Promise<Stage> {
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
    checker = await plugin.create(parsed.data, { log, baseDir, name })
  } catch (err) {
    if (err instanceof PresendError) throw err
    throw new PresendError('PRESEND_PLUGIN_CREATE_FAILED', `Plugin "${name}" failed to start: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    })
  }
  if (typeof checker?.check !== 'function') {
    throw new PresendError('PRESEND_INVALID_PLUGIN', `Plugin "${name}": create() must return an object with a check(message, ctx) function.`)
  }
  return { name, checker, onFault: settings.onFault ?? defaults.onFault, timeoutMs: settings.timeoutMs ?? defaults.deadlineMs, log }
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
  const parsedOptions = pipelineOptionsSchema.safeParse({ deadlineMs: options?.deadlineMs, onFault: options?.onFault })
  if (!parsedOptions.success || !Array.isArray(options?.plugins)) {
    const why = parsedOptions.success ? 'plugins: expected an array of plugins' : formatZodIssues(parsedOptions.error)
    throw new PresendError('PRESEND_INVALID_PIPELINE_OPTIONS', `Invalid pipeline options: ${why}.`)
  }
  const defaults = parsedOptions.data
  const logger = options.logger ?? silentLogger
  const baseDir = options.baseDir ?? process.cwd()
  const entries = options.plugins.map(normaliseEntry)
  checkNamesUnique(entries)

  const stages: Stage[] = []
  const closeAll = async () => {
    // A copy: `stages` is frozen once the pipeline is built, and reverse() works in place.
    for (const stage of [...stages].reverse()) await closeStage(stage, logger)
  }
  try {
    for (const [i, entry] of entries.entries()) stages.push(await createStage(entry, i, defaults, logger, baseDir))
  } catch (err) {
    await closeAll()
    throw err
  }
  return new PipelineImpl(Object.freeze(stages), defaults.deadlineMs, defaults.onFault, logger, closeAll)
}
