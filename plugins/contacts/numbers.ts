/**
 * What a string of digits is: a phone number (mainland mobile, landline, 400/800 service number, or an
 * international number after `+` / `00`), a mainland resident id number (GB 11643 checksum, a real date)
 * or a bank card number (Luhn, a card-scheme prefix). Phone numbers other than mainland mobiles are checked
 * against libphonenumber-js's full ("max") metadata: its per-country number patterns, not just lengths, are
 * what keep dates and order numbers from being taken for landlines.
 * @module
 */
import { parsePhoneNumber } from 'libphonenumber-js/max'

/** What a number was found to be, and its key for the allow list. */
export interface NumberKind {
  readonly kind: 'phone' | 'idCard' | 'bankCard'
  /** Phones in E.164 (`+8613812345678`), the others as their digits. */
  readonly key: string
}

/** Which number kinds to look for. */
export interface NumberKinds {
  readonly phone: boolean
  readonly idCard: boolean
  readonly bankCard: boolean
}

const MOBILE = /^1[3-9]\d{9}$/
/**
 * A landline's shape — trunk 0, area code (10, 2x or three digits), a subscriber number of 7–8 digits not
 * starting with 0 or 1 — or a 400/800 service number. libphonenumber-js then says whether the area exists.
 */
const NATIONAL = /^(?:0(?:(?:10|2\d)[1-9]\d{7}|[3-9]\d\d[1-9]\d{6,7})|[48]00\d{7})$/
const NATIONAL_TYPES = new Set(['FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'SHARED_COST', 'UAN'])

/**
 * How many numbers one text may send to libphonenumber-js: a parse costs tens of microseconds (it builds
 * its regular expressions from the metadata each call). Past the budget a number of the right shape counts
 * as one unchecked, so packing a text with decoys makes it flagged, not let through.
 */
export const PARSE_BUDGET = 4
/** The numbers libphonenumber-js judged, and its answer: the same service number in every message is parsed once. */
const judged = new Map<string, string | null>()
/** The cache is cleared when it holds this many: bounded memory whatever the traffic. */
const MAX_JUDGED = 4096

/** The per-text count of parses left. */
export interface Budget {
  left: number
}

/** libphonenumber-js's E.164 for `number` (national with `CN`, or international), if it is valid and `accept` its type. */
function judge(number: string, budget: Budget, accept?: ReadonlySet<string>): string | undefined {
  const known = judged.get(number)
  if (known !== undefined) return known ?? undefined
  if (budget.left <= 0) return number.startsWith('+') ? number : `+86${number.replace(/^0/, '')}`
  budget.left--
  // Every string reaching here is 8–15 digits, which always parses (parsePhoneNumber throws only on what is
  // no number at all, or, with a +, on an unknown country code: caught); the question is whether the
  // metadata knows it.
  let e164: string | null = null
  try {
    const parsed = parsePhoneNumber(number, 'CN')
    if (parsed.isValid() && (accept === undefined || accept.has(parsed.getType() as string))) e164 = parsed.number
  } catch {
    e164 = null
  }
  if (judged.size >= MAX_JUDGED) judged.clear()
  judged.set(number, e164)
  return e164 ?? undefined
}

/** A mainland number without country code: E.164, or undefined. */
function mainland(digits: string, budget: Budget): string | undefined {
  if (MOBILE.test(digits)) return `+86${digits}`
  return NATIONAL.test(digits) ? judge(digits, budget, NATIONAL_TYPES) : undefined
}

/** An international number (digits after `+`): E.164, or undefined. */
function international(digits: string, budget: Budget): string | undefined {
  // No country calling code starts with 0.
  if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) return undefined
  // A mainland number with its country code is held to the same rules as without it.
  if (digits.startsWith('86')) {
    const rest = digits.slice(2)
    return mainland(rest, budget) ?? (rest.startsWith('0') ? undefined : mainland(`0${rest}`, budget))
  }
  return judge(`+${digits}`, budget)
}

/**
 * A phone number's E.164 form, or undefined. `plus`: the digits were written after a `+`.
 * @example phone('8613812345678', true, { left: 4 }) // '+8613812345678'
 */
export function phone(digits: string, plus: boolean, budget: Budget): string | undefined {
  if (plus) return international(digits, budget)
  if (digits.startsWith('00')) return international(digits.slice(2), budget)
  // A mobile number with its country code but no + ("8613812345678").
  if (digits.length === 13 && digits.startsWith('86') && MOBILE.test(digits.slice(2))) return `+${digits}`
  return mainland(digits, budget)
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10x98765432'
/** Region (first digit 1–8), birth date 19xx/20xx, sequence, check character. */
const ID_SHAPE = /^[1-8]\d{5}(19|20)\d{2}(\d{2})(\d{2})\d{3}[\dx]$/

/**
 * True for a mainland resident id number: 18 characters, a real birth date, the GB 11643 check character.
 * @example isIdCard('11010519491231002x') // true
 */
export function isIdCard(digits: string): boolean {
  const m = ID_SHAPE.exec(digits)
  if (m === null) return false
  const year = Number(digits.slice(6, 10))
  const month = Number(m[2])
  const day = Number(m[3])
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getTime() > Date.now()) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (digits.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11] === digits[17]
}

/**
 * UnionPay (62, and 60/65 shared with Discover), Visa (4), Mastercard (51–55, 2221–2720), JCB (35). Each
 * prefix let in is a tenth of the random long numbers of its shape (order numbers, references) taken for
 * cards, so the list is the schemes cards in China are issued under, no more.
 */
const CARD_SHAPE = /^(?:62|60|65|4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|35)\d{12,17}$/

/**
 * True for a bank card number: 16–19 digits, a card-scheme prefix, a valid Luhn check digit.
 * @example isBankCard('6222021234567890128') // depends on the check digit
 */
export function isBankCard(digits: string): boolean {
  if (digits.length < 16 || digits.length > 19 || !CARD_SHAPE.test(digits)) return false
  let sum = 0
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48
    if (double && (d *= 2) > 9) d -= 9
    sum += d
  }
  return sum % 10 === 0
}

/**
 * False when `digits.slice(start, end)` can be no number `classify` reports, judged from its length and
 * first digits without making the string: a long chain of single digits ("1 1 1 1 …") has a dozen runs
 * of groups a start, and this keeps each of them to a few comparisons.
 * @example mayBeNumber('2024050113', 0, 8, false) // false
 */
export function mayBeNumber(digits: string, start: number, end: number, plus: boolean): boolean {
  const length = end - start
  const first = digits.charCodeAt(start) - 48
  const second = digits.charCodeAt(start + 1) - 48
  if (plus) return length >= 8 && length <= 15 && first !== 0
  if (length >= 16 && length <= 19 && first >= 1 && first <= 8) return true
  switch (first) {
    case 0:
      // A landline (0 and an area code), or 00 and a country code.
      return second === 0 ? length >= 10 && length <= 17 && digits.charCodeAt(start + 2) !== 48 : length >= 10 && length <= 12
    case 1:
      return length === 11
    case 8:
      return length === 10 || length === 13
    case 4:
      return length === 10
    default:
      return false
  }
}

/**
 * What `digits` is, among `kinds`, or undefined.
 * @example classify('13812345678', false, { phone: true, idCard: true, bankCard: true }, { left: 4 }) // { kind: 'phone', key: '+8613812345678' }
 */
export function classify(digits: string, plus: boolean, kinds: NumberKinds, budget: Budget): NumberKind | undefined {
  if (digits.length === 18 && kinds.idCard && isIdCard(digits)) return { kind: 'idCard', key: digits }
  if (digits.endsWith('x')) return undefined
  if (kinds.bankCard && isBankCard(digits)) return { kind: 'bankCard', key: digits }
  if (!kinds.phone) return undefined
  const e164 = phone(digits, plus, budget)
  return e164 === undefined ? undefined : { kind: 'phone', key: e164 }
}
