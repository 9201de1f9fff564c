/**
 * Finding links in a text: the `linkify-it` scanner of `linkify.ts` (chat punctuation ends a path, `_`
 * in hosts, ws(s) schemes) checked against the full IANA TLD list, plus what chat text needs on top of it:
 *
 * - **Links glued to CJK text or emoji.** linkify-it wants whitespace or punctuation around a bare domain,
 *   so "请访问evil.io吧" and "😀 evil.io😀" hold no link for it, and "看evil.io" or "😀evil.io" come out
 *   as the (valid IDN) hosts "看evil.io" / "😀evil.io". We also scan a *variant* of the text in which
 *   emoji and non-ASCII symbols, and CJK / Thai / Hangul letters that touch an ASCII letter or digit, are
 *   blanked (one space per UTF-16 unit, so offsets are unchanged), full-width ASCII is folded
 *   ("ｈｔｔｐｓ://") except the full-width punctuation that ends a path, which is blanked, "。" right
 *   after a letter or digit reads as "." (after CJK text it ends a sentence), invisible format characters
 *   (zero-width space, bidi controls) are blanked, and so is the glue in "visithttps://evil.io",
 *   "url:evil.io", "link=evil.io", "hxxp://evil.io"; then we merge the two scans: an explicit scheme in the
 *   original wins (unless a character no host holds ran into its host, "https://a.io\ufffcthis");
 *   otherwise the variant gives the start and the host, and the original may extend a path the blanking
 *   cut short ("evil.io/路径").
 * - **Emails are not links.** Emails are always scanned, so that with `emails: false` the name of one
 *   ("john.doe.gov@mail.com") is not read as a domain; `user@host/path` is a link with a user name.
 * - **Fewer false positives.** A bare host that reads as a version, a file name, a sentence missing the
 *   space after its full stop, dotted initials or a cashtag is not a link (`bare-hosts.ts`).
 *
 * Everything that can be built once is built in {@link createLinkFinder}; the returned function runs per
 * text element, behind the exact prefilter of `prefilter.ts`.
 * @module
 */
import type { default as LinkifyIt, Match } from 'linkify-it'
import { isIPv4, isNotALink } from './bare-hosts.js'
import { createLinkify, FULL_WIDTH_BRACKETS, PATH_STOPS, TLD_SET } from './linkify.js'
import { canonicalHost } from './options.js'
import { createPrefilter } from './prefilter.js'

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
  /** Where the link ends in the text: linkify-it's end, cut by {@link linkEnd}. */
  end: number
  schema: string
  raw: string
  url: string
  /** {@link hostOf}, once asked. */
  host?: string
}

// Scripts written without spaces. A letter of theirs is blanked in the variant only where it touches an
// ASCII letter or digit (the switch between a sentence and a link glued to it), so a host written in
// them ("中国移动.中国", "https://例子.测试") survives the variant scan too.
const SPACELESS =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}'
const ALNUM = 'A-Za-z0-9\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a'
// Emoji, non-ASCII symbols (\p{S}: ©, ★, the object replacement character U+FFFC), invisible format
// characters (\p{Cf}: zero-width space and joiner, BOM, soft hyphen, bidi controls — "evil.io\u200b"
// hides a link from linkify-it) and numbers that are not digits (\p{No}, \p{Nl}: list markers ①, ¹, Ⅱ,
// which IDNA maps to "1", "ii": "①evil.io" was the host "1evil.io" and "evil.io①" no link) never belong
// to a host and are always blanked; ASCII symbols ($ + = | ~ …) are kept by blank() because URLs use
// them. Full-width ASCII other than "．" goes through blank() too.
const SYMBOLS =
  '\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\p{Regional_Indicator}\\p{S}\\p{Cf}\\p{No}\\p{Nl}\\ufe0e\\ufe0f\\u20e3\\uff01-\\uff0d\\uff0f-\\uff5e\\u{e0020}-\\u{e007f}'
// "。", "｡" and "．" read as a dot only right after an ASCII or full-width letter or digit ("evil。io",
// "ｅｖｉｌ．ｉｏ"). After CJK text they end a sentence: folding them there made "我到了。app打不开" the
// host "我到了.app".
// Each alternative here and in GLUE starts with the characters it matches and looks behind only then: an
// alternative that starts with a look-behind runs it at every position of every text (GLUE took 5× as long).
const FULL_STOP = `[\\u3002\\uff0e\\uff61](?<=[${ALNUM}].)`
const SPECIAL = new RegExp(`[${SPACELESS}](?=[${ALNUM}])|(?<=[${ALNUM}])[${SPACELESS}]|[${SYMBOLS}]|${FULL_STOP}`, 'gu')

// Glue linkify-it will not look through: a word right before a scheme ("visithttps://evil.io"); a ":" or
// "=" between a word in any script and a domain ("url:evil.io", "网址:evil.io", "link=163.com", but not
// the port in "evil.io:8080"); and a scheme it does not know or that is misspelt, whose "//" hides the
// domain after it from a fuzzy match ("hxxp://evil.io", "ttp://evil.io", "http:/evil.io",
// "https//evil.io"). The glue is blanked in the variant unless it sits in the path, query or fragment of
// an original hit ("x.io/?a=b.io", "http://u:p@x.io", "https://a.io/x//b").
// A "~" does not hide a domain next to it either ("来玩evil.io~", "地址~evil.io"), unless it sits between
// letters or digits; linkify-it neither ends nor starts a host there.
const GLUE =
  /[a-z0-9_](?=(?:https?|ftp|wss?):\/\/)|[:=](?<=\p{L}.)(?=\d*[a-z]|\d+\.)|:\/\/(?<!(?:https?|ftp|wss?):\/\/)|:\/(?!\/)|\/\/(?<=\p{L}\/\/)(?=[a-z0-9])|~(?<![a-z0-9]~)|~(?![a-z0-9])/giu

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

const codes = (chars: string): ReadonlySet<number> => new Set([...chars].map((ch) => ch.charCodeAt(0)))
// Punctuation that ends a path, full-width brackets among them: blanked in the variant rather than folded
// to ASCII, where "，" would be a "," a path runs on over ("a.io/x,b.io") and the link after it is lost.
const SEPARATORS = codes(PATH_STOPS + FULL_WIDTH_BRACKETS)
const STOPS = codes(PATH_STOPS)
const DOT_LIKE = codes('\u3002\uff0e\uff61')
const FULL_WIDTH_COLON = 0xff1a
const SLASHES = /[/\uff0f]/
// What a "/" that starts a path follows: a character of the word other than a scheme's ":" or "/".
const PATH_SLASH_AFTER = /[^\s:/\uff1a\uff0f]/
const SPACE = /\s/

/**
 * The variant of `text` (see the module comment). "。", "｡" and "．" right after a letter or digit read as
 * a dot until a path starts in their word, and as a full stop after that: "evil。io/x。b。com" is the link
 * "evil.io/x", a full stop, and the link "b.com". Reading the whole variant as dots ran the first path on
 * over every link after it. A path starts at a "/" (or "／") that follows a character of the word other
 * than ":" or "/" and is not followed by another, so not in "https://"; a word ends at whitespace, at
 * punctuation that ends a path, and at whatever the variant blanks.
 */
function variantOf(text: string, original: readonly Hit[]): string {
  let next = 0
  let inPath = false
  // Reads the path state forward to `to`: blank() is called left to right, so the text is read once.
  const read = (to: number): void => {
    for (; next < to; next++) {
      const ch = text.charAt(next)
      if (SLASHES.test(ch)) {
        inPath ||= PATH_SLASH_AFTER.test(text.charAt(next - 1)) && !SLASHES.test(text.charAt(next + 1))
      } else if (STOPS.has(ch.charCodeAt(0)) || SPACE.test(ch)) {
        inPath = false
      }
    }
  }
  const blank = (ch: string, at: number): string => {
    const c = ch.codePointAt(0) as number
    if (c < 0x80) return ch
    // SPECIAL passes these only right after a letter or digit: browsers read "evil。io" as "evil.io".
    if (DOT_LIKE.has(c)) {
      read(at)
      next = at + 1
      if (!inPath) return '.'
      inPath = false
      return ch
    }
    // "ｈｔｔｐ：／／": a full-width colon before a slash is a scheme's.
    if (c === FULL_WIDTH_COLON && SLASHES.test(text.charAt(at + 1))) return ':'
    // Full-width ASCII folds to ASCII (still one UTF-16 unit), so "ｅｖｉｌ.ｉｏ" is found.
    if (c >= 0xff01 && c <= 0xff5e && !SEPARATORS.has(c)) return String.fromCharCode(c - 0xfee0)
    // Everything else becomes spaces, which end a word.
    next = at + ch.length
    inPath = false
    return ' '.repeat(ch.length)
  }
  return unglue(text.replace(SPECIAL, blank), original)
}

const SCHEME_PREFIX = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i
const PATH_START = /[/?#]/
const BARE_HOST = /^[^/?#:@]+$/

function hostOf(hit: Hit): string {
  hit.host ??= readHost(hit)
  return hit.host
}

function readHost(hit: Hit): string {
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

// Left out at the very end of a path, as GitHub's autolinks do; linkify-it already leaves out . , ; ! ?
// at the end, but keeps ":", "*", "_" and "~" ("see evil.io/x: …", "来evil.io/x~"), and a cut below can
// leave any of them last.
const PATH_TRAILING = codes('.,:;!?*_~')

/**
 * The end of a hit in `text`. linkify-it ends a path at chat punctuation (`linkify.ts`), but the variant
 * reads "。" after a letter as a dot, so a variant hit's path can run over one ("a.io/x。b.io"): in a path
 * it is a full stop, and the link ends there.
 */
function linkEnd(text: string, hit: Hit): number {
  const offset = pathOffset(hit)
  if (offset < 0) return hit.end
  const from = hit.start + offset
  let end = hit.end
  for (let i = from + 1; i < end; i++) {
    if (STOPS.has(text.charCodeAt(i))) {
      end = i
      break
    }
  }
  while (end > from && PATH_TRAILING.has(text.charCodeAt(end - 1))) end--
  return end
}

/** True for a hit linkify-it found without a scheme (a bare host, or an email without "mailto:"). */
function isFuzzy(hit: Hit): boolean {
  return hit.schema === '' || (hit.schema === 'mailto:' && !/^mailto:/i.test(hit.raw))
}

/** True when the host of a hit ends in a real TLD, or is an IPv4 address. */
function hasRealTld(hit: Hit): boolean {
  const host = hostOf(hit)
  return isIPv4(host) || TLD_SET.has(host.slice(host.lastIndexOf('.') + 1))
}

/** The offset in `hit.raw` of the last dot of its host (the hit has no scheme; its host has a dot). */
function lastHostDot(hit: Hit): number {
  const path = hit.raw.search(PATH_START)
  const limit = path < 0 ? hit.raw.length : path
  // After a user name ("a:b@x.zz/y"), before a port ("x.zz:8080").
  const from = hit.raw.lastIndexOf('@', limit) + 1
  const port = hit.raw.indexOf(':', from)
  return hit.raw.lastIndexOf('.', (port < 0 || port > limit ? limit : port) - 1)
}

/** `scanned` with the last dot of each hit's host blanked. */
function blankLastDots(scanned: string, hits: readonly Hit[]): string {
  let out = ''
  let last = 0
  for (const hit of hits) {
    const dot = hit.start + lastHostDot(hit)
    out += `${scanned.slice(last, dot)} `
    last = dot + 1
  }
  return out + scanned.slice(last)
}

function isBare(hit: Hit): boolean {
  return hit.schema === '' && BARE_HOST.test(hit.raw) && !/^www\./i.test(hit.raw)
}

/**
 * True for an original hit whose explicit scheme wins over the variant. Not when its host cannot be read:
 * a character no host holds then ran into it ("https://a.io\ufffcthis" is the host "a.io\ufffcthis"
 * to linkify-it), and the variant, where such characters are blanked, knows where the host ends. Nor when
 * its host stops at a "。" the variant reads as a dot ("https://evil。io" is not the host "evil").
 */
function isAnchored(hit: Hit, text: string): boolean {
  if (hit.schema === '' || hostOf(hit) === '') return false
  return pathOffset(hit) >= 0 || !DOT_LIKE.has(text.charCodeAt(hit.end))
}

/**
 * Merge the scans of the original text and of its variant (see the module comment). Each scan's hits are
 * sorted and never overlap, so one forward pass with pointers does it: linear in the number of hits,
 * which matters for 12 KB of links.
 */
function merge(text: string, original: Hit[], variant: Hit[]): Hit[] {
  const anchored = original.filter((h) => isAnchored(h, text))
  const rest = original.filter((h) => !isAnchored(h, text))
  const out: Hit[] = [...anchored]
  const used: Hit[] = []
  let a = 0
  let r = 0
  for (let i = 0; i < variant.length; i++) {
    const v = variant[i] as Hit
    while (a < anchored.length && (anchored[a] as Hit).end <= v.start) a++
    if (a < anchored.length && (anchored[a] as Hit).start < v.end) continue
    const hit = { ...v }
    // The blanking cut a path short ("evil.io/" of "evil.io/路径"): take the original's end, unless the
    // original ran on over the next link the variant found ("看a.io/x😀b.io" is two links, not one).
    if (pathOffset(hit) >= 0) {
      const limit = variant[i + 1]?.start ?? Infinity
      while (r < rest.length && (rest[r] as Hit).end <= v.start) r++
      for (let k = r; k < rest.length && (rest[k] as Hit).start < v.end; k++) {
        const o = rest[k] as Hit
        if (o.end > hit.end && o.end <= limit) hit.end = o.end
      }
    }
    out.push(hit)
    used.push(hit)
  }
  // An original hit the variant did not see (an IDN such as "中国移动.中国", a link after one whose path
  // the variant ran on over "。") is kept; one the variant saw differently has served above, at most to
  // extend a path.
  let j = 0
  for (const o of rest) {
    while (j < used.length && (used[j] as Hit).end <= o.start) j++
    if (j < used.length && (used[j] as Hit).start < o.end) continue
    out.push(o)
  }
  return out.sort((x, y) => x.start - y.start)
}

/**
 * Build a link finder. `emails` reports email addresses and `mailto:` links; without it neither is
 * reported (nor read as a link). `prefilter: false` runs the full finder — both scans — on every text:
 * the prefilter that skips them is exact, and its test proves it by comparing the two.
 * @example createLinkFinder({ emails: false })('see evil.io!') // [{ start: 4, end: 11, host: 'evil.io', email: false }]
 */
export function createLinkFinder(options: { emails: boolean; prefilter?: boolean }): LinkFinder {
  const linkify = createLinkify()
  const mayHoldLink = options.prefilter === false ? () => true : createPrefilter({ emails: options.emails })

  // `scanned` is the text or its variant; ends are cut in `text`, where the punctuation is.
  const match = (scanned: string, text: string): Hit[] => {
    if (!linkify.pretest(scanned)) return []
    const hits: Hit[] = []
    let last = 0
    for (const m of linkify.match(scanned) ?? []) {
      if (m.index < last) continue
      const hit = userLink(linkify, scanned, m) ?? { start: m.index, end: m.lastIndex, schema: m.schema, raw: m.raw, url: m.url }
      last = hit.end
      hit.end = linkEnd(text, hit)
      hits.push(hit)
    }
    return hits
  }
  // A host without a real TLD ("x.http" of "x.http://evil.io", "node.js" of "node.js/https://evil.io") is
  // no link, but linkify-it, which takes any label for a TLD (see linkify.ts), chose it over the links it
  // overlaps. They are found by scanning once more with the last dot of each such host blanked. Only a
  // scheme can start inside a host, and it ends in ":"; anything else starts in a path. So a bare host
  // not followed by ":" ("node.js", "Mr.Smith") hides nothing, and costs no second scan.
  const scan = (scanned: string, text: string): Hit[] => {
    const hits = match(scanned, text)
    const hiding = hits.filter(
      (hit) => hit.schema === '' && (!BARE_HOST.test(hit.raw) || scanned.charAt(hit.start + hit.raw.length) === ':') && !hasRealTld(hit),
    )
    return hiding.length > 0 ? match(blankLastDots(scanned, hiding), text) : hits
  }

  const find: LinkFinder = (text) => {
    if (!mayHoldLink(text)) return []
    const original = scan(text, text)
    const variant = variantOf(text, original)
    const hits = variant === text ? original : merge(text, original, scan(variant, text))
    const found: FoundLink[] = []
    for (const hit of hits) {
      const email = hit.schema === 'mailto:'
      if (email && !options.emails) continue
      if (isBare(hit) && isNotALink(hit.raw, text.charAt(hit.start - 1))) continue
      // Without a scheme, only a real TLD (or an IPv4 address) makes a link: "node.js", "foo.bar" are not.
      if (isFuzzy(hit) && !hasRealTld(hit)) continue
      found.push({ start: hit.start, end: hit.end, host: hostOf(hit), email })
    }
    return found
  }
  // V8 compiles a regular expression when it first runs — once for Latin-1 texts and once for texts with
  // wider characters — and linkify-it's are large: without this the first messages with a link paid 3–8 ms.
  // Every path above runs here, at build time, on both kinds of text.
  find('warm-up: https://a.io/x?y=1 www.b-c.com d@e.io u@f.io/g 192.168.0.1 node.js')
  find('warm-up: https://a.io/x?y=1 www.b-c.com 看c.io了 d@e.io u@f.io/g 例子.中国 192.168.0.1 node.js')
  return find
}

/**
 * "a@evil.io/x" is no email but a link with a user name (browsers open it); linkify-it reads the email and
 * leaves the path. Its protocol-relative rule takes a user name, so it measures the whole link.
 */
function userLink(linkify: LinkifyIt, scanned: string, m: Match): Hit | undefined {
  if (m.schema !== 'mailto:' || /^mailto:/i.test(m.raw)) return undefined
  const length = linkify.testSchemaAt(scanned.slice(m.index), '//', 0)
  if (length <= m.lastIndex - m.index) return undefined
  const raw = scanned.slice(m.index, m.index + length)
  return { start: m.index, end: m.index + length, schema: '', raw, url: `http://${raw}` }
}
