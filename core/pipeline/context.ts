/**
 * What a plugin is told about the message it checks: the run's facts, computed once per message, and a
 * per-plugin context over them with the plugin's logger and the AbortSignal of its time budget.
 * @module
 */
import type { Logger } from '../logger.js'
import type { RunFacts } from '../plugin.js'
import { COMMANDS } from '../protocol/commands.js'
import { type CallbackRequest } from '../protocol/index.js'
import type { RunMeta } from './types.js'

/** The facts every plugin of one run sees: the context without its per-plugin parts. */
export type Facts = RunFacts

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/**
 * The facts of one request, read once per run. For a callback decided per friend, `item` is the friend's
 * index and `to` its account.
 */
export function factsOf(request: CallbackRequest, meta: RunMeta | undefined, item: number | undefined): Facts {
  const r = request as Record<string, unknown>
  const spec = COMMANDS[request.CallbackCommand]
  let from: string | undefined
  for (let i = 0; from === undefined && i < spec.from.length; i++) from = str(r[spec.from[i] as string])
  let to = str(r.To_Account)
  if (item !== undefined && 'items' in spec) {
    const entry = (r[spec.items.field] as unknown[])[item] as { To_Account?: unknown } | null | undefined
    to = str(entry?.To_Account)
  }
  return {
    command: request.CallbackCommand,
    kind: spec.kind,
    blockOnly: !spec.message,
    sdkAppId: meta?.sdkAppId,
    from,
    to,
    groupId: str(r.GroupId),
    topicId: str(r.TopicId),
    groupType: str(r.Type),
    platform: meta?.platform,
    clientIp: meta?.clientIp,
    request: r,
  }
}

/** A plugin whose budget ran out: the reason its AbortSignal carries and its fault says. */
export class FaultError extends Error {}

/**
 * One plugin's context in one run. Its own object, so a plugin that overran its budget and is still
 * running never sees the next plugin's signal or logger; the AbortSignal is made only when asked for.
 * The facts are read through getters defined once below, so the list of facts lives in one place.
 */
export class Context {
  controller: AbortController | undefined

  constructor(
    readonly facts: Facts,
    readonly log: Logger,
    /** `performance.now()` at which this plugin's budget ends. */
    private readonly budgetEndsAt: number,
  ) {}

  get signal(): AbortSignal {
    // A plugin that reads the signal after its budget is spent gets one that is already aborted.
    this.controller ??= new AbortController()
    if (performance.now() >= this.budgetEndsAt && !this.controller.signal.aborted) this.controller.abort(new FaultError('no time left'))
    return this.controller.signal
  }
}

// The class declares the facts it exposes; the getters below read them from the shared facts object.
export interface Context extends Facts {}

const FACT_KEYS = [
  'command', 'kind', 'blockOnly', 'sdkAppId', 'from', 'to', 'groupId', 'topicId', 'groupType', 'platform', 'clientIp', 'request',
] as const satisfies ReadonlyArray<keyof Facts>
// A fact added to CheckContext but not to FACT_KEYS fails the build here.
const everyFact: Exclude<keyof Facts, (typeof FACT_KEYS)[number]> extends never ? true : never = true
void everyFact
for (const key of FACT_KEYS) {
  Object.defineProperty(Context.prototype, key, {
    get(this: Context) {
      return this.facts[key]
    },
    enumerable: true,
  })
}
