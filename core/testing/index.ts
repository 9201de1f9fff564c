/**
 * `presend/testing`: realistic callback payloads and a case runner for plugin authors.
 *
 * @example
 * import t from 'tap'
 * import { testPlugin } from 'presend/testing'
 * import noShouting from '../index.js'
 * testPlugin(t, noShouting, {
 *   options: { maxCapitals: 5 },
 *   cases: [
 *     { name: 'quiet text passes', text: 'hello there', expect: 'allow' },
 *     { name: 'shouting is refused', text: 'HELLO THERE', expect: { reject: 1 } },
 *   ],
 * })
 * @module
 */
import { createPipeline, type RunMeta, type RunResult } from '../pipeline.js'
import type { AnyPlugin } from '../plugin.js'
import type { BeforeSendCommand, BeforeSendRequest, MsgElement } from '../protocol.js'
import { requestFor } from '../requests.js'

export { textElement, customElement } from '../plugin.js'
export {
  c2cRequest,
  groupRequest,
  officialAccountRequest,
  seedRequest,
  requestFor,
  type RequestBuilder,
  type RequestInit,
} from '../requests.js'

/** Freeze `value` and everything reachable from it; tests use it to prove plugins never mutate input. */
export function deepFreeze<T>(value: T): T {
  freezeAll(value, new WeakSet())
  return value
}

// Walks into objects that are already frozen too: a shallow-frozen element (e.g. a shared constant) may
// still hold mutable children. `seen` stops cycles.
function freezeAll(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return
  seen.add(value)
  Object.freeze(value)
  for (const key of Reflect.ownKeys(value)) freezeAll((value as Record<PropertyKey, unknown>)[key], seen)
}

/** A message to check: a text (sent as C2C unless `command` says otherwise) or a whole request. */
export type CheckInput = string | BeforeSendRequest

/**
 * Run one message through a one-plugin pipeline (deep-frozen, so a mutating plugin fails loudly).
 * @example const result = await checkMessage(profanity, { words: ['darn'] }, 'darn it')
 */
export async function checkMessage(
  plugin: AnyPlugin,
  options: unknown,
  input: CheckInput,
  settings: { command?: BeforeSendCommand; meta?: RunMeta; baseDir?: string; onFault?: 'allow' | 'reject' } = {},
): Promise<RunResult> {
  const pipeline = await createPipeline({
    plugins: [[plugin, options]],
    baseDir: settings.baseDir,
    onFault: settings.onFault ?? 'reject',
  })
  try {
    const request =
      typeof input === 'string' ? requestFor(settings.command ?? 'C2C.CallbackBeforeSendMsg', { text: input }) : input
    return await pipeline.run(deepFreeze(request), settings.meta)
  } finally {
    await pipeline.close()
  }
}

/** What a case expects. */
export type Expectation =
  | 'allow'
  | 'drop'
  | { reject: number; info?: string }
  | { body: MsgElement[]; cloudCustomData?: string }
  | { text: string }

/** One case for {@link testPlugin}. */
export interface PluginCase {
  name: string
  /** A text (one text element) or a whole request. */
  text?: string
  request?: BeforeSendRequest
  command?: BeforeSendCommand
  meta?: RunMeta
  expect: Expectation
}

/** The subset of a tap `Test` the runner uses, so `presend/testing` does not depend on tap. */
export interface TestLike {
  test(name: string, fn: (t: TestLike & AssertLike) => Promise<void> | void): unknown
}
// `message` is required on purpose: tap types its third argument as `[msg: string, extra?] | [extra]`, which
// an optional `message?: string` does not fit, so tap's `t` would not type-check as a TestLike.
interface AssertLike {
  equal(found: unknown, wanted: unknown, message: string): unknown
  same(found: unknown, wanted: unknown, message: string): unknown
}

/**
 * One tap subtest per case: the plugin runs under a `reject` fault policy, so a plugin that throws or
 * mutates its (deep-frozen) input fails the case instead of passing silently.
 */
export function testPlugin(
  t: TestLike,
  plugin: AnyPlugin,
  spec: { options?: unknown; baseDir?: string; cases: readonly PluginCase[] },
): void {
  for (const c of spec.cases) {
    t.test(c.name, async (tt) => {
      const input = c.request ?? c.text ?? ''
      const result = await checkMessage(plugin, spec.options ?? {}, input, {
        command: c.command,
        meta: c.meta,
        baseDir: spec.baseDir,
      })
      tt.equal(result.faults, 0, 'the plugin did not fault')
      const e = c.expect
      if (e === 'allow') {
        tt.equal(result.decision, 'allow', 'decision')
        tt.equal(result.changed, false, 'message unchanged')
      } else if (e === 'drop') {
        tt.equal(result.decision, 'drop', 'decision')
      } else if ('reject' in e) {
        tt.equal(result.decision, 'reject', 'decision')
        tt.equal(result.reply.ErrorCode, e.reject, 'reject code')
        if (e.info !== undefined) tt.equal(result.reply.ErrorInfo, e.info, 'ErrorInfo')
      } else if ('text' in e) {
        tt.equal(result.decision, 'allow', 'decision')
        tt.same(
          result.body.map((el) => (el.MsgContent as { Text?: string } | undefined)?.Text).filter((x) => x !== undefined).join(''),
          e.text,
          'text after edits',
        )
      } else {
        tt.equal(result.decision, 'allow', 'decision')
        tt.same(result.body, e.body, 'body after edits')
        if (e.cloudCustomData !== undefined) tt.equal(result.cloudCustomData, e.cloudCustomData, 'CloudCustomData')
      }
    })
  }
}
