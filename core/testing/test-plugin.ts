/**
 * `testPlugin`: a table of cases for one plugin, each run as one test of whatever test runner the file uses —
 * `node:test` by default, tap, vitest, jest, mocha: anything with a `test(name, fn)` or `it(name, fn)`.
 * A case passes or throws an `AssertionError`; the kit uses no runner's assertion API, which is what makes it
 * runner-neutral. The error's stack is the case's own line in the caller's file.
 *
 * @module
 */
import { AssertionError } from 'node:assert'
import { createRequire } from 'node:module'
import type { z } from 'zod'
import { PresendError } from '../errors.js'
import type { RunMeta, RunResult } from '../pipeline/index.js'
import { isPlugin, type Plugin } from '../plugin.js'
import type { BeforeSendCommand, BeforeSendRequest } from '../protocol/index.js'
import { callerLocation, caseLocations, type SourceLocation } from './case-location.js'
import { checkMessage } from './check-message.js'
import { assertExpectation, compareResult, type Expectation, type Mismatch } from './expectations.js'

/**
 * One case for {@link testPlugin}: a message and what the plugin should make of it.
 * @example { name: 'in a group', request: groupRequest({ text: 'STOP IT' }), meta: { platform: 'iOS' }, expect: { reject: 10100 } }
 */
export interface PluginCase {
  /** The test's name; also how the failure finds the case's line in your file. */
  name: string
  /** The message text, as one text element of a C2C message (or of `command`). */
  text?: string
  /** A whole request instead of `text` (build one with `c2cRequest`, `groupRequest`, …). */
  request?: BeforeSendRequest
  /** The command `text` is sent as (default `C2C.CallbackBeforeSendMsg`). */
  command?: BeforeSendCommand
  /** `sdkAppId`, `clientIp`, `platform`, as the server would pass them. */
  meta?: RunMeta
  /** What should happen: see {@link Expectation} for every shape. */
  expect: Expectation
}

/**
 * A runner's test function: `node:test`'s `test`, or `it` / `test` of vitest, jest or mocha.
 * @example import { it } from 'vitest'; testPlugin(noShouting, { test: it, cases })
 */
export type TestFunction = (name: string, fn: () => Promise<void>) => unknown

/**
 * Something with a `test(name, fn)` method, such as tap's `t`.
 * @example import t from 'tap'; testPlugin(noShouting, { test: t, cases })
 */
export interface TestLike {
  test: TestFunction
}

/**
 * Where {@link testPlugin} registers its tests: a test function, or an object with a `test` method.
 * @example import { test } from 'node:test'; testPlugin(noShouting, { test, cases })
 */
export type TestRunner = TestFunction | TestLike

/** The options field of a spec: optional when every option has a default, required otherwise. */
type OptionsField<Schema extends z.ZodType> = {} extends z.input<Schema>
  ? {
      /** The plugin's options for every case, typed by its schema (a misspelt key does not compile). */
      options?: z.input<Schema>
    }
  : {
      /** The plugin's options for every case, typed by its schema (a misspelt key does not compile). */
      options: z.input<Schema>
    }

/**
 * What {@link testPlugin} runs: the cases, the options and where to register the tests.
 * @example const spec: PluginTestSpec<typeof noShouting.options> = { options: { minLetters: 5 }, cases }
 */
export type PluginTestSpec<Schema extends z.ZodType = z.ZodType> = OptionsField<Schema> & {
  /** The cases, one test each, in order. */
  cases: readonly PluginCase[]
  /** The runner's `test` or `it`, or tap's `t` (default: `node:test`'s `test`). */
  test?: TestRunner
  /** The folder relative paths in options resolve against (default: the working directory). */
  baseDir?: string
}

/**
 * Run each case as one test: the plugin, with the spec's options, in a one-plugin pipeline, on a deep-frozen
 * message, with every fault a failure — so a plugin that throws or mutates its input cannot pass.
 *
 * The option types come from the plugin's schema, so a misspelt option fails `tsc`. Without `test`, the
 * cases are `node:test` tests (`node --test` runs them, no test framework to install); pass your runner's
 * `test` or `it`, or tap's `t`, to use another. A failing case reports the line where it is written.
 *
 * @example
 * import { testPlugin, groupRequest } from 'presend/testing'
 * import noShouting from '../index.js'
 *
 * testPlugin(noShouting, {
 *   options: { minLetters: 5, code: 120001, groupCode: 10100 },
 *   cases: [
 *     { name: 'quiet text passes', text: 'hello there', expect: 'allow' },
 *     { name: 'shouting is refused', text: 'HELLO THERE', expect: { reject: 120001, info: 'Please do not shout.' } },
 *     { name: 'in a group, its group code', request: groupRequest({ text: 'HELLO THERE' }), expect: { reject: 10100 } },
 *   ],
 * })
 * // with tap: testPlugin(noShouting, { test: t, … }); with vitest or jest: testPlugin(noShouting, { test: it, … })
 */
export function testPlugin<Schema extends z.ZodType>(plugin: Plugin<Schema>, spec: PluginTestSpec<Schema>): void
/**
 * The earlier form, kept for existing tests: the runner first (tap's `t`, or any {@link TestRunner}).
 * @example testPlugin(t, noShouting, { cases: [{ name: 'quiet', text: 'hi', expect: 'allow' }] })
 */
export function testPlugin<Schema extends z.ZodType>(runner: TestRunner, plugin: Plugin<Schema>, spec: Omit<PluginTestSpec<Schema>, 'test'>): void
export function testPlugin(...args: unknown[]): void {
  // The stack from the caller of testPlugin on: frames of the kit itself never appear, even when source maps
  // rename them to presend's TypeScript files.
  const trace: { stack?: string } = {}
  Error.captureStackTrace(trace, testPlugin)
  const call = callerLocation(trace.stack)
  const [plugin, spec] = (isPlugin(args[0]) ? args : [args[1], { ...(args[2] as object), test: args[0] }]) as [Plugin<z.ZodType>, PluginTestSpec]
  if (!isPlugin(plugin)) {
    throw new PresendError('PRESEND_INVALID_TEST_CASE', 'testPlugin(plugin, { cases }) needs a plugin made with definePlugin() first (or a test runner, then the plugin).')
  }
  const cases = spec?.cases
  if (!Array.isArray(cases) || cases.length === 0) {
    throw new PresendError('PRESEND_INVALID_TEST_CASE', `testPlugin(${plugin.name}): give at least one case in "cases", each { name, text or request, expect }.`)
  }
  for (const c of cases as PluginCase[]) {
    if (typeof c?.name !== 'string' || c.name === '') {
      throw new PresendError('PRESEND_INVALID_TEST_CASE', `testPlugin(${plugin.name}): every case needs a name; got ${JSON.stringify(c)}.`)
    }
    if (c.text !== undefined && c.request !== undefined) {
      throw new PresendError('PRESEND_INVALID_TEST_CASE', `testPlugin case "${c.name}": give text or request, not both.`)
    }
    assertExpectation(c.expect, c.name)
  }
  const register = runnerOf(spec.test)
  const places = call === undefined ? [] : caseLocations(call, cases.map((c) => c.name))
  cases.forEach((c, i) => {
    register(c.name, async () => {
      const at = places[i]
      let result: RunResult
      try {
        result = await checkMessage(plugin, spec.options ?? {}, c.request ?? c.text ?? '', { command: c.command, meta: c.meta, baseDir: spec.baseDir })
      } catch (err) {
        throw failure(`case "${c.name}": the pipeline could not be built: ${(err as Error).message}`, at, call)
      }
      const mismatch = compareResult(result, c.expect)
      if (mismatch !== undefined) throw failure(`case "${c.name}": ${mismatch.summary}`, at, call, mismatch)
    })
  })
}

function runnerOf(runner: TestRunner | undefined): TestFunction {
  if (typeof runner === 'function') return runner
  if (typeof runner?.test === 'function') return (name, fn) => runner.test(name, fn)
  if (runner !== undefined) {
    throw new PresendError('PRESEND_INVALID_TEST_CASE', "testPlugin: test must be your runner's test or it function, or tap's t.")
  }
  // Loaded only when used, so a file that runs under another runner never loads node:test.
  return (createRequire(import.meta.url)('node:test') as { test: TestFunction }).test
}

/** An AssertionError whose stack is the case's line, then the testPlugin call: nothing inside presend. */
function failure(message: string, at: SourceLocation | undefined, call: SourceLocation | undefined, mismatch?: Mismatch): AssertionError {
  const err = new AssertionError({ message })
  if (mismatch !== undefined) {
    // Set after construction: given to the constructor with a message, some Node versions append their own
    // diff to it. Runners that print a diff (vitest, jest, mocha, node:test) read these fields.
    Object.assign(err, { actual: mismatch.actual, expected: mismatch.expected, operator: 'deepStrictEqual' })
  }
  const frames = [at, call].filter((place, i, all): place is SourceLocation => place !== undefined && (i === 0 || place !== all[0]))
  err.stack = [`${err.name} [${err.code}]: ${message}`, ...frames.map((f) => `    at ${f.file}:${f.line}:${f.column}`)].join('\n')
  return err
}
