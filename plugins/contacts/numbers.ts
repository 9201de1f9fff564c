/**
 * What a string of digits is: a phone number (mainland mobile, landline, 400/800 service number, or an
 * international number after `+` / `00`), a mainland resident id number (GB 11643 checksum, a real date)
 * or a bank card number (Luhn, a card-scheme prefix). Phone numbers other than mainland mobiles are checked
 * against libphonenumber-js's full ("max") metadata: its per-country number patterns, not just lengths, are
 * what keep dates and order numbers from being taken for landlines.
 * @module
 */
import { parsePhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max'

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
/** A landline with its trunk 0 and area code, or a 400/800 service number. */
const NATIONAL = /^(?:0[1-9]\d{8,10}|[48]00\d{7})$/
const NATIONAL_TYPES = new Set(['FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'SHARED_COST', 'UAN'])

/** A mainland number without country code: E.164, or undefined. */
function mainland(digits: string): string | undefined {
  if (MOBILE.test(digits)) return `+86${digits}`
  if (!NATIONAL.test(digits)) return undefined
  // Ten to twelve digits always parse (parsePhoneNumber throws only on what is no number at all); the
  // question is whether the metadata knows them.
  const parsed = parsePhoneNumber(digits, 'CN')
  return parsed.isValid() && NATIONAL_TYPES.has(parsed.getType() as string) ? parsed.number : undefined
}

/** An international number (digits after `+`): E.164, or undefined. */
function international(digits: string): string | undefined {
  if (digits.length < 8 || digits.length > 15) return undefined
  // A mainland number with its country code is held to the same rules as without it.
  if (digits.startsWith('86')) {
    const rest = digits.slice(2)
    return mainland(rest) ?? (rest.startsWith('0') ? undefined : mainland(`0${rest}`))
  }
  const parsed = parsePhoneNumberFromString(`+${digits}`)
  return parsed !== undefined && parsed.isValid() ? parsed.number : undefined
}

/**
 * A phone number's E.164 form, or undefined. `plus`: the digits were written after a `+`.
 * @example phone('8613812345678', true) // '+8613812345678'
 */
export function phone(digits: string, plus: boolean): string | undefined {
  if (plus) return international(digits)
  if (digits.startsWith('00')) return international(digits.slice(2))
  // A mobile number with its country code but no + ("8613812345678").
  if (digits.length === 13 && digits.startsWith('86') && MOBILE.test(digits.slice(2))) return `+${digits}`
  return mainland(digits)
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
 * What `digits` is, among `kinds`, or undefined.
 * @example classify('13812345678', false, { phone: true, idCard: true, bankCard: true }) // { kind: 'phone', key: '+8613812345678' }
 */
export function classify(digits: string, plus: boolean, kinds: NumberKinds): NumberKind | undefined {
  if (digits.length === 18 && kinds.idCard && isIdCard(digits)) return { kind: 'idCard', key: digits }
  if (digits.endsWith('x')) return undefined
  if (kinds.bankCard && isBankCard(digits)) return { kind: 'bankCard', key: digits }
  if (!kinds.phone) return undefined
  const e164 = phone(digits, plus)
  return e164 === undefined ? undefined : { kind: 'phone', key: e164 }
}
