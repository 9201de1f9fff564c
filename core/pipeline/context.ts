/**
 * What a plugin is told about the message it checks: the run's facts, computed once per message, and a
 * per-plugin context over them with the plugin's logger and the AbortSignal of its time budget.
 * @module
 */
import type { Logger } from '../logger.js'
import type { CheckContext } from '../plugin.js'
import type { BeforeSendRequest } from '../protocol/index.js'
import type { RunMeta } from './types.js'

const KIND = {
  'C2C.CallbackBeforeSendMsg': 'c2c',
  'Group.CallbackBeforeSendMsg': 'group',
  'OfficialAccount.CallbackBeforeSendMsg': 'official-account',
} as const

/** The facts every plugin of one run sees: the context without its per-plugin parts. */
export type Facts = Omit<CheckContext, 'signal' | 'log'>

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** The facts of one request, read once per run. */
export function factsOf(request: BeforeSendRequest, meta: RunMeta | undefined): Facts {
  const r = request as Record<string, unknown>
  return {
    command: request.CallbackCommand,
    kind: KIND[request.CallbackCommand],
    sdkAppId: meta?.sdkAppId,
    from: str(r.From_Account) ?? str(r.Official_Account),
    to: str(r.To_Account),
    groupId: str(r.GroupId),
    topicId: str(r.TopicId),
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
  'command', 'kind', 'sdkAppId', 'from', 'to', 'groupId', 'topicId', 'platform', 'clientIp', 'request',
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
