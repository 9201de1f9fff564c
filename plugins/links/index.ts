/**
 * The `links` plugin: finds URLs (with or without a scheme), bare domains and, on request, email
 * addresses in text elements, and replaces, strips, rejects or drops them — except the domains you allow.
 * Options and verdicts are documented in this folder's README.md.
 *
 * @example
 * import { createPipeline } from 'presend'
 * import { links } from 'presend/plugins'
 * const pipeline = await createPipeline({
 *   plugins: [[links, { allowDomains: ['example.com'], action: 'replace', replacement: '[link]' }]],
 * })
 * @module
 */
import { allow, definePlugin, drop, edit, reject, replaceText, type Checker, type Edit, type Hit, type Verdict } from '../../core/plugin.js'
import { slotKinds } from '../../core/slots.js'
import { compileDomainRules } from './domains.js'
import { createLinkFinder, type LinkFinder } from './find-links.js'
import { linksOptions, type LinksOptions } from './options.js'

export { linksOptions, canonicalHost, LINK_ACTIONS, type LinkAction, type LinksOptions, type LinksOptionsInput } from './options.js'
export { createLinkFinder, type FoundLink, type LinkFinder } from './find-links.js'
export { EVERYDAY_WORD_TLDS, FILE_EXTENSION_TLDS, isNotALink } from './bare-hosts.js'
export { createPrefilter, type Prefilter } from './prefilter.js'
export { compileDomainRules, type DomainRules } from './domains.js'

/** At most this many hosts are named in a verdict's reason; the rest are counted. */
const REASON_HOSTS = 3

function describe(hosts: readonly string[]): string {
  const names = [...new Set(hosts.map((h) => h || 'an unreadable host'))]
  const shown = names.slice(0, REASON_HOSTS).join(', ')
  const more = names.length > REASON_HOSTS ? ` and ${names.length - REASON_HOSTS} more` : ''
  return `${hosts.length === 1 ? 'a link' : `${hosts.length} links`} to ${shown}${more}`
}

/**
 * The per-message half of the plugin over the finder `find`: `create()` passes the finder its options
 * ask for; the prefilter's test passes one with the prefilter off, to prove the plugin answers the same.
 * @example
 * const checker = createLinksChecker(linksOptions.parse({ action: 'drop' }), createLinkFinder({ emails: false }))
 */
export function createLinksChecker(options: LinksOptions, find: LinkFinder): Checker {
  const rules = compileDomainRules(options.allowDomains, options.denyDomains)
  const text = options.action === 'strip' ? '' : options.replacement
  const terminal = options.action === 'reject' || options.action === 'drop'
  const kinds = slotKinds(options.slots)

  return {
    check(message): Verdict {
      const edits: Edit[] = []
      const hosts: string[] = []
      const hits: Hit[] = []
      for (const slot of message.slots) {
        if (!kinds.has(slot.kind)) continue
        for (const link of find(slot.text)) {
          if (!rules.acts(link.host)) continue
          hosts.push(link.host)
          hits.push({ rule: link.host, slot: slot.index, start: link.start, end: link.end })
          // One link is enough to refuse the message: no need to scan the rest.
          if (terminal) break
          edits.push(replaceText(slot, link.start, link.end, text))
        }
        if (terminal && hosts.length > 0) break
      }
      if (hosts.length === 0) return allow()
      const reason = `contains ${describe(hosts)}`
      if (options.action === 'reject') {
        return reject({ code: options.code, groupCode: options.groupCode, info: options.info, reason, hits })
      }
      if (options.action === 'drop') return drop(reason, hits)
      return edit(edits, `${options.action === 'strip' ? 'stripped' : 'replaced'} ${describe(hosts)}`, hits)
    },
  }
}

/**
 * The `links` plugin. Config name `links`.
 *
 * @example
 * // presend.config.json
 * { "use": "links", "options": { "allowDomains": ["example.com"], "action": "reject", "code": 120001, "info": "No links, please" } }
 */
export const links = definePlugin({
  name: 'links',
  description: 'Replaces, strips, rejects or drops links and bare domains (and, optionally, emails) outside an allow-list',
  options: linksOptions,
  create: (options) => createLinksChecker(options, createLinkFinder({ emails: options.emails })),
})

export default links
