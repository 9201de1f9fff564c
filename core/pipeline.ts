/**
 * The filter pipeline: built once (options validated, plugins created, everything frozen), then run per
 * message. Plugins run in the declared order, each seeing the message as the previous ones left it; the
 * first reject or drop ends the run. A deadline and a fault policy bound every plugin.
 * @module
 */
import { z } from 'zod'
import { compileAcceptor } from './acceptor.js'
import { applyEdits, InvalidEditError } from './edits.js'
import { PresendError, formatZodIssues } from './errors.js'
import { childLogger, silentLogger, type Logger } from './logger.js'
import { MessageView } from './message.js'
import { forgetLastNormalization } from './text/index.js'
import { isPlugin, type AnyPlugin, type CheckContext, type Checker, type Verdict } from './plugin.js'
import {
  beforeSendRequestSchema,
  isValidRejectCode,
  OK_REPLY,
  type BeforeSendCommand,
  type BeforeSendRequest,
  type CallbackReply,
  type MsgElement,
} from './protocol.js'

/** What a fault (a thrown error, or a plugin past its time budget) turns into. */
export type FaultPolicy = 'allow' | 'reject'

/** Per-plugin settings in a pipeline. */
export interface PluginSettings {
  /** Name in this pipeline (defaults to the plugin's name); lets one plugin run twice. */
  name?: string
  /** Overrides the pipeline's fault policy for this plugin. */
  onFault?: FaultPolicy
  /** This plugin's own time budget in ms (it never gets more than what is left of the deadline). */
  timeoutMs?: number
}

/** One pipeline entry: a plugin, `[plugin, options?, settings?]`, or `{ plugin, options?, ...settings }`. */
export type PluginEntry =
  | AnyPlugin
  | readonly [AnyPlugin, unknown?, PluginSettings?]
  | ({ plugin: AnyPlugin; options?: unknown } & PluginSettings)

/** Options of {@link createPipeline}. */
export interface PipelineOptions {
  plugins: readonly PluginEntry[]
  /** Budget for the whole run in ms (Tencent waits 2000 ms, then delivers anyway). Default 1500. */
  deadlineMs?: number
  /** Fault policy: `allow` (fail-open, as Tencent does on timeout; the default) or `reject` (fail-closed). */
  onFault?: FaultPolicy
  /** Where faults and warnings go (pino-compatible). Default: silent. */
  logger?: Logger
  /** Folder relative paths in plugin options resolve against. Default: `process.cwd()`. */
  baseDir?: string
}

/** Per-message facts the server knows from the query string. */
export interface RunMeta {
  sdkAppId?: number
  clientIp?: string
  platform?: string
}

/** What one plugin did in one run. */
export interface TraceEntry {
  plugin: string
  outcome: 'allow' | 'edit' | 'reject' | 'drop' | 'fault' | 'skipped'
  reason?: string
  /** The `ErrorCode` a reject produced. */
  code?: number
  /** What the plugin's edits changed (offsets, never message text). */
  changes?: string[]
  /** Why a plugin faulted or was skipped. */
  error?: string
  /** How long the plugin took: its check, and applying its edits. */
  durationMs: number
}

/** The result of one run. */
export interface RunResult {
  decision: 'allow' | 'reject' | 'drop'
  /** The JSON body to answer Tencent with. */
  reply: CallbackReply
  /** True when the message is allowed with a changed body or `CloudCustomData`. */
  changed: boolean
  body: readonly MsgElement[]
  cloudCustomData: string | undefined
  /** The plugin that rejected or dropped (or faulted under a reject policy). */
  decidedBy: string | undefined
  /** Number of plugins that faulted. */
  faults: number
  trace: TraceEntry[]
}

/** A built, frozen pipeline. */
export interface Pipeline {
  /** Plugin names in run order. */
  readonly names: readonly string[]
  readonly deadlineMs: number
  readonly onFault: FaultPolicy
  /** Run one request. Never throws for a message: faults follow the fault policy. */
  run(request: BeforeSendRequest, meta?: RunMeta): Promise<RunResult>
  /**
   * The same run as {@link Pipeline.run}, answered at once when every plugin answers synchronously: the result
   * itself, with no promise and no microtask turn; a promise of it once a plugin answers with one. For code
   * on a hot path, such as a server's handler. Throws (synchronously) only when the pipeline is closed.
   * @example
   * const out = pipeline.runNow(request)
   * const result = out instanceof Promise ? await out : out
   */
  runNow(request: BeforeSendRequest, meta?: RunMeta): RunResult | Promise<RunResult>
  /** Close every plugin (in reverse order). Runs after close are refused. */
  close(): Promise<void>
}

interface Stage {
  readonly name: string
  readonly checker: Checker
  readonly onFault: FaultPolicy
  readonly timeoutMs: number
  readonly log: Logger
}

const KIND = {
  'C2C.CallbackBeforeSendMsg': 'c2c',
  'Group.CallbackBeforeSendMsg': 'group',
  'OfficialAccount.CallbackBeforeSendMsg': 'official-account',
} as const

const pipelineOptionsSchema = z.object({
  deadlineMs: z.number().int().min(1).max(2000).default(1500),
  onFault: z.enum(['allow', 'reject']).default('allow'),
})
const settingsSchema = z.object({
  name: z.string().min(1).optional(),
  onFault: z.enum(['allow', 'reject']).optional(),
  timeoutMs: z.number().int().min(1).max(2000).optional(),
})

function normaliseEntry(entry: PluginEntry, i: number): { plugin: AnyPlugin; options: unknown; settings: PluginSettings } {
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
  return { plugin, options, settings: parsed.data }
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
  const { deadlineMs, onFault } = parsedOptions.data
  const logger = options.logger ?? silentLogger
  const baseDir = options.baseDir ?? process.cwd()
  const entries = options.plugins.map(normaliseEntry)

  const seen = new Set<string>()
  for (const { plugin, settings } of entries) {
    const name = settings.name ?? plugin.name
    if (seen.has(name)) {
      throw new PresendError(
        'PRESEND_DUPLICATE_PLUGIN',
        `Plugin name "${name}" appears twice in the pipeline; give the second one its own name (settings.name, or "name" in config).`,
      )
    }
    seen.add(name)
  }

  const stages: Stage[] = []
  const closeAll = async () => {
    // A copy: `stages` is frozen once the pipeline is built, and reverse() works in place.
    for (const stage of [...stages].reverse()) await closeStage(stage, logger)
  }
  try {
    for (const [i, { plugin, options: raw, settings }] of entries.entries()) {
      const name = settings.name ?? plugin.name
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
        throw new PresendError(
          'PRESEND_PLUGIN_CREATE_FAILED',
          `Plugin "${name}" failed to start: ${(err as Error)?.message ?? String(err)}`,
          { cause: err },
        )
      }
      if (typeof checker?.check !== 'function') {
        throw new PresendError(
          'PRESEND_INVALID_PLUGIN',
          `Plugin "${name}": create() must return an object with a check(message, ctx) function.`,
        )
      }
      stages.push({ name, checker, onFault: settings.onFault ?? onFault, timeoutMs: settings.timeoutMs ?? deadlineMs, log })
    }
  } catch (err) {
    await closeAll()
    throw err
  }
  return new PipelineImpl(Object.freeze(stages), deadlineMs, onFault, logger, closeAll)
}

async function closeStage(stage: Stage, logger: Logger): Promise<void> {
  try {
    await stage.checker.close?.()
  } catch (err) {
    logger.warn({ plugin: stage.name, err }, `plugin "${stage.name}" failed to close`)
  }
}

class FaultError extends Error {}

/** Settle `value` within `ms`, aborting `controller` and failing when the budget runs out. */
function withinBudget<T>(value: Promise<T>, ms: number, controller: () => AbortController | undefined): Promise<T> {
  return new Promise<T>((resolve, rejectPromise) => {
    const timer = setTimeout(() => {
      controller()?.abort(new FaultError(`timed out after ${ms} ms`))
      rejectPromise(new FaultError(`timed out after ${ms} ms`))
    }, ms)
    value.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (err: unknown) => {
        clearTimeout(timer)
        rejectPromise(err)
      },
    )
  })
}

/** What every plugin of one run is told about the message: computed once per run. */
class RunFacts {
  readonly command: BeforeSendCommand
  readonly kind: CheckContext['kind']
  readonly sdkAppId: number | undefined
  readonly from: string | undefined
  readonly to: string | undefined
  readonly groupId: string | undefined
  readonly topicId: string | undefined
  readonly platform: string | undefined
  readonly clientIp: string | undefined
  readonly request: Readonly<Record<string, unknown>>

  constructor(request: BeforeSendRequest, meta: RunMeta | undefined) {
    const r = request as Record<string, unknown>
    this.command = request.CallbackCommand
    this.kind = KIND[request.CallbackCommand]
    this.sdkAppId = meta?.sdkAppId
    this.from = str(r.From_Account) ?? str(r.Official_Account)
    this.to = str(r.To_Account)
    this.groupId = str(r.GroupId)
    this.topicId = str(r.TopicId)
    this.platform = meta?.platform
    this.clientIp = meta?.clientIp
    this.request = r
  }
}

/**
 * One plugin's context in one run. Its own object, so a plugin that overran its budget and is still
 * running never sees the next plugin's signal or logger; the AbortSignal is made only when asked for.
 */
class Context implements CheckContext {
  controller: AbortController | undefined

  constructor(
    private readonly facts: RunFacts,
    readonly log: Logger,
    /** `performance.now()` at which this plugin's budget ends. */
    private readonly budgetEndsAt: number,
  ) {}

  get command() { return this.facts.command }
  get kind() { return this.facts.kind }
  get sdkAppId() { return this.facts.sdkAppId }
  get from() { return this.facts.from }
  get to() { return this.facts.to }
  get groupId() { return this.facts.groupId }
  get topicId() { return this.facts.topicId }
  get platform() { return this.facts.platform }
  get clientIp() { return this.facts.clientIp }
  get request() { return this.facts.request }

  get signal(): AbortSignal {
    // A plugin that reads the signal after its budget is spent gets one that is already aborted.
    this.controller ??= new AbortController()
    if (performance.now() >= this.budgetEndsAt && !this.controller.signal.aborted) this.controller.abort(new FaultError('no time left'))
    return this.controller.signal
  }
}

/**
 * One message's run: what the plugins so far made of it. The clock is read once as each plugin ends (again
 * after applying its edits), and that reading (`now`) is when the next plugin starts: a reading costs
 * ~0.1 µs on some machines, and every message pays for each one.
 */
class Run {
  readonly facts: RunFacts
  readonly deadline: number
  readonly originalBody: readonly MsgElement[]
  readonly originalCdd: string | undefined
  body: readonly MsgElement[]
  cdd: string | undefined
  bodyChanged = false
  cddChanged = false
  faults = 0
  readonly trace: TraceEntry[] = []
  message: MessageView

  constructor(request: BeforeSendRequest, meta: RunMeta | undefined, public now: number, deadlineMs: number) {
    this.facts = new RunFacts(request, meta)
    this.deadline = now + deadlineMs
    this.originalBody = this.body = request.MsgBody
    this.originalCdd = this.cdd = request.CloudCustomData
    this.message = new MessageView(this.body, this.cdd)
  }
}

function faultOf(err: unknown): string {
  return err instanceof FaultError ? err.message : `threw: ${(err as Error)?.message ?? String(err)}`
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function'
}

function isVerdict(v: unknown): v is Verdict {
  const type = (v as { type?: unknown } | null)?.type
  return type === 'allow' || type === 'reject' || type === 'drop'
}

class PipelineImpl implements Pipeline {
  readonly names: readonly string[]
  #closed = false

  constructor(
    private readonly stages: readonly Stage[],
    readonly deadlineMs: number,
    readonly onFault: FaultPolicy,
    private readonly logger: Logger,
    private readonly closeAll: () => Promise<void>,
  ) {
    this.names = Object.freeze(stages.map((s) => s.name))
    Object.freeze(this)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.closeAll()
  }

  run(request: BeforeSendRequest, meta?: RunMeta): Promise<RunResult> {
    try {
      return Promise.resolve(this.runNow(request, meta))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  runNow(request: BeforeSendRequest, meta?: RunMeta): RunResult | Promise<RunResult> {
    if (this.#closed) {
      throw new PresendError('PRESEND_PIPELINE_CLOSED', 'This pipeline is closed; build a new one with createPipeline() to run messages.')
    }
    // A new message: plugins share a text's normalisation inside it, never with the message before.
    forgetLastNormalization()
    return this.runFrom(new Run(request, meta, performance.now(), this.deadlineMs), 0)
  }

  /** Run the plugins from the `from`-th on; synchronously until one answers with a promise. */
  private runFrom(run: Run, from: number): RunResult | Promise<RunResult> {
    for (let i = from; i < this.stages.length; i++) {
      const stage = this.stages[i] as Stage
      const t0 = run.now
      const budget = Math.min(stage.timeoutMs, run.deadline - t0)
      if (budget <= 0) return this.skipRest(run, i)
      const ctx = new Context(run.facts, stage.log, t0 + budget)
      let verdict: unknown
      let fault: string | undefined
      try {
        verdict = stage.checker.check(run.message, ctx)
        if (isThenable(verdict)) return this.awaitVerdict(run, i, verdict, budget, ctx)
        run.now = performance.now()
        if (run.now - t0 > budget) fault = `ran for ${Math.round(run.now - t0)} ms, past its ${Math.round(budget)} ms budget`
      } catch (err) {
        run.now = performance.now()
        fault = faultOf(err)
      }
      const ended = this.settle(run, stage, t0, verdict, fault)
      if (ended !== undefined) return ended
    }
    return this.allowResult(run)
  }

  /** The `i`-th plugin answered with a promise: wait for it within its budget, then go on with the next. */
  private async awaitVerdict(run: Run, i: number, pending: Promise<unknown>, budget: number, ctx: Context): Promise<RunResult> {
    const stage = this.stages[i] as Stage
    const t0 = run.now
    let verdict: unknown
    let fault: string | undefined
    try {
      verdict = await withinBudget(pending, budget, () => ctx.controller)
      run.now = performance.now()
    } catch (err) {
      run.now = performance.now()
      fault = faultOf(err)
    }
    const ended = this.settle(run, stage, t0, verdict, fault)
    if (ended !== undefined) return ended
    return this.runFrom(run, i + 1)
  }

  /** Out of time before the `i`-th plugin could start: each remaining plugin is a fault. */
  private skipRest(run: Run, i: number): RunResult {
    for (let j = i; j < this.stages.length; j++) {
      const s = this.stages[j] as Stage
      run.faults++
      run.trace.push({ plugin: s.name, outcome: 'skipped', error: `pipeline deadline of ${this.deadlineMs} ms reached before it ran`, durationMs: 0 })
      s.log.warn({ plugin: s.name, command: run.facts.command }, `plugin "${s.name}" skipped: pipeline deadline reached`)
      if (s.onFault === 'reject') return this.faultReject(run, s.name)
    }
    return this.allowResult(run)
  }

  /**
   * Apply what one plugin answered (`verdict`, or `fault` when it failed): the run's result when this ends
   * it (a reject, a drop, a fault under a reject policy, a body emptied by edits), else undefined.
   */
  private settle(run: Run, stage: Stage, t0: number, verdict: unknown, fault: string | undefined): RunResult | undefined {
    if (fault === undefined && !isVerdict(verdict)) {
      fault = `returned ${describe(verdict)}, which is not a verdict; return allow(), edit(), reject() or drop()`
    }
    let entry: TraceEntry | undefined
    if (fault === undefined) {
      const v = verdict as Verdict
      if (v.type === 'reject') {
        const code = this.rejectCode(run.facts.command, v, stage)
        run.trace.push(withReason({ plugin: stage.name, outcome: 'reject', code, durationMs: run.now - t0 }, v.reason))
        return {
          decision: 'reject',
          reply: { ActionStatus: 'OK', ErrorCode: code, ErrorInfo: v.info ?? v.reason ?? `rejected by ${stage.name}` },
          changed: false,
          body: run.body,
          cloudCustomData: run.cdd,
          decidedBy: stage.name,
          faults: run.faults,
          trace: run.trace,
        }
      }
      if (v.type === 'drop') {
        run.trace.push(withReason({ plugin: stage.name, outcome: 'drop', durationMs: run.now - t0 }, v.reason))
        return this.dropResult(run, stage.name)
      }
      if (!Array.isArray(v.edits) || v.edits.length === 0) {
        entry = withReason({ plugin: stage.name, outcome: 'allow', durationMs: run.now - t0 }, v.reason)
      } else {
        try {
          const applied = applyEdits(run.body, run.cdd, v.edits)
          run.now = performance.now()
          if (applied.bodyChanged || applied.cloudCustomDataChanged) {
            run.body = applied.body
            run.cdd = applied.cloudCustomData
            run.bodyChanged ||= applied.bodyChanged
            run.cddChanged = run.cdd !== run.originalCdd
            run.message = new MessageView(run.body, run.cdd)
          }
          entry = withReason({ plugin: stage.name, outcome: 'edit', changes: applied.changes, durationMs: run.now - t0 }, v.reason)
        } catch (err) {
          /* c8 ignore next -- applyEdits throws only InvalidEditError; anything else is a bug to surface */
          if (!(err instanceof InvalidEditError)) throw err
          run.now = performance.now()
          fault = `returned an invalid edit: ${err.message}`
        }
      }
    }
    if (fault !== undefined) {
      run.faults++
      stage.log.error({ plugin: stage.name, command: run.facts.command, fault }, `plugin "${stage.name}" faulted: ${fault}`)
      run.trace.push({ plugin: stage.name, outcome: 'fault', error: fault, durationMs: run.now - t0 })
      if (stage.onFault === 'reject') return this.faultReject(run, stage.name)
      return undefined
    }
    run.trace.push(entry as TraceEntry)
    // Only a body emptied by edits is a drop; a request that arrived empty is left as Tencent sent it.
    if (run.bodyChanged && run.body.length === 0) return this.dropResult(run, stage.name)
    return undefined
  }

  /** Every plugin has had its say and none ended the run: the message goes, changed or not. */
  private allowResult(run: Run): RunResult {
    const { body, cdd, cddChanged } = run
    // Edits that cancel out (one plugin inserts an element, a later one removes it) leave the body as it came:
    // the reply then carries no MsgBody, so "changed" means Tencent would deliver something different.
    const bodyChanged = run.bodyChanged && !sameElements(body, run.originalBody)
    const changed = bodyChanged || cddChanged
    let reply: CallbackReply = OK_REPLY
    if (changed) {
      reply = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
      if (bodyChanged) reply.MsgBody = body as MsgElement[]
      // cdd is a string here: only set-cloud-custom-data changes it, and it takes a string.
      if (cddChanged) reply.CloudCustomData = cdd as string
    }
    return { decision: 'allow', reply, changed, body, cloudCustomData: cdd, decidedBy: undefined, faults: run.faults, trace: run.trace }
  }

  private rejectCode(command: BeforeSendCommand, v: { code: number | undefined; groupCode: number | undefined }, stage: Stage): number {
    let code = command === 'C2C.CallbackBeforeSendMsg' ? v.code : v.groupCode
    // A group message without a groupCode may use `code` when it fits the group range; a C2C-range `code`
    // is meant for C2C messages, so it quietly means plain 1 here instead of a warning on every message.
    if (code === undefined && command !== 'C2C.CallbackBeforeSendMsg' && v.code !== undefined && isValidRejectCode(command, v.code)) {
      code = v.code
    }
    if (code === undefined) return 1
    if (isValidRejectCode(command, code)) return code
    stage.log.warn(
      { plugin: stage.name, command, code },
      `plugin "${stage.name}" rejected with code ${code}, which is outside the range Tencent allows for ${command}; answering 1 instead`,
    )
    return 1
  }

  private dropResult(run: Run, by: string): RunResult {
    return {
      decision: 'drop',
      reply: { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' },
      changed: false,
      body: run.body,
      cloudCustomData: run.cdd,
      decidedBy: by,
      faults: run.faults,
      trace: run.trace,
    }
  }

  private faultReject(run: Run, by: string): RunResult {
    const command = run.facts.command
    this.logger.warn({ plugin: by, command }, `rejecting the message: plugin "${by}" faulted and its fault policy is reject`)
    return {
      decision: 'reject',
      reply: { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: `presend: plugin ${by} failed; message rejected by fault policy` },
      changed: false,
      body: run.body,
      cloudCustomData: run.cdd,
      decidedBy: by,
      faults: run.faults,
      trace: run.trace,
    }
  }
}

/** Element-wise equality; runs only after some edit changed the body, so the stringify cost is rare. */
function sameElements(a: readonly MsgElement[], b: readonly MsgElement[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false
  }
  return true
}

function withReason(entry: TraceEntry, reason: string | undefined): TraceEntry {
  if (reason !== undefined) entry.reason = reason
  return entry
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v)
  if (typeof v === 'object') return `an object without a valid "type"`
  return `a ${typeof v}`
}

/** A quick yes for the bodies zod would accept as they are: most of them. */
const acceptsAsIs = compileAcceptor(beforeSendRequestSchema)

/**
 * Parse a callback body against the before-send schemas. Throws a `PRESEND_INVALID_REQUEST`
 * {@link PresendError} that names the bad field. A valid body is returned as it is, not copied (treat it
 * as read-only, as the pipeline does); only a body the quick check cannot vouch for goes through zod,
 * which then decides.
 * @example const request = parseRequest(JSON.parse(rawBody))
 */
export function parseRequest(json: unknown): BeforeSendRequest {
  if (acceptsAsIs(json)) return json as BeforeSendRequest
  const parsed = beforeSendRequestSchema.safeParse(json)
  if (!parsed.success) {
    throw new PresendError('PRESEND_INVALID_REQUEST', `Invalid callback body: ${formatZodIssues(parsed.error)}.`, {
      details: parsed.error.issues,
      statusCode: 400,
    })
  }
  return parsed.data as BeforeSendRequest
}
