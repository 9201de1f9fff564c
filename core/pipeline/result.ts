/**
 * The result of a run, built in one place: the decision, the reply Tencent gets, and the trace.
 * @module
 */
import type { Logger } from '../logger.js'
import { COMMANDS } from '../protocol/commands.js'
import { isDecidedCommand, isValidRejectCode, OK_REPLY, type CallbackReply, type DecidedCommand, type MsgElement, type ResultItem } from '../protocol/index.js'
import type { FaultPolicy, ItemResult, RunResult, TraceEntry } from './types.js'

/** What a finished run knows when it builds its result. */
export interface RunState {
  readonly body: readonly MsgElement[]
  readonly cdd: string | undefined
  readonly faults: number
  readonly trace: TraceEntry[]
}

/** The one place a result is assembled. */
export function resultOf(
  run: RunState,
  decision: RunResult['decision'],
  reply: CallbackReply,
  decidedBy: string | undefined,
  changed = false,
): RunResult {
  return { decision, reply, changed, body: run.body, cloudCustomData: run.cdd, decidedBy, faults: run.faults, trace: run.trace }
}

/** A reject by `by` with `code` and the sender-visible `info`. */
export function rejectResult(run: RunState, code: number, info: string, by: string): RunResult {
  return resultOf(run, 'reject', { ActionStatus: 'OK', ErrorCode: code, ErrorInfo: info }, by)
}

/** A silent drop (`ErrorCode` 2) decided by `by`. */
export function dropResult(run: RunState, by: string): RunResult {
  return resultOf(run, 'drop', { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' }, by)
}

/**
 * The message goes: unchanged (the shared OK reply) or with the new body and/or `CloudCustomData`.
 * `bodyChanged` and `cddChanged` say what differs from what Tencent sent.
 */
export function allowResult(run: RunState, bodyChanged: boolean, cddChanged: boolean): RunResult {
  if (!bodyChanged && !cddChanged) return resultOf(run, 'allow', OK_REPLY, undefined)
  const reply: CallbackReply = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
  if (bodyChanged) reply.MsgBody = run.body as MsgElement[]
  // cdd is a string here: only set-cloud-custom-data changes it, and it takes a string.
  if (cddChanged) reply.CloudCustomData = run.cdd as string
  return resultOf(run, 'allow', reply, undefined, true)
}

/** A refusal's code when no plugin gave one: 1, or for a friend request the first code of its range. */
export function refusalCode(command: DecidedCommand): number {
  return COMMANDS[command].codes === 'friend' ? 38000 : 1
}

/**
 * The code a plugin's reject gets for `command`: the verdict's field for the command's family (`code` for
 * C2C and Official Accounts, `groupCode` for groups, `friendCode` for friend requests), else any other of
 * its codes that fits the family's range, else the plain refusal. A code the plugin produced outside
 * Tencent's range is replaced by the plain refusal, with a warning.
 */
export function rejectCode(
  command: DecidedCommand,
  v: { code: number | undefined; groupCode: number | undefined; friendCode?: number | undefined },
  plugin: string,
  log: Logger,
): number {
  const family = COMMANDS[command].codes
  const own = family === 'c2c' ? v.code : family === 'group' ? v.groupCode : v.friendCode
  if (own === undefined) {
    // A code meant for another family quietly means the plain refusal here, instead of a warning on every message.
    for (const other of [v.code, v.groupCode, v.friendCode]) if (other !== undefined && isValidRejectCode(command, other)) return other
    return refusalCode(command)
  }
  if (isValidRejectCode(command, own)) return own
  log.warn(
    { plugin, command, code: own },
    `plugin "${plugin}" rejected with code ${own}, which is outside the range Tencent allows for ${command}; answering ${refusalCode(command)} instead`,
  )
  return refusalCode(command)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The `ResultItem` list of a friend-request reply: one per friend, in the order Tencent sent them. */
export function resultItems(items: readonly ItemResult[]): ResultItem[] {
  return items.map((i) => ({ To_Account: i.to, ResultCode: i.code, ResultInfo: i.info }))
}

/** The friends of a friend-request body, as far as it can be read. */
function friendsOf(command: DecidedCommand, body: unknown): string[] {
  const spec = COMMANDS[command]
  if (!('items' in spec) || !isRecord(body)) return []
  const items = body[spec.items.field]
  if (!Array.isArray(items)) return []
  return items.map((item) => (isRecord(item) && typeof item.To_Account === 'string' ? item.To_Account : ''))
}

/**
 * The reply the fault policy gives a body that could not be checked: OK, or a refusal by the policy, in the
 * shape of its command (a friend request gets one `ResultItem` per friend it names).
 */
export function policyReply(policy: FaultPolicy, command: string | undefined, body: unknown): CallbackReply {
  const info = 'presend: the callback could not be checked; rejected by fault policy'
  if (!isDecidedCommand(command)) return policy === 'reject' ? { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: info } : OK_REPLY
  if (COMMANDS[command].codes === 'friend') {
    const code = policy === 'reject' ? refusalCode(command) : 0
    return { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', ResultItem: friendsOf(command, body).map((to) => ({ To_Account: to, ResultCode: code, ResultInfo: code === 0 ? '' : info })) }
  }
  return policy === 'reject' ? { ActionStatus: 'OK', ErrorCode: refusalCode(command), ErrorInfo: info } : OK_REPLY
}
