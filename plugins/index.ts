/**
 * The built-in plugins, by the name used in config (`{ "use": "<name>" }`).
 * @module
 */
import type { AnyPlugin } from '../core/plugin.js'
import links from './links/index.js'
import customElem from './custom-elem/index.js'
import keywordRewrite from './keyword-rewrite/index.js'
import profanity from './profanity/index.js'

/** Built-in plugins by config name. */
export const builtinPlugins: Readonly<Record<string, AnyPlugin>> = Object.freeze({
  // one line per built-in plugin, e.g.  profanity,
  links,
  'custom-elem': customElem,
  'keyword-rewrite': keywordRewrite,
  profanity,
})
