/**
 * The pipeline's public types: what `createPipeline` takes, what a run returns, and the built pipeline.
 * @module
 */
import type { JsonTextRule } from '../json-text.js'
import type { Logger } from '../logger.js'
import type { AnyPlugin } from '../plugin.js'
import type { CallbackReply, CallbackRequest, MsgElement } from '../protocol/index.js'
import type { Store } from '../store/types.js'
import type { Scope } from './scope.js'

export type { Scope } from './scope.js'

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
  /** Run only where every dimension named matches (commands or kinds, group ids and types, senders, platforms). */
  only?: Scope
  /** Skip where any dimension named matches: exempt an admin or a bot, a kind of group, a platform. */
  except?: Scope
  /**
   * On the callbacks that can only be allowed or refused (friend requests, group creation…), what an edit of
   * their text means: `refuse` (the default: the plugin would mask it, so it is refused) or `ignore`.
   */
  blockOnly?: 'refuse' | 'ignore'
}

/** One pipeline entry: a plugin, `[plugin, options?, settings?]`, or `{ plugin, options?, ...settings }`. */
export type PluginEntry =
  | AnyPlugin
  | readonly [AnyPlugin, unknown?, PluginSettings?]
  | ({ plugin: AnyPlugin; options?: unknown } & PluginSettings)

/** Options of `createPipeline`. */
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
  /**
   * Strings inside app JSON (`TIMCustomElem.Data`, `CloudCustomData`) that are user text, as text slots for
   * the plugins: `[{ in: 'custom-data', when: { businessID: 'text_link' }, paths: ['text'] }]`. Default: none.
   */
  jsonText?: readonly JsonTextRule[]
  /**
   * The most text (UTF-16 units, all slots of a callback together) checked; a longer callback is answered by
   * the fault policy without running the plugins. Default 65536.
   */
  maxTextLength?: number
  /**
   * Where plugins keep state (`env.store`): a store shared by several pipelines (across reloads, or
   * instances on Redis) that the caller closes. Default: a memory store of this pipeline's own.
   */
  store?: Store
}

/** Per-message facts the server knows from the query string. */
export interface RunMeta {
  sdkAppId?: number
  clientIp?: string
  platform?: string
}

/**
 * One thing a plugin found, in the text Tencent sent: the rule, the index of the text slot (as listed for
 * the request before any plugin ran) and the span `[start, end)` of that slot's original text.
 */
export interface TraceHit {
  rule: string
  slot: number
  start: number
  end: number
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
  /** What the plugin reported finding (its verdict's `hits`), mapped back to the original text. */
  hits?: TraceHit[]
  /** How long the plugin took: its check, and applying its edits. */
  durationMs: number
  /** For a callback decided per friend: the friend (`To_Account`) this entry is about. */
  item?: string
}

/** One friend's verdict in a friend-request callback. */
export interface ItemResult {
  /** The friend's account (`To_Account`). */
  to: string
  decision: 'allow' | 'reject'
  /** The `ResultCode`: 0, or the refusal code. */
  code: number
  info: string
  decidedBy: string | undefined
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
  /** For a callback decided per friend: each friend's verdict (the reply's `ResultItem`). */
  items?: ItemResult[]
}

/** A built, frozen pipeline. */
export interface Pipeline {
  /** Plugin names in run order. */
  readonly names: readonly string[]
  readonly deadlineMs: number
  readonly onFault: FaultPolicy
  /** Run one request (see `parseRequest`). Never throws for a message: faults follow the fault policy. */
  run(request: CallbackRequest, meta?: RunMeta): Promise<RunResult>
  /**
   * The same run as {@link Pipeline.run}, answered at once when every plugin answers synchronously: the result
   * itself, with no promise and no microtask turn; a promise of it once a plugin answers with one. For code
   * on a hot path, such as a server's handler. Throws (synchronously) only when the pipeline is closed.
   * @example
   * const out = pipeline.runNow(request)
   * const result = out instanceof Promise ? await out : out
   */
  runNow(request: CallbackRequest, meta?: RunMeta): RunResult | Promise<RunResult>
  /** Close every plugin (in reverse order). Runs after close are refused. */
  close(): Promise<void>
}
