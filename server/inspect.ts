/**
 * Inspecting one message: build the request a text (or a whole callback body) would arrive as, run it
 * through a pipeline, and report what happened — the decision, the reply Tencent would get, the trace with
 * each plugin's timing and hits, and the texts before and after. `presend check` and the console both use it,
 * so the two answer alike.
 *
 * @module
 */
import { PresendError } from '../core/errors.js'
import { compileJsonText, jsonTextRuleSchema, type JsonTextReaders, type JsonTextRule } from '../core/json-text.js'
import { MessageView } from '../core/message.js'
import type { Pipeline, RunMeta, RunResult } from '../core/pipeline/index.js'
import { COMMANDS } from '../core/protocol/commands.js'
import { isDecidedCommand, parseRequest, type CallbackRequest, type DecidedCommand, type MsgElement } from '../core/protocol/index.js'
import { REQUEST_BUILDERS } from '../core/requests.js'

/** Every command presend decides, in the order of the request builders (C2C first). */
export const INSPECT_COMMANDS = Object.keys(REQUEST_BUILDERS) as DecidedCommand[]

/** What to inspect: a text (with the facts of the callback it is sent in), or a whole callback body. */
export interface InspectInput {
  /** The message text; ignored when `body` is given. */
  text?: string
  /** A whole callback body (any command presend decides); it names its own `CallbackCommand`. */
  body?: unknown
  /** The command `text` is sent with (default C2C). */
  command?: string
  /** The sender (`From_Account`, or the requester of another callback). */
  from?: string
  /** The group's type (`Public`, `Work`, `Meeting`, `AVChatRoom`, `Community`), for a group command. */
  groupType?: string
}

function bad(message: string): PresendError {
  return new PresendError('PRESEND_BAD_REQUEST', message)
}

/**
 * The request `input` describes. Throws `PRESEND_BAD_REQUEST` (or `PRESEND_INVALID_REQUEST` for a body
 * that fails the protocol schema) with a sentence saying what to give instead.
 * @example requestOf({ text: 'hi', command: 'Group.CallbackBeforeSendMsg', groupType: 'Public' })
 */
export function requestOf(input: InspectInput): CallbackRequest {
  if (input.body !== undefined) return parseRequest(input.body)
  if (typeof input.text !== 'string') throw bad('give the message "text", or a whole callback "body".')
  const command = input.command ?? 'C2C.CallbackBeforeSendMsg'
  if (!isDecidedCommand(command)) throw bad(`command "${command}" is not one presend decides; use one of ${INSPECT_COMMANDS.join(', ')}.`)
  // Builders that take no `type` (a C2C message has no group) ignore it.
  const init: Record<string, unknown> = { text: input.text }
  if (input.groupType !== undefined && input.groupType !== '') init.type = input.groupType
  if (input.from !== undefined && input.from !== '') init.from = input.from
  return (REQUEST_BUILDERS[command] as (init: Record<string, unknown>) => CallbackRequest)(init)
}

/** One text of the callback, as a plugin's hit refers to it (`slot` in a trace hit is `index`). */
export interface InspectedText {
  index: number
  kind: string
  text: string
}

/** What {@link inspect} reports: the run's result, with the texts before and after. */
export interface Inspection extends Pick<RunResult, 'decision' | 'reply' | 'changed' | 'decidedBy' | 'faults' | 'trace' | 'items'> {
  command: DecidedCommand
  /** The texts Tencent sent (for a callback decided per friend, the first friend's); hits point into them. */
  texts: InspectedText[]
  /** The texts as the reply delivers them, when the message goes changed. */
  edited: InspectedText[] | undefined
}

/**
 * The texts of `request` as the first plugin sees them: a message's body and `CloudCustomData`, or another
 * callback's text fields (for a callback decided per friend, the first friend's).
 * @example viewOf(requestOf({ text: 'hi' })).slots[0].text // 'hi'
 */
export function viewOf(request: CallbackRequest, readers: JsonTextReaders = {}): MessageView {
  const command = request.CallbackCommand
  if (COMMANDS[command].message) {
    const r = request as unknown as { MsgBody: MsgElement[]; CloudCustomData?: unknown }
    return new MessageView(r.MsgBody, typeof r.CloudCustomData === 'string' ? r.CloudCustomData : undefined, readers)
  }
  const item = 'items' in COMMANDS[command] ? 0 : undefined
  return new MessageView([], undefined, readers, { command, request: request as unknown as Record<string, unknown>, item, readers })
}

function textsOf(view: MessageView): InspectedText[] {
  return view.slots.map((s) => ({ index: s.index, kind: s.kind, text: s.text }))
}

/**
 * Run `request` through `pipeline` and report what happened. `jsonText` is the pipeline's rules for app
 * JSON that is user text, so the texts listed are the ones the plugins saw.
 * @example const seen = await inspect(pipeline, requestOf({ text: 'hi' }))
 */
export async function inspect(
  pipeline: Pipeline,
  request: CallbackRequest,
  options: { meta?: RunMeta; jsonText?: readonly JsonTextRule[] } = {},
): Promise<Inspection> {
  const readers = compileJsonText((options.jsonText ?? []).map((rule) => jsonTextRuleSchema.parse(rule)))
  const command = request.CallbackCommand
  const before = viewOf(request, readers)
  const result = await pipeline.run(request, options.meta)
  const { decision, reply, changed, decidedBy, faults, trace, items } = result
  return {
    command,
    decision,
    reply,
    changed,
    decidedBy,
    faults,
    trace,
    items,
    texts: textsOf(before),
    edited: changed ? textsOf(new MessageView(result.body, result.cloudCustomData, readers)) : undefined,
  }
}
