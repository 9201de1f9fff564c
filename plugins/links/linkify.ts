/**
 * The `linkify-it` scanner the links plugin runs, with the grammar chat text needs: the schemes it knows,
 * the TLD pattern it is given, and three changes to its host and path rules, made through its documented
 * `onCompile()` hook so that both scans (of the text and of its variant) find the same links:
 *
 * - **A path ends at chat punctuation.** linkify-it ends a path only at whitespace and ASCII punctuation,
 *   so `http://a.com/x。b.com` was one path, the finder cut it at `。` afterwards, and `b.com` was never
 *   seen. Here CJK and full-width clause marks, ellipses, curly quotes and CJK quotation and title marks
 *   end a path where they stand, even inside brackets, and so does the object replacement character
 *   U+FFFC; full-width brackets pair like ASCII ones (`wiki/苹果（公司）`). What follows is scanned as
 *   text, so the next link is found.
 * - **An apostrophe inside a path stays in it** whenever the URL goes on after it (`x''y`, `a'.b`,
 *   `thermoworks':0`); linkify-it kept one only before a letter, cutting the link and leaving the rest of
 *   it visible. A closing quote (`'https://a.io/x'`) is still left out.
 * - **`_` is a host character** inside a label (`http://a_b.evil.io/x`; browsers open such hosts);
 *   linkify-it refused the whole host, which hid the link even with a scheme. A label still starts and
 *   ends with a letter or digit, and a host still ends before a `_` (`foo.com_bar` is no link).
 * @module
 */
import { createRequire } from 'node:module'
import LinkifyIt, { type Match } from 'linkify-it'
import { canonicalHost } from './options.js'

const require = createRequire(import.meta.url)
// `tlds` ships its list as JSON behind a CommonJS `main`; require() reads it without import attributes.
const IANA_TLDS = require('tlds') as string[]

/** Every IANA TLD in canonical (punycode) form, to validate the last label of a link without a scheme. */
export const TLD_SET: ReadonlySet<string> = new Set(IANA_TLDS.map((tld) => canonicalHost(tld)))

// What linkify-it is told the TLDs are. Handing it all ~1,450 names makes its fuzzy-link regex large
// enough that V8 runs it about ten times slower. So linkify-it gets a compact pattern — any ASCII label,
// plus the ~150 non-ASCII TLDs spelt out (it adds punycode "xn--…" itself) — and each bare hit's TLD is
// checked against TLD_SET afterwards. The pattern accepts a superset of the real TLDs and the same
// terminators, so it finds the same hosts.
const LINKIFY_TLDS = ['[a-z]{2,63}', ...IANA_TLDS.filter((tld) => /[^a-z]/.test(tld))]

/**
 * Punctuation of chat text that ends a path: CJK and full-width clause marks, ellipses, curly quotes, CJK
 * quotation and title marks, and the ideographic and full-width full stops. A URL copied from a browser
 * has none of them raw (they are percent-encoded); chat text has many.
 */
export const PATH_STOPS = '、。，！？；：…‥｡､．〜～“”‘’「」『』【】《》〈〉〔〕〖〗〘〙〚〛｢｣'

/** Full-width brackets, which a path keeps only in pairs, as linkify-it does with ASCII ones. */
export const FULL_WIDTH_BRACKETS = '（）［］｛｝'

/** The parts of linkify-it's compiled grammar this module rewrites (regular-expression sources). */
interface Grammar {
  src_ZCc: string
  src_pseudo_letter: string
  src_xn: string
  src_domain: string
  src_path: string
  [source: string]: unknown
}

// What ends a path wherever it stands, inside brackets and quotes too, as the inside of a character
// class: whitespace and control characters, linkify-it's separators, chat punctuation, and U+FFFC, which
// stands for an attachment inline (an image pasted into the text).
const PATH_END = `\\s\\0-\\x1f\\x7f-\\x9f><\\uff5c\\ufffc${PATH_STOPS}`

/**
 * linkify-it's path rule (lib/re.mjs) with chat punctuation as terminators, full-width bracket pairs and
 * the apostrophe rule above; every other alternative is linkify-it's own. Written with negated character
 * classes where linkify-it has `(?!…).`: V8 stops optimising a regular expression whose source passes
 * 20 KB, and the fuzzy-link one, which holds this rule, is close to that already.
 */
function chatPath({ src_ZCc: zcc, src_pseudo_letter: letter }: Grammar): string {
  const pair = (open: string, close: string): string => `${open}[^${PATH_END}${close}]*${close}`
  // URL characters that can follow an apostrophe inside a path; sentence punctuation only when the URL
  // goes on after it, so a quote closing a sentence ("…/x'.") stays outside.
  const afterApostrophe = `${letter}|[-'#$%&*+/=@_~]|[.,:;!?](?!${zcc}|$)`
  const alternatives = [
    `[^${PATH_END}()[\\]{}${FULL_WIDTH_BRACKETS}.,"'?!\\-;]`,
    pair('\\[', '\\]'),
    pair('\\(', '\\)'),
    pair('\\{', '\\}'),
    pair('（', '）'),
    pair('［', '］'),
    pair('｛', '｝'),
    `"[^${PATH_END}"]+"`,
    `'[^${PATH_END}']+'`,
    `'(?=${afterApostrophe})`,
    '\\.{2,}[a-zA-Z0-9%/&]',
    `\\.(?!${zcc}|[.]|$)`,
    '\\-+',
    `,(?!${zcc}|$)`,
    `;(?!${zcc}|$)`,
    `\\!+(?!${zcc}|[!]|$)`,
    `\\?(?!${zcc}|[?]|$)`,
  ]
  return `(?:[/?#](?:${alternatives.join('|')})+|\\/)?`
}

/** linkify-it's domain label with `_` allowed between its first and last character. */
function chatDomain({ src_pseudo_letter: letter, src_xn: xn }: Grammar): string {
  return `(?:${xn}|(?:${letter})|(?:${letter}(?:[-_]|${letter}){0,61}${letter}))`
}

/**
 * Replace the rule `name` by `rewritten` in every source composed from it. linkify-it builds its
 * templates by string concatenation before `onCompile()` runs, so the rule appears verbatim in them.
 * Throws when no template holds it: a linkify-it whose grammar changed shape must fail the build (and the
 * tests), not silently lose the rewrite.
 */
function rewrite(grammar: Grammar, name: 'src_path' | 'src_domain', rewritten: string): void {
  const original = grammar[name]
  let composed = 0
  for (const [key, value] of Object.entries(grammar)) {
    if (key === name || typeof value !== 'string' || !value.includes(original)) continue
    // A function, so that `$` in the rewritten source is not read as a replacement pattern.
    grammar[key] = value.replaceAll(original, () => rewritten)
    composed++
  }
  /* c8 ignore next 3 -- only a linkify-it release with a different grammar gets here */
  if (composed === 0) {
    throw new Error(`links: linkify-it's ${name} is no longer composed into its templates; update plugins/links/linkify.ts`)
  }
  grammar[name] = rewritten
}

class ChatLinkify extends LinkifyIt {
  /** Inside match(): where the last link with a scheme ends; -1 outside. */
  #schemedEnd = -1

  override onCompile(): void {
    const grammar = this.re as unknown as Grammar
    rewrite(grammar, 'src_path', chatPath(grammar))
    rewrite(grammar, 'src_domain', chatDomain(grammar))
  }

  override match(text: string): Match[] | null {
    this.#schemedEnd = 0
    try {
      return super.match(text)
    } finally {
      this.#schemedEnd = -1
    }
  }

  // match() validates every scheme it sees, each against the whole rest of the text, and then drops those
  // inside the link before: quadratic work on 12 KB of "http://a.io/x.". A scheme inside the last
  // link with a scheme is not validated. That link loses only to an earlier link without a scheme that
  // covers its start: either that one runs on over the same path to the same end, or its host is no real
  // domain ("x.http://a.io/http://b.io" is the host "x.http"), and the finder scans again without it.
  override testSchemaAt(text: string, schema: string, pos: number): number {
    if (pos < this.#schemedEnd) return 0
    const length = super.testSchemaAt(text, schema, pos)
    if (this.#schemedEnd >= 0 && length > 0) this.#schemedEnd = pos + length
    return length
  }
}

/**
 * The scanner: http(s), ftp, ws(s), mailto and protocol-relative links, bare domains with the compact
 * TLD pattern, bare IPv4 addresses, and bare emails — always, so that an email is never read as a link
 * to the domain-shaped part of its name; the finder drops emails when the plugin does not act on them.
 * @example createLinkify().match('see a_b.evil.io/x。b.com')?.map((m) => m.raw) // ['a_b.evil.io/x', 'b.com']
 */
export function createLinkify(): LinkifyIt {
  const linkify = new ChatLinkify({ 'ws:': 'http:', 'wss:': 'http:' }, { fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true })
  return linkify.tlds(LINKIFY_TLDS)
}
