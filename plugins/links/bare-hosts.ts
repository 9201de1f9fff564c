/**
 * When a bare host — no scheme, no `www.`, no path, port, query or user — reads as something else than a
 * link: a version, a file name, a sentence whose full stop lost its space, dotted initials, a stock
 * ticker. Anything that marks a host as a link (`https://`, `www.`, a path or a port) overrides all of it.
 * @module
 */

/**
 * TLDs that, as the last label of a bare `name.ext`, are far more often a file extension than a domain.
 * Deliberately short: ".ai", ".cc", ".app", ".io" are not here because real sites use them bare
 * ("character.ai").
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set(['py', 'sh', 'zip', 'mov', 'md', 'rs', 'pl', 'pm', 'ps', 'java'])

/**
 * TLDs that are everyday English words which open a clause: after a full stop typed without its space
 * they make a bare `word.word` ("ok.so what", "go to the store.now", "tell.me"). Real sites on them are
 * shared with a path ("youtu.be/x", "wa.me/123", "zoom.us/j/1") or a one-letter name ("t.me"), which
 * stay links. Spam's everyday-word TLDs (.top, .win, .fun, .live, .love, .club) are left out on purpose.
 */
export const EVERYDAY_WORD_TLDS: ReadonlySet<string> = new Set([
  'am', 'as', 'at', 'be', 'do', 'here', 'how', 'in', 'is', 'it', 'me', 'my', 'no', 'now', 'so', 'to', 'us', 'you',
])

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const TITLE_CASE = /^\p{Lu}\p{Ll}+$/u
// A word before an everyday-word TLD: letters or digits only. A hyphen or an underscore marks a domain.
const WORD = /^[\p{L}\p{N}]{2,}$/u
// "$TVI.CA", "$0700.HK", "$SHOP.TO": a ticker and its exchange, written in capitals after "$".
const CASHTAG = /^[A-Z0-9]{1,10}\.[A-Z]{2,4}$/

/** True for a bare IPv4 address ("1.2.3.4" reads as a version number as often as an address). */
export function isIPv4(host: string): boolean {
  return IPV4.test(host)
}

/**
 * True when the bare host `raw`, found right after the character `before` (`''` at the start), reads as
 * something else: a version ("1.2.3.4"), a file name ("setup.py"), a missing space after a full stop
 * ("you.How", "ok.so"), dotted initials and a word ("p.m.today", "e.g.google", "U.S.army": two or more
 * one-character labels before the last; a registrable name is never that short), or a cashtag ("$TVI.CA").
 * @example isNotALink('store.now', ' ') // true
 * @example isNotALink('evil.io', ' ') // false
 */
export function isNotALink(raw: string, before: string): boolean {
  if (isIPv4(raw)) return true
  if (before === '$' && CASHTAG.test(raw)) return true
  const labels = raw.split('.')
  const last = labels.length - 1
  const tld = labels[last] as string
  if (labels.length === 2) {
    const ext = tld.toLowerCase()
    if (FILE_EXTENSION_TLDS.has(ext)) return true
    if (EVERYDAY_WORD_TLDS.has(ext) && WORD.test(labels[0] as string)) return true
  }
  if (last >= 2 && labels.every((label, i) => i === last || label.length === 1)) return true
  return TITLE_CASE.test(tld)
}
