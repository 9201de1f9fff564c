/**
 * `presend/testing`: for plugin and pack authors — realistic callback payloads, one-message runs, and a table
 * of cases per plugin that runs under `node:test` (default), tap, vitest, jest or mocha, with option types
 * taken from the plugin and failures reported at the case's own line.
 *
 * @example
 * // test/no-shouting.test.js — run with `node --test`
 * import { testPlugin, groupRequest } from 'presend/testing'
 * import noShouting from '../index.js'
 *
 * testPlugin(noShouting, {
 *   options: { minLetters: 5 },
 *   cases: [
 *     { name: 'quiet text passes', text: 'hello there', expect: 'allow' },
 *     { name: 'shouting is refused', text: 'HELLO THERE', expect: { reject: 1 } },
 *     { name: 'in groups too', request: groupRequest({ text: 'HELLO THERE' }), expect: { reject: 1 } },
 *   ],
 * })
 * @module
 */
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
export { deepFreeze } from './deep-freeze.js'
export { checkMessage, type CheckInput, type CheckSettings, type OptionsOf } from './check-message.js'
export type { Expectation } from './expectations.js'
export { testPlugin, type PluginCase, type PluginTestSpec, type TestFunction, type TestLike, type TestRunner } from './test-plugin.js'
