/**
 * Finding links in a text: `linkify-it` with the full IANA TLD list (the `tlds` package), plus what chat
 * text needs on top of it:
 *
 * - **Links glued to CJK text or emoji.** linkify-it wants whitespace or punctuation around a bare domain,
 *   so "请访问evil.io吧" and "😀 evil.io😀" hold no link for it, and "看evil.io" or "😀evil.io" come out
 *   as the (valid IDN) hosts "看evil.io" / "😀evil.io". We also scan a *variant* of the text in which
 *   emoji and non-ASCII symbols, and CJK / Thai / Hangul letters that touch an ASCII letter or digit, are
 *   blanked (one space per UTF-16 unit, so offsets are unchanged), full-width ASCII is folded
 *   ("ｈｔｔｐｓ://"), "。" right after a letter or digit reads as "." (after CJK text it ends a sentence),
 *   invisible format characters (zero-width space, bidi controls) are
 *   blanked, and so is the glue in "visithttps://evil.io", "url:evil.io", "link=evil.io", "hxxp://evil.io"; then we merge the two
 *   scans: an explicit scheme in the original wins; otherwise the variant gives the start and the host,
 *   and the original may extend a path the blanking cut short ("evil.io/路径").
 * - **Fewer false positives.** A bare host — no scheme, no `www.`, no path, port, query or user — is not a
 *   link when it is an IPv4 address ("1.2.3.4" reads as a version), a `name.ext` whose TLD is mostly a
 *   file extension ("setup.py", "archive.zip", "README.md"), ends in a capitalised word, which is a
 *   missing space after a full stop ("you.How"), or is dotted initials and a word ("p.m.today").
 *
 * Everything that can be built once is built in {@link createLinkFinder}; the returned function runs per
 * text element.
 * @module
 */
import { createRequire } from 'node:module'
import LinkifyIt from 'linkify-it'
import { canonicalHost } from './options.js'

const require = createRequire(import.meta.url)
// `tlds` ships its list as JSON behind a CommonJS `main`; require() reads it without import attributes.
const IANA_TLDS = require('tlds') as string[]

/** Every IANA TLD in canonical (punycode) form, to validate the last label of a link without a scheme. */
const TLD_SET: ReadonlySet<string> = new Set(IANA_TLDS.map((tld) => canonicalHost(tld)))

// What linkify-it is told the TLDs are. Handing it all ~1,450 names makes its fuzzy-link regex large
// enough that V8 runs it about ten times slower (measured: ~200 µs instead of ~20 µs per 200-character
// message). So linkify-it gets a compact pattern — any ASCII label, plus the ~150 non-ASCII TLDs spelt
// out (it adds punycode "xn--…" itself) — and each bare hit's TLD is checked against TLD_SET afterwards.
// The pattern accepts a superset of the real TLDs and the same terminators, so it finds the same hosts.
const LINKIFY_TLDS = ['[a-z]{2,63}', ...IANA_TLDS.filter((tld) => /[^a-z]/.test(tld))]

/**
 * TLDs that, as the last label of a bare `name.ext`, are far more often a file extension than a domain.
 * Deliberately short: ".ai", ".so", ".cc", ".app", ".me", ".io" stay links because real sites use them
 * bare ("character.ai", "notion.so").
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set(['py', 'sh', 'zip', 'mov', 'md', 'rs', 'pl', 'pm', 'ps', 'java'])

/** A link found in a text, in UTF-16 offsets of that text. */
export interface FoundLink {
  readonly start: number
  readonly end: number
  /** Canonical host (punycode, lower case), or `''` when it cannot be read. */
  readonly host: string
  /** True for an email address or a `mailto:` link. */
  readonly email: boolean
}

/** Finds the links in one text. */
export type LinkFinder = (text: string) => FoundLink[]

interface Hit {
  start: number
  end: number
  schema: string
  raw: string
  url: string
}

// Scripts written without spaces. A letter of theirs is blanked in the variant only where it touches an
// ASCII letter or digit (the switch between a sentence and a link glued to it), so a host written in
// them ("中国移动.中国", "https://例子.测试") survives the variant scan too.
const SPACELESS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}'
const ALNUM = 'A-Za-z0-9\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a'
// Emoji, non-ASCII symbols (\p{S}: ©, ★), invisible format characters (\p{Cf}: zero-width space and
// joiner, BOM, soft hyphen, bidi controls — "evil.io\u200b" hides a link from linkify-it) and numbers that
// are not digits (\p{No}, \p{Nl}: list markers ①, ¹, Ⅱ, which IDNA maps to "1", "ii": "①evil.io" was the
// host "1evil.io" and "evil.io①" no link) never belong to a host and are always blanked; ASCII symbols
// ($ + = | ~ …) are kept by blank() because URLs use them. Full-width ASCII other than "．" is folded.
const SYMBOLS =
  '\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\p{Regional_Indicator}\\p{S}\\p{Cf}\\p{No}\\p{Nl}\\ufe0e\\ufe0f\\u20e3\\uff01-\\uff0d\\uff0f-\\uff5e\\u{e0020}-\\u{e007f}'
// "。", "｡" and "．" read as a dot only right after an ASCII or full-width letter or digit ("evil。io",
// "ｅｖｉｌ．ｉｏ"). After CJK text they end a sentence: folding them there made "我到了。app打不开" the
// host "我到了.app".
// Each alternative here and in GLUE starts with the characters it matches and looks behind only then: an
// alternative that starts with a look-behind runs it at every position of every text (GLUE took 5× as long).
const FULL_STOP = `[\\u3002\\uff0e\\uff61](?<=[${ALNUM}].)`
const SPECIAL = new RegExp(`[${SPACELESS}](?=[${ALNUM}])|(?<=[${ALNUM}])[${SPACELESS}]|[${SYMBOLS}]|${FULL_STOP}`, 'gu')

// A link the variant scan can add always has an ASCII (or full-width) letter or digit right before or
// after a dot, a colon or "@", in one of their ASCII, full-width or ideographic forms.
const MAY_NEED_VARIANT = new RegExp(`[${ALNUM}][.:@\\u3002\\uff0e\\uff1a\\uff20\\uff61]|[.:@\\u3002\\uff0e\\uff1a\\uff20\\uff61][${ALNUM}]`)

// Glue linkify-it will not look through: a word right before a scheme ("visithttps://evil.io"); a ":" or
// "=" between a word in any script and a domain ("url:evil.io", "网址:evil.io", "link=163.com", but not
// the port in "evil.io:8080"); and a scheme it does not know or that is misspelt, whose "//" hides the
// domain after it from a fuzzy match ("hxxp://evil.io", "ttp://evil.io", "http:/evil.io",
// "https//evil.io"). The glue is blanked in the variant unless it sits in the path, query or fragment of
// an original hit ("x.io/?a=b.io", "http://u:p@x.io", "https://a.io/x//b").
// A "~" (or "～", folded before this runs) does not hide a domain next to it either ("来玩evil.io~",
// "地址~evil.io"), unless it sits between letters or digits; linkify-it neither ends nor starts a host there.
const GLUE = /[a-z0-9_](?=(?:https?|ftp):\/\/)|[:=](?<=\p{L}.)(?=\d*[a-z]|\d+\.)|:\/\/(?<!(?:https?|ftp):\/\/)|:\/(?!\/)|\/\/(?<=\p{L}\/\/)(?=[a-z0-9])|~(?<![a-z0-9]~)|~(?![a-z0-9])/giu

function unglue(variant: string, original: readonly Hit[]): string {
  let out = ''
  let last = 0
  let h = 0
  for (const m of variant.matchAll(GLUE)) {
    const at = m.index
    while (h < original.length && (original[h] as Hit).end <= at) h++
    const hit = original[h]
    if (hit !== undefined && hit.start <= at && PATH_START.test(variant.slice(hit.start, at))) continue
    out += variant.slice(last, at) + ' '.repeat(m[0].length)
    last = at + m[0].length
  }
  return out + variant.slice(last)
}

function blank(ch: string): string {
  const c = ch.codePointAt(0) as number
  if (c < 0x80) return ch
  // Full-width ASCII folds to ASCII (still one UTF-16 unit), so "ｅｖｉｌ.ｉｏ" is found.
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0)
  // Ideographic and half-width full stops: browsers read "evil。io" as "evil.io".
  if (c === 0x3002 || c === 0xff61) return '.'
  return ' '.repeat(ch.length)
}

// Every link linkify-it or the variant scan can find holds a dot, a colon, "@" or "/" (a scheme, a
// domain, an email, "//localhost"), in ASCII, full-width or ideographic form: text with none is skipped
// without running either scan (most chat lines hold no link).
const MAY_HOLD_LINK = /[.:@/\u3002\uff0e\uff1a\uff20\uff61\uff0f]/

const SCHEME_PREFIX = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i
const PATH_START = /[/?#]/
const BARE_HOST = /^[^/?#:@]+$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const TITLE_CASE = /^\p{Lu}\p{Ll}+$/u

function hostOf(hit: Hit): string {
  if (hit.schema === 'mailto:') {
    const address = hit.url.split('?')[0] as string
    return canonicalHost(address.slice(address.lastIndexOf('@') + 1))
  }
  try {
    return canonicalHost(new URL(hit.url.startsWith('//') ? `http:${hit.url}` : hit.url).hostname)
  } catch {
    // linkify-it accepted it but WHATWG URL does not (e.g. a bracketed IPv6 host): a link with no name.
    return ''
  }
}

/** Where the path, query or fragment of a hit starts, as an offset into `hit.raw`; -1 when it has none. */
function pathOffset(hit: Hit): number {
  if (hit.schema === 'mailto:') return -1
  const prefix = SCHEME_PREFIX.exec(hit.raw)?.[0].length ?? 0
  const at = hit.raw.slice(prefix).search(PATH_START)
  return at < 0 ? -1 : prefix + at
}

const codes = (chars: string): ReadonlySet<number> => new Set([...chars].map((ch) => ch.charCodeAt(0)))
// linkify-it ends a path only at whitespace and ASCII punctuation, so a path ran on through the
// punctuation of the sentence around it: "（https://evil.io/x）", "看evil.io/x，好的", "“https://evil.io/x”",
// "evil.io/x…", "【淘宝】https://m.tb.cn/h.x?tk=y「商品」". CJK and full-width clause marks, ellipses,
// curly quotes and CJK quotation and title marks end the path here, and so does a full-width closing
// bracket unless its opening one is in the path ("wiki/苹果（公司）"). A URL copied from a browser has none
// of them raw (they are percent-encoded), chat text has many. All of them are at or above U+2018.
const PATH_STOPS = codes('、。，！？；：…‥｡､〜～“”‘’「」『』【】《》〈〉〔〕〖〗〘〙〚〛｢｣')
const PATH_OPENERS = codes('（［｛')
const PATH_CLOSERS = codes('）］｝')
// Left out at the very end of a path, as GitHub's autolinks do; linkify-it already leaves out . , ; ! ?
// at the end, but keeps ":", "*", "_" and "~" ("see evil.io/x: …", "来evil.io/x~"), and a cut above can
// leave any of them last.
const PATH_TRAILING = codes('.,:;!?*_~')

/** The end of a hit, its path cut at the first punctuation of the text around it (see PATH_STOPS). */
function linkEnd(text: string, hit: Hit): number {
  const offset = pathOffset(hit)
  if (offset < 0) return hit.end
  const from = hit.start + offset
  let end = hit.end
  let depth = 0
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x2018) continue
    if (PATH_OPENERS.has(c)) depth++
    else if (PATH_CLOSERS.has(c) ? depth-- === 0 : PATH_STOPS.has(c)) {
      end = i
      break
    }
  }
  while (end > from && PATH_TRAILING.has(text.charCodeAt(end - 1))) end--
  return end
}

/**
 * True when a bare host reads as something else: a version, a file name, a missing space after a full
 * stop ("you.How") or after dotted initials ("p.m.today", "P.S.love", "e.g.google", "U.S.army": two or
 * more one-character labels before the last; a registrable name is never that short).
 */
function isNotALink(raw: string): boolean {
  if (IPV4.test(raw)) return true
  const labels = raw.split('.')
  const last = labels.length - 1
  const tld = labels[last] as string
  if (labels.length === 2 && FILE_EXTENSION_TLDS.has(tld.toLowerCase())) return true
  if (last >= 2 && labels.every((label, i) => i === last || label.length === 1)) return true
  return TITLE_CASE.test(tld)
}

/** True for a hit linkify-it found without a scheme (a bare host, or an email without "mailto:"). */
function isFuzzy(hit: Hit): boolean {
  return hit.schema === '' || (hit.schema === 'mailto:' && !/^mailto:/i.test(hit.raw))
}

function isBare(hit: Hit): boolean {
  return hit.schema === '' && BARE_HOST.test(hit.raw) && !/^www\./i.test(hit.raw)
}

/**
 * Merge the scans of the original text and of its variant (see the module comment). Each scan's hits are
 * sorted and never overlap, so one forward pass with pointers does it: linear in the number of hits,
 * which matters for 12 KB of links.
 */
function merge(original: Hit[], variant: Hit[]): Hit[] {
  const anchored = original.filter((h) => h.schema !== '')
  const fuzzy = original.filter((h) => h.schema === '')
  const out: Hit[] = [...anchored]
  let a = 0
  let f = 0
  for (let i = 0; i < variant.length; i++) {
    const v = variant[i] as Hit
    while (a < anchored.length && (anchored[a] as Hit).end <= v.start) a++
    // An explicit scheme in the original wins over what the variant made of the same span.
    if (a < anchored.length && (anchored[a] as Hit).start < v.end) continue
    const hit = { ...v }
    // The blanking cut a path short ("evil.io/" of "evil.io/路径"): take the original's end, unless the
    // original ran on over the next link the variant found ("看a.io/x😀b.io" is two links, not one).
    if (pathOffset(hit) >= 0) {
      const limit = variant[i + 1]?.start ?? Infinity
      while (f < fuzzy.length && (fuzzy[f] as Hit).end <= v.start) f++
      for (let k = f; k < fuzzy.length && (fuzzy[k] as Hit).start < v.end; k++) {
        const o = fuzzy[k] as Hit
        if (o.end > hit.end && o.end <= limit) hit.end = o.end
      }
    }
    out.push(hit)
  }
  // A bare original hit the variant did not see (an IDN such as "中国移动.中国") is kept; one the variant
  // saw differently has served above, at most to extend a path.
  let j = 0
  for (const o of fuzzy) {
    while (j < variant.length && (variant[j] as Hit).end <= o.start) j++
    if (j < variant.length && (variant[j] as Hit).start < o.end) continue
    out.push(o)
  }
  return out.sort((x, y) => x.start - y.start)
}

/**
 * Build a link finder. `emails` turns on bare email addresses and keeps `mailto:` links; without it
 * neither is reported.
 * @example createLinkFinder({ emails: false })('see evil.io!') // [{ start: 4, end: 11, host: 'evil.io', email: false }]
 */
export function createLinkFinder(options: { emails: boolean }): LinkFinder {
  const linkify = new LinkifyIt({}, { fuzzyLink: true, fuzzyEmail: options.emails, fuzzyIP: true })
  linkify.tlds(LINKIFY_TLDS)

  const scan = (text: string): Hit[] => {
    if (!linkify.pretest(text)) return []
    const matches = linkify.match(text) ?? []
    return matches.map((m) => ({ start: m.index, end: m.lastIndex, schema: m.schema, raw: m.raw, url: m.url }))
  }

  const find: LinkFinder = (text) => {
    if (!MAY_HOLD_LINK.test(text)) return []
    const original = scan(text)
    // Blanking costs ~25 µs per 200 CJK characters (Unicode script classes); skip it for text that has
    // no ASCII letter or digit next to a dot, colon or "@", as the variant could then find nothing new.
    const variant = MAY_NEED_VARIANT.test(text) ? unglue(text.replace(SPECIAL, blank), original) : text
    const hits = variant === text ? original : merge(original, scan(variant))
    const found: FoundLink[] = []
    for (const hit of hits) {
      const email = hit.schema === 'mailto:'
      if (email && !options.emails) continue
      if (isBare(hit) && isNotALink(hit.raw)) continue
      const host = hostOf(hit)
      // Without a scheme, only a real TLD (or an IPv4 address) makes a link: "node.js", "foo.bar" are not.
      if (isFuzzy(hit) && !IPV4.test(host) && !TLD_SET.has(host.slice(host.lastIndexOf('.') + 1))) continue
      found.push({ start: hit.start, end: linkEnd(text, hit), host, email })
    }
    return found
  }
  // V8 compiles a regular expression when it first runs — once for Latin-1 texts and once for texts with
  // wider characters — and linkify-it's are large: without this the first messages with a link paid 3–8 ms.
  // Every path above runs here, at build time, on both kinds of text.
  find('warm-up: https://a.io/x?y=1 www.b-c.com d@e.io 192.168.0.1 node.js')
  find('warm-up: https://a.io/x?y=1 www.b-c.com 看c.io了 d@e.io 例子.中国 192.168.0.1 node.js')
  return find
}
