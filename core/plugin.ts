/**
 * The plugin contract: what a plugin declares, what it sees per message, and the verdicts it returns.
 *
 * A plugin declares a `name` and a zod `options` schema; the pipeline validates the options before it
 * calls `create()` once per build; `create()` returns a checker whose `check()` runs per message and
 * returns a verdict as data. Throwing from `check()` is a fault, never a verdict.
 *
 * @module
 */
import type { z } from 'zod'
import type { CommandKind, CustomElement, DecidedCommand, MsgElement } from './protocol/index.js'
import type { TextSlot } from './slots.js'

export type { TextSlot } from './slots.js'
import type { Logger } from './logger.js'
import type { PluginStore } from './store/types.js'

/** A text element of the message, with its position in `body`. */
export interface TextPart {
  /** Index of the element in `message.body`. */
  readonly index: number
  /** The element's `MsgContent.Text`. */
  readonly text: string
}

/** The read-only view of a message a plugin checks. Never mutate it: return edits instead. */
export interface Message {
  /** The elements as the previous plugins left them. */
  readonly body: readonly MsgElement[]
  /** `CloudCustomData` as the previous plugins left it (`undefined` when absent). */
  readonly cloudCustomData: string | undefined
  /** The text elements, in order, with their indices in `body`: the simple view of a message's text. */
  readonly texts: readonly TextPart[]
  /**
   * Every text the sender wrote, wherever it sits: text elements, a custom element's push text, a merged
   * forward's texts, a location's description, file names, strings of app JSON the pipeline's `jsonText`
   * rules name, and the text fields of the other "before" callbacks (a friend request's wording, a group's
   * name…). Edit one with `replaceText(slot, start, end, text)`.
   */
  readonly slots: readonly TextSlot[]
}

/** Who sent what where: the per-message facts a plugin may decide on. */
export interface CheckContext {
  /** The callback command; `kind` is the short form (`c2c`, `group`, `official-account`, `friend-add`, …). */
  readonly command: DecidedCommand
  readonly kind: CommandKind
  /**
   * True for the callbacks that can only be allowed or refused (friend requests, group creation…): an edit
   * of their text refuses them unless the plugin's `blockOnly` setting is `ignore`.
   */
  readonly blockOnly: boolean
  /** `SdkAppid` from the query string, when the server passed it. */
  readonly sdkAppId: number | undefined
  /** Sender (`From_Account`); for an Official Account broadcast, the account when Tencent names one. */
  readonly from: string | undefined
  /** Recipient: the C2C peer, or the friend a friend-request verdict is about. */
  readonly to: string | undefined
  /** Group ID (Group only). */
  readonly groupId: string | undefined
  /** Community topic ID (Group only, when posted in a topic). */
  readonly topicId: string | undefined
  /** The group's type (`Public`, `Work`, `Meeting`, `AVChatRoom`, `Community`), when the callback names one. */
  readonly groupType: string | undefined
  /** `OptPlatform` from the query string (`iOS`, `Android`, `Web`, `RESTAPI`, …). */
  readonly platform: string | undefined
  /** `ClientIP` from the query string. */
  readonly clientIp: string | undefined
  /** The whole request body as Tencent sent it (read-only). */
  readonly request: Readonly<Record<string, unknown>>
  /** Aborts when this plugin's time budget runs out: pass it to `fetch` and other async work. */
  readonly signal: AbortSignal
  /** A logger bound to this plugin's name. */
  readonly log: Logger
}

/** What `create()` receives besides its options. */
export interface PluginEnv {
  /** The pipeline's logger, bound to this plugin's name. */
  readonly log: Logger
  /** Directory relative paths in options resolve against (the config file's folder; else the cwd). */
  readonly baseDir: string
  /** The name this plugin instance runs under in the pipeline. */
  readonly name: string
  /**
   * State shared between messages (and, on Redis, between instances), its keys namespaced by `name`:
   * windowed counters, "seen before", get/set with a TTL. A call may fail when the store is down: let it
   * throw, and the plugin's fault policy answers.
   */
  readonly store: PluginStore
}

/** What a run decided, told to every plugin's `afterRun` once the reply is known. */
export interface RunOutcome {
  /** The message's fate. A friend request is told once per friend. */
  readonly decision: 'allow' | 'reject' | 'drop'
  /** The plugin that rejected or dropped it (or faulted under a reject policy). */
  readonly decidedBy: string | undefined
  /** Plugins that refused it (reject, drop, or an edit of a text that cannot be rewritten). */
  readonly refusedBy: readonly string[]
  /** Plugins that changed it (masked a word, replaced a link…) and let it through. */
  readonly editedBy: readonly string[]
  /** Plugins that faulted. */
  readonly faultedBy: readonly string[]
}

/** The facts of the run an `afterRun` is told about: the check context without its per-plugin parts. */
export type RunFacts = Omit<CheckContext, 'signal' | 'log'>

/**
 * Replace `[start, end)` (UTF-16 offsets in the text as the plugin saw it) of a text: the text element at
 * `element`, or, when `slot` is set, the text slot of that index in `message.slots`.
 */
export interface ReplaceTextEdit {
  readonly op: 'replace-text'
  readonly element: number | undefined
  readonly slot?: number
  readonly start: number
  readonly end: number
  readonly text: string
}
/** Remove the element at `element`. */
export interface RemoveElementEdit {
  readonly op: 'remove-element'
  readonly element: number
}
/** Insert `value` before the element at `at` (`at === body.length` inserts at the end). */
export interface InsertElementEdit {
  readonly op: 'insert-element'
  readonly at: number
  readonly value: MsgElement
}
/** Append `value` after every element. */
export interface AppendElementEdit {
  readonly op: 'append-element'
  readonly value: MsgElement
}
/** Replace `CloudCustomData`. */
export interface SetCloudCustomDataEdit {
  readonly op: 'set-cloud-custom-data'
  readonly value: string
}

/** A change to the message. Element indices refer to `message.body` as the plugin saw it. */
export type Edit = ReplaceTextEdit | RemoveElementEdit | InsertElementEdit | AppendElementEdit | SetCloudCustomDataEdit

/**
 * Where a plugin found something, for people reading the trace (the console, `presend check --json`):
 * the rule that matched and the span `[start, end)` in the text slot `slot` of `message.slots` as the
 * plugin saw it. Optional on every verdict; the core maps it back to the text Tencent sent.
 */
export interface Hit {
  /** The rule that matched: a word pattern, a host, a rule's number. */
  readonly rule: string
  /** The index of the text slot in `message.slots`. */
  readonly slot: number
  readonly start: number
  readonly end: number
}

/** Let the message through, optionally changed. */
export interface AllowVerdict {
  readonly type: 'allow'
  readonly edits: readonly Edit[]
  readonly reason: string | undefined
  /** What the plugin found (see {@link Hit}); leave it out when nothing matched. */
  readonly hits?: readonly Hit[]
}
/** Refuse the message; the sender sees an error. */
export interface RejectVerdict {
  readonly type: 'reject'
  /** C2C and Official Account code: 1 or 120001–130000. */
  readonly code: number | undefined
  /** Group code (messages, creation, join applications, topics): 1 or 10100–10200. */
  readonly groupCode: number | undefined
  /** Friend-request refusal code: 38000–39000 (default 38000). */
  readonly friendCode?: number | undefined
  /** `ErrorInfo`: shown to the sender with a custom code. */
  readonly info: string | undefined
  readonly reason: string | undefined
  /** What the plugin found (see {@link Hit}). */
  readonly hits?: readonly Hit[]
}
/** Swallow the message silently; the sender believes it was sent. */
export interface DropVerdict {
  readonly type: 'drop'
  readonly reason: string | undefined
  /** What the plugin found (see {@link Hit}). */
  readonly hits?: readonly Hit[]
}
/** What `check()` returns. Build it with {@link allow}, {@link edit}, {@link reject} or {@link drop}. */
export type Verdict = AllowVerdict | RejectVerdict | DropVerdict

const ALLOW: AllowVerdict = Object.freeze({ type: 'allow', edits: Object.freeze([]) as readonly Edit[], reason: undefined })

/**
 * Let the message through unchanged.
 * @example check: () => allow()
 */
export function allow(reason?: string): AllowVerdict {
  return reason === undefined ? ALLOW : { type: 'allow', edits: ALLOW.edits, reason }
}

/**
 * Let the message through with changes. Offsets are in the text the plugin saw; the core applies them.
 * `hits` says what was found where (see {@link Hit}).
 * @example return edit([replaceText(slot, 0, 4, '****')], 'masked a swear word', [{ rule: 'darn', slot: slot.index, start: 0, end: 4 }])
 */
export function edit(edits: readonly Edit[], reason?: string, hits?: readonly Hit[]): AllowVerdict {
  if (edits.length === 0) return allow(reason)
  return hits === undefined ? { type: 'allow', edits, reason } : { type: 'allow', edits, reason, hits }
}

/**
 * Refuse the message. Without a code the reply carries `ErrorCode` 1 (the sender sees 20006 in C2C and
 * 10016 in groups); with a code in the command's custom range the sender sees that code and `info`.
 * @example reject({ code: 120001, groupCode: 10100, info: 'Links are not allowed here' })
 */
export function reject(
  options: {
    code?: number | undefined
    groupCode?: number | undefined
    friendCode?: number | undefined
    info?: string | undefined
    reason?: string | undefined
    hits?: readonly Hit[] | undefined
  } = {},
): RejectVerdict {
  const v: RejectVerdict = { type: 'reject', code: options.code, groupCode: options.groupCode, friendCode: options.friendCode, info: options.info, reason: options.reason }
  return options.hits === undefined ? v : { ...v, hits: options.hits }
}

/**
 * Swallow the message silently (`ErrorCode` 2).
 * @example return drop('spam burst')
 */
export function drop(reason?: string, hits?: readonly Hit[]): DropVerdict {
  return hits === undefined ? { type: 'drop', reason } : { type: 'drop', reason, hits }
}

/**
 * Edit: replace `[start, end)` of a text with `text` — of a text slot (from `message.slots`), or of the
 * text element at index `element` (from `message.texts`).
 * @example for (const slot of message.slots) if (slot.text.includes('darn')) edits.push(replaceText(slot, 0, slot.text.length, '****'))
 */
export function replaceText(target: number | TextSlot, start: number, end: number, text: string): ReplaceTextEdit {
  if (typeof target === 'number') return { op: 'replace-text', element: target, start, end, text }
  return { op: 'replace-text', element: target.element, slot: target.index, start, end, text }
}
/** Edit: remove the element at `element`. */
export function removeElement(element: number): RemoveElementEdit {
  return { op: 'remove-element', element }
}
/** Edit: insert `value` before the element at `at`. */
export function insertElement(at: number, value: MsgElement): InsertElementEdit {
  return { op: 'insert-element', at, value }
}
/** Edit: append `value` to the body. */
export function appendElement(value: MsgElement): AppendElementEdit {
  return { op: 'append-element', value }
}
/** Edit: replace `CloudCustomData` with `value`. */
export function setCloudCustomData(value: string): SetCloudCustomDataEdit {
  return { op: 'set-cloud-custom-data', value }
}

/** Build a text element. */
export function textElement(text: string): MsgElement {
  return { MsgType: 'TIMTextElem', MsgContent: { Text: text } }
}
/** Build a custom element from its `Data`, `Desc`, `Ext`, `Sound`. */
export function customElement(content: CustomElement['MsgContent']): MsgElement {
  return { MsgType: 'TIMCustomElem', MsgContent: { ...content } }
}

/** The per-message half of a plugin: what `create()` returns. */
export interface Checker {
  /** Decide on one message. May be async; must not mutate `message`. */
  check(message: Message, ctx: CheckContext): Verdict | Promise<Verdict>
  /**
   * Told the run's outcome after every run (whether or not this plugin ran in it), once the reply is
   * decided: for state that depends on what the other plugins did, such as counting a sender's refusals.
   * It cannot change the reply and is not waited for; a throw or a rejected promise is logged.
   * @example afterRun(outcome, facts) { if (outcome.refusedBy.length > 0) void env.store.hit(`refused:${facts.from}`, 60_000) }
   */
  afterRun?(outcome: RunOutcome, facts: RunFacts): void | Promise<void>
  /** Free resources (timers, clients) on shutdown or reload. */
  close?(): void | Promise<void>
}

/**
 * A plugin definition. `Schema` is the zod schema of its options; `create` receives them parsed
 * (defaults applied) and runs once per pipeline build — compile lists and open clients there.
 */
export interface Plugin<Schema extends z.ZodType = z.ZodType> {
  /** Unique in a pipeline; the name used in config (`{ "use": "<name>" }`). */
  readonly name: string
  /** zod schema of the options; validated before `create`. */
  readonly options: Schema
  /** One line on what the plugin does, shown by `presend validate`. */
  readonly description?: string
  create(options: z.output<Schema>, env: PluginEnv): Checker | Promise<Checker>
}

/** A plugin of any options type, as the pipeline stores it. */
export type AnyPlugin = Plugin<z.ZodType>

const PLUGIN_NAME = /^[a-z0-9@][a-z0-9._/@-]*$/i

/**
 * Declare a plugin. Returns the definition frozen, after checking its shape, so a malformed plugin fails
 * where it is written rather than at the first message.
 *
 * @example
 * import { z } from 'zod'
 * import { definePlugin, reject, allow } from 'presend'
 * export default definePlugin({
 *   name: 'no-shouting',
 *   options: z.object({ maxCapitals: z.number().int().positive().default(20) }),
 *   create({ maxCapitals }) {
 *     return {
 *       check(message) {
 *         const caps = message.texts.reduce((n, t) => n + (t.text.match(/\p{Lu}/gu)?.length ?? 0), 0)
 *         return caps > maxCapitals ? reject({ info: 'Please do not shout' }) : allow()
 *       },
 *     }
 *   },
 * })
 */
export function definePlugin<Schema extends z.ZodType>(plugin: Plugin<Schema>): Plugin<Schema> {
  if (typeof plugin?.name !== 'string' || !PLUGIN_NAME.test(plugin.name)) {
    throw new TypeError(
      `definePlugin: name ${JSON.stringify(plugin?.name)} is not a valid plugin name; use letters, digits, '-', '_', '.', '/' or '@' (e.g. "profanity").`,
    )
  }
  if (typeof plugin.options?.safeParse !== 'function') {
    throw new TypeError(
      `definePlugin: plugin "${plugin.name}" has no zod options schema; pass one, e.g. options: z.object({}).`,
    )
  }
  if (typeof plugin.create !== 'function') {
    throw new TypeError(`definePlugin: plugin "${plugin.name}" has no create() function; add create(options, env) returning { check }.`)
  }
  return Object.freeze({ ...plugin })
}

/** True when `value` looks like a plugin made by {@link definePlugin} (or by hand in the same shape). */
export function isPlugin(value: unknown): value is AnyPlugin {
  const p = value as Partial<AnyPlugin> | null
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.name === 'string' &&
    typeof p.create === 'function' &&
    typeof (p.options as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  )
}
