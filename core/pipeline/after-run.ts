/**
 * The after-run hook: once a run's result is known, every plugin with an `afterRun` is told the outcome
 * (who refused, who edited, who faulted) — for plugins whose state depends on what the others did.
 * @module
 */
import type { Logger } from '../logger.js'
import type { Checker, RunFacts, RunOutcome } from '../plugin.js'
import type { RunResult } from './types.js'

/**
 * What the hook reads of a pipeline stage: its name and its checker's `afterRun`. Declared here rather than
 * taken from run.ts, which imports this module, so the two do not import each other.
 */
export interface AfterRunWatcher {
  readonly name: string
  readonly checker: Pick<Checker, 'afterRun'>
}

/** The outcome of one run, read from its result and trace. */
export function outcomeOf(result: RunResult): RunOutcome {
  const refusedBy: string[] = []
  const editedBy: string[] = []
  const faultedBy: string[] = []
  for (const entry of result.trace) {
    if (entry.outcome === 'reject' || entry.outcome === 'drop') refusedBy.push(entry.plugin)
    else if (entry.outcome === 'edit') editedBy.push(entry.plugin)
    else if (entry.outcome === 'fault') faultedBy.push(entry.plugin)
  }
  return { decision: result.decision, decidedBy: result.decidedBy, refusedBy, editedBy, faultedBy }
}

/** Tell each stage in `watchers` the run's outcome; never throws, never waits. */
export function notifyAfterRun(watchers: readonly AfterRunWatcher[], result: RunResult, facts: RunFacts, logger: Logger): void {
  const outcome = outcomeOf(result)
  for (const stage of watchers) {
    const failed = (err: unknown) => {
      logger.warn({ plugin: stage.name, err }, `plugin "${stage.name}" afterRun failed: ${(err as Error)?.message ?? String(err)}`)
    }
    try {
      const out = (stage.checker.afterRun as NonNullable<Checker['afterRun']>)(outcome, facts)
      if (out instanceof Promise) out.catch(failed)
    } catch (err) {
      failed(err)
    }
  }
}
