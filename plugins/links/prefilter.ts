/**
 * Whether a text can hold a link at all, decided in one pass of one regular expression, so that an
 * ordinary sentence — one that merely ends in a full stop ("see you at 5pm.") or holds a decimal
 * ("3.5 dollars") — never reaches linkify-it and the variant scan.
 *
 * It is exact: every link the finder reports needs one of the shapes below in the text, so a text
 * without them holds none (`test/plugins/links/prefilter.test.ts` compares the finder with it and
 * without it on generated and real texts):
 *
 * - **a scheme or a protocol-relative link** needs two slashes, ASCII or full-width (`https://`,
 *   `ws://`, `//host`; the variant folds `／`). A misspelt scheme (`hxxp:/evil.io`) is found from its
 *   domain on, as a bare host.
 * - **a bare host or an email's domain** ends in `.` and a TLD, and every TLD starts with a letter (ASCII,
 *   full-width, or the first letter of an internationalised TLD). The variant reads `。`, `｡` and `．` as a
 *   dot only right after an ASCII or full-width letter or digit, and never puts a letter where there was
 *   none; so the text has `.`, or one of those after a letter or digit, before a letter. A Chinese or
 *   Japanese sentence ending in `。` is not that.
 * - **an IPv4 address** (`1.2.3.4:8080`, an email at `[1.2.3.4]`) has a dot, one to three digits and
 *   another dot before its last digits.
 * - **an email**, when emails are acted on, has `@` or `＠` (a `mailto:` address may have a one-label
 *   domain). When they are not, an email is never reported, and the one email-shaped text that is a
 *   link, `user@host/path`, has a host with a TLD.
 * @module
 */

const DOT = '.\\u3002\\uff0e\\uff61'
const DIGIT = '0-9\\uff10-\\uff19'
const ALNUM = `A-Za-z${DIGIT}\\uff21-\\uff3a\\uff41-\\uff5a`
// After the dot: a TLD's first letter, or the rest of an IPv4 address.
const AFTER_DOT = `(?:\\p{L}|[${DIGIT}]{1,3}[${DOT}][${DIGIT}])`
// Every alternative starts with the character it is about and looks behind only then, so that the
// expression tries one only at a slash, a dot or a full stop, not at every letter.
const SHAPES = `[/\\uff0f]{2}|\\.${AFTER_DOT}|[\\u3002\\uff0e\\uff61](?<=[${ALNUM}].)${AFTER_DOT}`

/** Says whether a text can hold a link the finder would report; `false` is certain. */
export type Prefilter = (text: string) => boolean

/**
 * Build the prefilter for a finder that reports emails (`emails: true`) or not.
 * @example createPrefilter({ emails: false })('See you at 5pm.') // false
 * @example createPrefilter({ emails: false })('see evil.io') // true
 */
export function createPrefilter(options: { emails: boolean }): Prefilter {
  const shapes = new RegExp(options.emails ? `${SHAPES}|[@\\uff20]` : SHAPES, 'u')
  return (text) => shapes.test(text)
}
