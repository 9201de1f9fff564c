/**
 * What a `testPlugin` case expects, and how a run is compared with it: the run is seen in the same shape as
 * the expectation (a reject as `{ reject, info }`, an edited message as `{ text }` or `{ body }`…), so a
 * failure shows the two side by side.
 *
 * @module
 */
import { inspect, isDeepStrictEqual } from 'node:util'
import { PresendError } from '../errors.js'
import type { RunResult } from '../pipeline/index.js'
import type { MsgElement } from '../protocol/index.js'

/**
 * What a case expects. Every shape but `'allow'` and `'drop'` is an object:
 *
 * | expectation | passes when |
 * |---|---|
 * | `'allow'` | the message is allowed and unchanged |
 * | `'drop'` | the message is dropped (`ErrorCode` 2) |
 * | `{ reject: 120001 }` | the message is rejected with that `ErrorCode` (1 for a plain reject) |
 * | `{ reject: 10100, info: 'No links' }` | … and that `ErrorInfo` |
 * | `{ text: 'oh **** it' }` | allowed, and its text elements, joined, read so after the edits |
 * | `{ text: '🧧', cloudCustomData: '{"tag":1}' }` | … and `CloudCustomData` is that |
 * | `{ body: [textElement('hi'), customElement({ Data: 'LV1' })] }` | allowed with exactly that `MsgBody` |
 * | `{ body: [...], cloudCustomData: 'x' }` | … and that `CloudCustomData` |
 * | `{ cloudCustomData: 'x' }` | allowed with that `CloudCustomData` (body not checked) |
 *
 * @example { name: 'shouting in a group', request: groupRequest({ text: 'STOP' }), expect: { reject: 10100, info: 'Please do not shout.' } }
 */
export type Expectation =
  | 'allow'
  | 'drop'
  | { reject: number; info?: string }
  | { text: string; cloudCustomData?: string }
  | { body: MsgElement[]; cloudCustomData?: string }
  | { cloudCustomData: string }

/**
 * A run that does not meet its expectation: what was expected and what was seen, in the same shape.
 * @example const mismatch = compareResult(result, { reject: 10100 }) // { expected, actual, summary } or undefined
 */
export interface Mismatch {
  expected: Expectation
  actual: unknown
  /** One line: `expected { reject: 10100 }, got { reject: 1, info: '…' } (by no-shouting)`. */
  summary: string
}

const KEYS = ['reject', 'info', 'text', 'body', 'cloudCustomData'] as const
const KEY_TYPES: Record<string, string> = { reject: 'number', info: 'string', text: 'string', body: 'object', cloudCustomData: 'string' }

/**
 * Check that `expect` is one of the {@link Expectation} shapes (for JavaScript callers, whom the type cannot
 * stop); throws `PRESEND_INVALID_TEST_CASE` naming the case otherwise.
 *
 * @example assertExpectation({ reject: 1 }, 'shouting')
 */
export function assertExpectation(expect: unknown, caseName: string): asserts expect is Expectation {
  if (expect === 'allow' || expect === 'drop') return
  const keys = typeof expect === 'object' && expect !== null && !Array.isArray(expect) ? Object.keys(expect) : undefined
  const fits =
    keys !== undefined &&
    keys.length > 0 &&
    keys.every((k) => (KEYS as readonly string[]).includes(k) && typeof (expect as Record<string, unknown>)[k] === KEY_TYPES[k]) &&
    (keys.includes('reject') ? keys.every((k) => k === 'reject' || k === 'info') : !keys.includes('info')) &&
    !(keys.includes('text') && keys.includes('body')) &&
    (!keys.includes('body') || Array.isArray((expect as { body: unknown }).body))
  if (!fits) {
    throw new PresendError(
      'PRESEND_INVALID_TEST_CASE',
      `testPlugin case "${caseName}": expect is ${JSON.stringify(expect)}; expected 'allow', 'drop', { reject: code, info? }, { text, cloudCustomData? }, { body, cloudCustomData? } or { cloudCustomData }.`,
    )
  }
}

/**
 * Compare a run with what its case expects; `undefined` when it passes. A fault always fails: in a test, a
 * plugin that throws or overruns is a bug whatever the fault policy would make of it.
 *
 * @example const mismatch = compareResult(await checkMessage(plugin, {}, 'hi'), 'allow')
 */
export function compareResult(result: RunResult, expect: Expectation): Mismatch | undefined {
  const fault = result.trace.find((entry) => entry.outcome === 'fault')
  if (fault !== undefined) {
    const actual = { fault: fault.error }
    return { expected: expect, actual, summary: `expected ${show(expect)}, but plugin "${fault.plugin}" faulted: ${fault.error}` }
  }
  const actual = observe(result, expect)
  if (isDeepStrictEqual(actual, expect)) return undefined
  const by = result.decidedBy === undefined ? '' : ` (by ${result.decidedBy})`
  return { expected: expect, actual, summary: `expected ${show(expect)}, got ${show(actual)}${by}` }
}

/** The run, seen in the shape of the expectation, so equal means passed. */
function observe(result: RunResult, expect: Expectation): unknown {
  if (result.decision === 'drop') return 'drop'
  if (result.decision === 'reject') {
    const wantsInfo = typeof expect !== 'object' || !('reject' in expect) || expect.info !== undefined
    return wantsInfo ? { reject: result.reply.ErrorCode, info: result.reply.ErrorInfo } : { reject: result.reply.ErrorCode }
  }
  if (expect === 'allow' || expect === 'drop' || 'reject' in expect) return result.changed ? changedView(result) : 'allow'
  const seen: Record<string, unknown> = {}
  if ('text' in expect) seen.text = textOf(result.body)
  if ('body' in expect) seen.body = result.body
  if (expect.cloudCustomData !== undefined) seen.cloudCustomData = result.cloudCustomData
  return seen
}

/** An allowed, changed message: its text when it is all text, else its body; with `CloudCustomData`. */
function changedView(result: RunResult): Record<string, unknown> {
  const allText = result.body.every((el) => el.MsgType === 'TIMTextElem')
  const view: Record<string, unknown> = allText ? { text: textOf(result.body) } : { body: result.body }
  if (result.cloudCustomData !== undefined) view.cloudCustomData = result.cloudCustomData
  return view
}

function textOf(body: readonly MsgElement[]): string {
  return body.map((el) => (el.MsgType === 'TIMTextElem' ? (el.MsgContent as { Text: string }).Text : '')).join('')
}

function show(value: unknown): string {
  return inspect(value, { breakLength: Infinity, compact: true, depth: 6 })
}
