/**
 * The result of a run, built in one place: the decision, the reply Tencent gets, and the trace.
 * @module
 */
import type { Logger } from '../logger.js'
import { isValidRejectCode, OK_REPLY, type BeforeSendCommand, type CallbackReply, type MsgElement } from '../protocol/index.js'
import type { RunResult, TraceEntry } from './types.js'

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

/**
 * The `ErrorCode` a plugin's reject gets for `command`: `code` for C2C, `groupCode` for groups and Official
 * Accounts; 1 when none fits, with a warning when the plugin produced a code outside Tencent's range.
 */
export function rejectCode(
  command: BeforeSendCommand,
  v: { code: number | undefined; groupCode: number | undefined },
  plugin: string,
  log: Logger,
): number {
  let code = command === 'C2C.CallbackBeforeSendMsg' ? v.code : v.groupCode
  // A group message without a groupCode may use `code` when it fits the group range; a C2C-range `code`
  // is meant for C2C messages, so it quietly means plain 1 here instead of a warning on every message.
  if (code === undefined && command !== 'C2C.CallbackBeforeSendMsg' && v.code !== undefined && isValidRejectCode(command, v.code)) {
    code = v.code
  }
  if (code === undefined) return 1
  if (isValidRejectCode(command, code)) return code
  log.warn(
    { plugin, command, code },
    `plugin "${plugin}" rejected with code ${code}, which is outside the range Tencent allows for ${command}; answering 1 instead`,
  )
  return 1
}
