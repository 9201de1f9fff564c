/**
 * `presend/plugins`: the built-in plugins, each also under the name used in config (`{ "use": "<name>" }`).
 *
 * @example
 * import { createPipeline } from 'presend'
 * import { profanity, links } from 'presend/plugins'
 * const pipeline = await createPipeline({ plugins: [[profanity, { lists: ['en'] }], links] })
 * @module
 */
import type { AnyPlugin } from '../core/plugin.js'
import contacts from './contacts/index.js'
import customElem from './custom-elem/index.js'
import duplicates from './duplicates/index.js'
import keywordRewrite from './keyword-rewrite/index.js'
import links from './links/index.js'
import profanity from './profanity/index.js'
import rateLimit from './rate-limit/index.js'
import strikes from './strikes/index.js'

export { contacts, customElem, duplicates, keywordRewrite, links, profanity, rateLimit, strikes }

/** Built-in plugins by config name, in the order this README lists them. */
export const builtinPlugins: Readonly<Record<string, AnyPlugin>> = Object.freeze({
  profanity,
  links,
  contacts,
  'keyword-rewrite': keywordRewrite,
  'custom-elem': customElem,
  'rate-limit': rateLimit,
  duplicates,
  strikes,
})
