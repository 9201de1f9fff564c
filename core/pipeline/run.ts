/**
 * Running a built pipeline over one message: the plugins in order, each within its time budget, the first
 * reject or drop ending the run, and the fault policy for a plugin that throws, overruns or answers
 * something that is not a verdict.
 * @module
 */
import { applyEdits, InvalidEditError } from '../edits.js'
import { PresendError } from '../errors.js'
import type { Logger } from '../logger.js'
import { MessageView } from '../message.js'
import type { AllowVerdict, Checker, Verdict } from '../plugin.js'
import type { BeforeSendRequest, MsgElement } from '../protocol/index.js'
import { forgetLastNormalization } from '../text/index.js'
import { Context, factsOf, FaultError, type Facts } from './context.js'
import { allowResult, dropResult, rejectCode, rejectResult, type RunState } from './result.js'
import type { FaultPolicy, Pipeline, RunMeta, RunResult, TraceEntry } from './types.js'

/** One plugin as the pipeline runs it. */
export interface Stage {
  readonly name: string
  readonly checker: Checker
  readonly onFault: FaultPolicy
  readonly timeoutMs: number
  readonly log: Logger
}

/**
 * One message's run: what the plugins so far made of it. The clock is read once as each plugin ends (again
 * after applying its edits), and that reading (`now`) is when the next plugin starts, so each plugin costs
 * one reading, not two.
 */
class Run implements RunState {
  readonly facts: Facts
  readonly deadline: number
  readonly originalBody: readonly MsgElement[]
  readonly originalCdd: string | undefined
  body: readonly MsgElement[]
  cdd: string | undefined
  bodyChanged = false
  faults = 0
  readonly trace: TraceEntry[] = []
  message: MessageView

  constructor(request: BeforeSendRequest, meta: RunMeta | undefined, public now: number, deadlineMs: number) {
    this.facts = factsOf(request, meta)
    this.deadline = now + deadlineMs
    this.originalBody = this.body = request.MsgBody
    this.originalCdd = this.cdd = request.CloudCustomData
    this.message = new MessageView(this.body, this.cdd)
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

function traced(run: Run, entry: TraceEntry, reason: string | undefined): void {
  if (reason !== undefined) entry.reason = reason
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
   * it (a reject, a drop, a fault under a reject policy, a body emptied by edits), else undefined.
   */
  private settle(run: Run, stage: Stage, t0: number, verdict: unknown, fault: string | undefined): RunResult | undefined {
    if (fault === undefined && !isVerdict(verdict)) {
      fault = `returned ${describe(verdict)}, which is not a verdict; return allow(), edit(), reject() or drop()`
    }
    if (fault === undefined) {
      const v = verdict as Verdict
      if (v.type === 'reject') {
        const code = rejectCode(run.facts.command, v, stage.name, stage.log)
        traced(run, { plugin: stage.name, outcome: 'reject', code, durationMs: run.now - t0 }, v.reason)
        return rejectResult(run, code, v.info ?? v.reason ?? `rejected by ${stage.name}`, stage.name)
      }
      if (v.type === 'drop') {
        traced(run, { plugin: stage.name, outcome: 'drop', durationMs: run.now - t0 }, v.reason)
        return dropResult(run, stage.name)
      }
      fault = this.applyEdits(run, stage, t0, v)
      // Only a body emptied by edits is a drop; a request that arrived empty is left as Tencent sent it.
      if (fault === undefined) return run.bodyChanged && run.body.length === 0 ? dropResult(run, stage.name) : undefined
    }
    return this.fault(run, stage, t0, fault)
  }

  /** Apply an allow verdict's edits and trace it; a fault's description when its edits are invalid. */
  private applyEdits(run: Run, stage: Stage, t0: number, v: AllowVerdict): string | undefined {
    if (!Array.isArray(v.edits) || v.edits.length === 0) {
      traced(run, { plugin: stage.name, outcome: 'allow', durationMs: run.now - t0 }, v.reason)
      return undefined
    }
    let applied
    try {
      applied = applyEdits(run.body, run.cdd, v.edits)
    } catch (err) {
      /* c8 ignore next -- applyEdits throws only InvalidEditError; anything else is a bug to surface */
      if (!(err instanceof InvalidEditError)) throw err
      run.now = performance.now()
      return `returned an invalid edit: ${err.message}`
    }
    run.now = performance.now()
    if (applied.bodyChanged || applied.cloudCustomDataChanged) {
      run.body = applied.body
      run.cdd = applied.cloudCustomData
      run.bodyChanged ||= applied.bodyChanged
      run.message = new MessageView(run.body, run.cdd)
    }
    traced(run, { plugin: stage.name, outcome: 'edit', changes: applied.changes, durationMs: run.now - t0 }, v.reason)
    return undefined
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
    // Edits that cancel out (one plugin inserts an element, a later one removes it) leave the body as it came:
    // the reply then carries no MsgBody, so "changed" means Tencent would deliver something different.
    const bodyChanged = run.bodyChanged && !sameElements(run.body, run.originalBody)
    return allowResult(run, bodyChanged, run.cdd !== run.originalCdd)
  }

  private faultReject(run: Run, by: string): RunResult {
    this.logger.warn({ plugin: by, command: run.facts.command }, `rejecting the message: plugin "${by}" faulted and its fault policy is reject`)
    return rejectResult(run, 1, `presend: plugin ${by} failed; message rejected by fault policy`, by)
  }
}
