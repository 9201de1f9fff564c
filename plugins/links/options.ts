/**
 * The `links` plugin's options: their zod schema, defaults, and the domain normalisation both the
 * option lists and the hosts found in messages go through, so "Example.COM", "ｅｘａｍｐｌｅ.com" and
 * "例子.测试" / "xn--fsqu00a.xn--0zwm56d" compare equal.
 * @module
 */
import { domainToASCII } from 'node:url'
import { z } from 'zod'
import { slotsOption } from '../../core/slots.js'
import { rejectOptionsShape } from '../../core/protocol/index.js'

/** What the plugin does with a message that holds a link it acts on. */
export const LINK_ACTIONS = ['replace', 'strip', 'reject', 'drop'] as const
/** One of {@link LINK_ACTIONS}. */
export type LinkAction = (typeof LINK_ACTIONS)[number]

// A host after UTS #46 processing: letters, digits, '-', '_' (seen in real subdomains) in dot-separated
// labels. Anything else (a scheme, a path, a port, a space, a wildcard in the middle) is not a domain.
const ASCII_HOST = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/

/**
 * The canonical form of a host name: IDNA/UTS #46 ASCII (punycode, lower case, full-width folded), with
 * trailing dots removed. Returns `''` for something that is not a host name.
 * @example canonicalHost('Bücher.DE.') // 'xn--bcher-kva.de'
 */
export function canonicalHost(host: string): string {
  const ascii = domainToASCII(host).replace(/\.+$/, '')
  return ASCII_HOST.test(ascii) ? ascii : ''
}

/**
 * Parse one `allowDomains` / `denyDomains` entry. A leading `*.` or `.` is accepted and means the same as
 * the bare domain, since a listed domain always covers its subdomains.
 */
const domainEntry = z.string().transform((value, ctx) => {
  const bare = value.trim().replace(/^\*?\./, '')
  const host = bare === '' ? '' : canonicalHost(bare)
  if (host === '') {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `${JSON.stringify(value)} is not a domain; write the bare domain (e.g. "example.com"), without a scheme, path or port`,
    })
    return z.NEVER
  }
  return host
})

/**
 * The options schema. Every key is optional; the defaults replace every link with `[link]`.
 *
 * @example
 * linksOptions.parse({ allowDomains: ['example.com'], action: 'reject', code: 120001 })
 */
export const linksOptions = z
  .strictObject({
    /** Domains left alone, each with its subdomains. Default: none. */
    allowDomains: z.array(domainEntry).default([]),
    /** When non-empty, only these domains (and their subdomains) are acted on. Default: none (all). */
    denyDomains: z.array(domainEntry).default([]),
    /** `replace` (default), `strip`, `reject` or `drop`. */
    action: z.enum(LINK_ACTIONS).default('replace'),
    /** Text that stands in for each link when `action` is `replace`. Default `"[link]"`. */
    replacement: z.string().max(1000).default('[link]'),
    /** Also act on email addresses (`bob@example.com`, `mailto:` links). Default `false`. */
    emails: z.boolean().default(false),
    /** Which texts to check: `"all"` (default: every text slot) or a list of slot kinds. */
    slots: slotsOption('all'),
    ...rejectOptionsShape,
  })
  .superRefine((options, ctx) => {
    // The same domain in both lists has no sensible meaning; say so at build time, not per message.
    const allowed = new Set(options.allowDomains)
    options.denyDomains.forEach((domain, i) => {
      if (allowed.has(domain)) {
        ctx.addIssue({
          code: 'custom',
          path: ['denyDomains', i],
          message: `"${domain}" is in both allowDomains and denyDomains; keep it in one of them`,
        })
      }
    })
  })

/** The options as `create()` receives them (defaults applied, domains canonical). */
export type LinksOptions = z.output<typeof linksOptions>
/** The options as a user writes them. */
export type LinksOptionsInput = z.input<typeof linksOptions>
