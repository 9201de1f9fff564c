/**
 * Running a built pipeline over one callback: the plugins in order, each within its time budget, the first
 * reject or drop ending the run, and the fault policy for a plugin that throws, overruns or answers
 * something that is not a verdict. A friend request is run once per friend, and its reply carries one
 * verdict per friend.
 * @module
 */
import { applyEdits, InvalidEditError, type AppliedEdits } from '../edits.js'
import { PresendError } from '../errors.js'
import type { JsonTextReaders } from '../json-text.js'
import type { Logger } from '../logger.js'
import { MessageView } from '../message.js'
import type { AllowVerdict, Checker, Edit, Hit, TextSlot, Verdict } from '../plugin.js'
import { COMMANDS } from '../protocol/commands.js'
import { type CallbackReply, type CallbackRequest, type MsgElement } from '../protocol/index.js'
import { forgetLastNormalization } from '../text/index.js'
import { notifyAfterRun } from './after-run.js'
import { Context, factsOf, FaultError, type Facts } from './context.js'
import { mapHits } from './hits.js'
import {
  allowResult, dropResult, refusalCode, rejectCode, rejectResult, resultItems, resultOf, type RunState,
} from './result.js'
import type { ScopeTest } from './scope.js'
import type { FaultPolicy, ItemResult, Pipeline, RunMeta, RunResult, TraceEntry } from './types.js'

/** One plugin as the pipeline runs it. */
export interface Stage {
  readonly name: string
  readonly checker: Checker
  readonly onFault: FaultPolicy
  readonly timeoutMs: number
  readonly log: Logger
  /** Where it applies; undefined: everywhere. */
  readonly scope: ScopeTest | undefined
  /** What its edit of a callback that cannot be rewritten means. */
  readonly blockOnly: 'refuse' | 'ignore'
}

/** The pipeline-wide settings a run reads. */
export interface RunSettings {
  readonly deadlineMs: number
  readonly onFault: FaultPolicy
  readonly maxTextLength: number
  readonly readers: JsonTextReaders
}

const NO_ELEMENTS: readonly MsgElement[] = Object.freeze([])

/**
 * One callback's run (for a friend request, one friend's): what the plugins so far made of it. The clock is
 * read once as each plugin ends (again after applying its edits), and that reading (`now`) is when the next
 * plugin starts, so each plugin costs one reading, not two.
 */
class Run implements RunState {
  readonly facts: Facts
  readonly originalBody: readonly MsgElement[]
  readonly originalCdd: string | undefined
  body: readonly MsgElement[]
  cdd: string | undefined
  bodyChanged = false
  faults = 0
  readonly trace: TraceEntry[] = []
  message: MessageView
  /** The edits applied so far, one list per plugin: made at the first edit, read only to map hits back. */
  edited: Array<readonly Edit[]> | undefined

  constructor(
    request: CallbackRequest,
    meta: RunMeta | undefined,
    public now: number,
    readonly deadline: number,
    readonly readers: JsonTextReaders,
    item: number | undefined,
  ) {
    this.facts = factsOf(request, meta, item)
    if (COMMANDS[request.CallbackCommand].message) {
      const message = request as { MsgBody: MsgElement[]; CloudCustomData?: unknown }
      this.originalBody = this.body = message.MsgBody
      this.originalCdd = this.cdd = typeof message.CloudCustomData === 'string' ? message.CloudCustomData : undefined
      this.message = new MessageView(this.body, this.cdd, readers)
    } else {
      this.originalBody = this.body = NO_ELEMENTS
      this.message = new MessageView(this.body, undefined, readers, { command: request.CallbackCommand, request, item, readers })
    }
  }
}

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

function faultOf(err: unknown): string {
  return err instanceof FaultError ? err.message : `threw: ${(err as Error)?.message ?? String(err)}`
}

function isThenable(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function'
}

function isVerdict(v: unknown): v is Verdict {
  const type = (v as { type?: unknown } | null)?.type
  return type === 'allow' || type === 'reject' || type === 'drop'
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v)
  if (typeof v === 'object') return `an object without a valid "type"`
  return `a ${typeof v}`
}

function traced(run: Run, entry: TraceEntry, reason: string | undefined, hits?: readonly Hit[]): void {
  if (reason !== undefined) entry.reason = reason
  if (Array.isArray(hits) && hits.length > 0) entry.hits = mapHits(hits, run.edited)
  run.trace.push(entry)
}

/** Element-wise equality; runs only after some edit changed the body, so the stringify cost is rare. */
function sameElements(a: readonly MsgElement[], b: readonly MsgElement[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false
  }
  return true
}

/** A built pipeline: the stages, frozen, and the loop that runs them. */
export class PipelineImpl implements Pipeline {
  readonly names: readonly string[]
  readonly deadlineMs: number
  readonly onFault: FaultPolicy
  #closed = false
  /** The stages with an `afterRun`: when none has one, a run pays nothing for the hook. */
  private readonly watchers: readonly Stage[]

  constructor(
    private readonly stages: readonly Stage[],
    private readonly settings: RunSettings,
    private readonly logger: Logger,
    private readonly closeAll: () => Promise<void>,
  ) {
    this.names = Object.freeze(stages.map((s) => s.name))
    this.deadlineMs = settings.deadlineMs
    this.onFault = settings.onFault
    this.watchers = Object.freeze(stages.filter((s) => typeof s.checker.afterRun === 'function'))
    Object.freeze(this)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.closeAll()
  }

  run(request: CallbackRequest, meta?: RunMeta): Promise<RunResult> {
    try {
      return Promise.resolve(this.runNow(request, meta))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  runNow(request: CallbackRequest, meta?: RunMeta): RunResult | Promise<RunResult> {
    if (this.#closed) {
      throw new PresendError('PRESEND_PIPELINE_CLOSED', 'This pipeline is closed; build a new one with createPipeline() to run messages.')
    }
    // A new message: plugins share a text's normalisation inside it, never with the message before.
    forgetLastNormalization()
    const now = performance.now()
    const deadline = now + this.settings.deadlineMs
    if ('items' in COMMANDS[request.CallbackCommand]) return this.runItems(request, meta, now, deadline)
    return this.start(new Run(request, meta, now, deadline, this.settings.readers, undefined))
  }

  /** A friend request: one run per friend, in order and within the one deadline, then one reply for all. */
  private runItems(request: CallbackRequest, meta: RunMeta | undefined, now: number, deadline: number): RunResult | Promise<RunResult> {
    const count = ((request as Record<string, unknown>)[(COMMANDS[request.CallbackCommand] as { items: { field: string } }).items.field] as unknown[]).length
    const done: Array<{ to: string; result: RunResult }> = []
    const from = (i: number, at: number): RunResult | Promise<RunResult> => {
      for (; i < count; i++) {
        const run = new Run(request, meta, at, deadline, this.settings.readers, i)
        const to = run.facts.to ?? ''
        const out = this.start(run)
        if (isThenable(out)) {
          return out.then((result) => {
            done.push({ to, result })
            return from(i + 1, performance.now())
          })
        }
        done.push({ to, result: out })
        at = run.now
      }
      return combine(done)
    }
    return from(0, now)
  }

  /** Run the plugins, then tell the after-run hooks the outcome. */
  private start(run: Run): RunResult | Promise<RunResult> {
    const out = this.check(run)
    if (this.watchers.length === 0) return out
    if (isThenable(out)) {
      return out.then((result) => {
        notifyAfterRun(this.watchers, result, run.facts, this.logger)
        return result
      })
    }
    notifyAfterRun(this.watchers, out, run.facts, this.logger)
    return out
  }

  /** Check the run's size, then run its plugins. */
  private check(run: Run): RunResult | Promise<RunResult> {
    let total = 0
    for (const slot of run.message.slots) total += slot.text.length
    if (total <= this.settings.maxTextLength) return this.runFrom(run, 0)
    const error = `the texts total ${total} UTF-16 units, over the pipeline's maxTextLength of ${this.settings.maxTextLength}; not checked`
    run.faults++
    run.trace.push({ plugin: 'presend', outcome: 'fault', error, durationMs: 0 })
    this.logger.warn({ command: run.facts.command, total, maxTextLength: this.settings.maxTextLength }, `callback answered by fault policy: ${error}`)
    if (this.settings.onFault === 'reject') {
      return rejectResult(run, refusalCode(run.facts.command), 'presend: the message is too long to check; rejected by fault policy', 'presend')
    }
    return this.finish(run)
  }

  /** Run the plugins from the `from`-th on; synchronously until one answers with a promise. */
  private runFrom(run: Run, from: number): RunResult | Promise<RunResult> {
    for (let i = from; i < this.stages.length; i++) {
      const stage = this.stages[i] as Stage
      if (stage.scope !== undefined && !stage.scope(run.facts)) {
        run.trace.push({ plugin: stage.name, outcome: 'skipped', reason: 'scope', durationMs: 0 })
        continue
      }
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
    return this.finish(run)
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
    return this.finish(run)
  }

  /**
   * Apply what one plugin answered (`verdict`, or `fault` when it failed): the run's result when this ends
   * it (a reject, a drop, a fault under a reject policy, a body emptied by edits, an edit of a callback that
   * cannot be rewritten), else undefined.
   */
  private settle(run: Run, stage: Stage, t0: number, verdict: unknown, fault: string | undefined): RunResult | undefined {
    if (fault === undefined && !isVerdict(verdict)) {
      fault = `returned ${describe(verdict)}, which is not a verdict; return allow(), edit(), reject() or drop()`
    }
    if (fault === undefined) {
      const v = verdict as Verdict
      const command = run.facts.command
      if (v.type === 'reject') {
        const code = rejectCode(command, v, stage.name, stage.log)
        traced(run, { plugin: stage.name, outcome: 'reject', code, durationMs: run.now - t0 }, v.reason, v.hits)
        return rejectResult(run, code, v.info ?? v.reason ?? `rejected by ${stage.name}`, stage.name)
      }
      if (v.type === 'drop') {
        traced(run, { plugin: stage.name, outcome: 'drop', durationMs: run.now - t0 }, v.reason, v.hits)
        // Only messages can be dropped silently; the other callbacks are refused instead.
        if (run.facts.blockOnly) return rejectResult(run, refusalCode(command), v.reason ?? `refused by ${stage.name}`, stage.name)
        return dropResult(run, stage.name)
      }
      const applied = this.tryEdits(run, v)
      if (typeof applied === 'string') fault = applied
      else return this.commit(run, stage, t0, v, applied)
    }
    return this.fault(run, stage, t0, fault)
  }

  /** Apply an allow verdict's edits to the run's message: what they change, or a fault's description. */
  private tryEdits(run: Run, v: AllowVerdict): AppliedEdits | string | undefined {
    if (!Array.isArray(v.edits) || v.edits.length === 0) return undefined
    try {
      return applyEdits(run.body, run.cdd, v.edits, () => run.message.slots)
    } catch (err) {
      /* c8 ignore next -- applyEdits throws only InvalidEditError; anything else is a bug to surface */
      if (!(err instanceof InvalidEditError)) throw err
      run.now = performance.now()
      return `returned an invalid edit: ${err.message}`
    }
  }

  /** Record an allow verdict and keep what its edits changed: the run's result when that ends it. */
  private commit(run: Run, stage: Stage, t0: number, v: AllowVerdict, applied: AppliedEdits | undefined): RunResult | undefined {
    if (applied === undefined) {
      traced(run, { plugin: stage.name, outcome: 'allow', durationMs: run.now - t0 }, v.reason, v.hits)
      return undefined
    }
    // Applying the edits is part of the plugin's time.
    run.now = performance.now()
    if (applied.requestChanged) {
      // A friend request's wording, a group's name: nothing can rewrite them, so a plugin that would is a refusal.
      const kinds = [...new Set(v.edits.flatMap((e) => (e.op === 'replace-text' && e.slot !== undefined ? [(run.message.slots[e.slot] as TextSlot).kind] : [])))].join(', ')
      if (stage.blockOnly === 'refuse') {
        const code = refusalCode(run.facts.command)
        traced(run, { plugin: stage.name, outcome: 'reject', code, changes: applied.changes, durationMs: run.now - t0 }, v.reason, v.hits)
        return rejectResult(run, code, `refused by ${stage.name}: the ${kinds} cannot be rewritten, and ${stage.name} would change it`, stage.name)
      }
      traced(run, { plugin: stage.name, outcome: 'allow', changes: applied.changes, durationMs: run.now - t0 }, `${v.reason ?? 'edit'} (ignored: the ${kinds} cannot be rewritten)`, v.hits)
      return undefined
    }
    if (applied.bodyChanged || applied.cloudCustomDataChanged) {
      run.body = applied.body
      run.cdd = applied.cloudCustomData
      run.bodyChanged ||= applied.bodyChanged
      run.message = new MessageView(run.body, run.cdd, run.readers)
    }
    traced(run, { plugin: stage.name, outcome: 'edit', changes: applied.changes, durationMs: run.now - t0 }, v.reason, v.hits)
    // After the trace: this plugin's hits are in the text before its own edits.
    ;(run.edited ??= []).push(v.edits)
    // Only a body emptied by edits is a drop; a request that arrived empty is left as Tencent sent it.
    return run.bodyChanged && run.body.length === 0 && !run.facts.blockOnly ? dropResult(run, stage.name) : undefined
  }

  /** A plugin faulted: count it, log it, trace it, and reject the message when its policy says so. */
  private fault(run: Run, stage: Stage, t0: number, fault: string): RunResult | undefined {
    run.faults++
    stage.log.error({ plugin: stage.name, command: run.facts.command, fault }, `plugin "${stage.name}" faulted: ${fault}`)
    run.trace.push({ plugin: stage.name, outcome: 'fault', error: fault, durationMs: run.now - t0 })
    return stage.onFault === 'reject' ? this.faultReject(run, stage.name) : undefined
  }

  /** Every plugin has had its say and none ended the run: the message goes, changed or not. */
  private finish(run: Run): RunResult {
    // A callback that is not a message is allowed as it came: there is nothing in it a reply could change.
    if (run.facts.blockOnly) return allowResult(run, false, false)
    // Edits that cancel out (one plugin inserts an element, a later one removes it) leave the body as it came:
    // the reply then carries no MsgBody, so "changed" means Tencent would deliver something different.
    const bodyChanged = run.bodyChanged && !sameElements(run.body, run.originalBody)
    return allowResult(run, bodyChanged, run.cdd !== run.originalCdd)
  }

  private faultReject(run: Run, by: string): RunResult {
    this.logger.warn({ plugin: by, command: run.facts.command }, `rejecting the message: plugin "${by}" faulted and its fault policy is reject`)
    return rejectResult(run, refusalCode(run.facts.command), `presend: plugin ${by} failed; message rejected by fault policy`, by)
  }
}

/** The friends' runs as one result: one `ResultItem` each, refused where a plugin refused. */
function combine(done: ReadonlyArray<{ to: string; result: RunResult }>): RunResult {
  const items: ItemResult[] = []
  const trace: TraceEntry[] = []
  let faults = 0
  let decidedBy: string | undefined
  for (const { to, result } of done) {
    const refused = result.decision !== 'allow'
    items.push({ to, decision: refused ? 'reject' : 'allow', code: refused ? result.reply.ErrorCode : 0, info: refused ? result.reply.ErrorInfo : '', decidedBy: result.decidedBy })
    if (refused) decidedBy ??= result.decidedBy
    faults += result.faults
    for (const entry of result.trace) trace.push({ ...entry, item: to })
  }
  const reply: CallbackReply = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: resultItems(items) }
  const out = resultOf({ body: NO_ELEMENTS, cdd: undefined, faults, trace }, decidedBy === undefined ? 'allow' : 'reject', reply, decidedBy)
  out.items = items
  return out
}
