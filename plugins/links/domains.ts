/**
 * Allow / deny decisions on a host. A listed domain covers itself and its subdomains, label by label:
 * "example.com" covers "www.example.com" but not "example.com.evil.io" nor "notexample.com".
 * @module
 */

/**
 * How many characters of `host` the longest listed suffix in `domains` covers, or -1 when none does.
 * `host` and the listed domains are canonical (see `canonicalHost`).
 */
function longestListed(domains: ReadonlySet<string>, host: string): number {
  // No IPv4 special case needed: canonicalHost turns a numeric entry such as "3.4" into the address
  // "3.0.0.4", so no listed entry can be a partial address that covers "1.2.3.4".
  let suffix = host
  for (;;) {
    if (domains.has(suffix)) return suffix.length
    const dot = suffix.indexOf('.')
    if (dot < 0) return -1
    suffix = suffix.slice(dot + 1)
  }
}

/** Decides per host whether the plugin acts on a link. Built once in `create()`. */
export interface DomainRules {
  /** True when a link to `host` (canonical, or `''` when unknown) is acted on. */
  acts(host: string): boolean
}

/**
 * Compile the two lists. Without `deny`, every host not covered by `allow` is acted on. With `deny`, only
 * hosts `deny` covers are acted on, unless `allow` covers them more specifically (deny "example.com" and
 * allow "docs.example.com": "docs.example.com" passes, "www.example.com" does not). A host that cannot be
 * read (`''`) is acted on when there is no deny list: a link we cannot name is still a link.
 * @example compileDomainRules(['example.com'], []).acts('example.com.evil.io') // true
 */
export function compileDomainRules(allow: readonly string[], deny: readonly string[]): DomainRules {
  const allowed = new Set(allow)
  const denied = new Set(deny)
  if (denied.size === 0) return { acts: (host) => longestListed(allowed, host) < 0 }
  return { acts: (host) => longestListed(denied, host) > longestListed(allowed, host) }
}
