/**
 * The contacts plugin's options (its public interface), validated before `create()` runs.
 * @module
 */
import { z } from 'zod'
import { rejectOptionsShape } from '../../core/protocol/index.js'
import { slotsOption } from '../../core/slots.js'

/** The kinds of contact detail the plugin finds. */
export const CONTACT_KINDS = ['phone', 'wechat', 'qq', 'email', 'idCard', 'bankCard'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

/** What to do with a message holding a contact detail. */
export const CONTACT_ACTIONS = ['mask', 'reject', 'drop'] as const
export type ContactAction = (typeof CONTACT_ACTIONS)[number]

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Options of the `contacts` plugin. Every key is optional; see the plugin README for each default.
 * @example contactsOptions.parse({ kinds: ['phone', 'wechat'], action: 'reject', code: 120002, allow: ['400-812-3123'] })
 */
export const contactsOptions = z.strictObject({
  /** Which kinds to find (default: all six). */
  kinds: z.array(z.enum(CONTACT_KINDS)).min(1).default([...CONTACT_KINDS]),
  /** What to do with a hit: mask it (default), reject the message, or drop it silently. */
  action: z.enum(CONTACT_ACTIONS).default('mask'),
  /**
   * With `mask`: how many trailing digits of a number stay readable (default 4). A number with fewer than
   * twice as many digits is masked whole; WeChat ids and e-mail addresses are always masked whole.
   */
  keepLast: z.number().int().min(0).max(8).default(4),
  /** The mask, repeated once per user-perceived character masked. One user-perceived character. */
  maskChar: z
    .string()
    .refine((s) => [...graphemes.segment(s)].length === 1, { message: 'maskChar must be exactly one character, e.g. "*"' })
    .default('*'),
  ...rejectOptionsShape,
  /**
   * The app's own contact details, never flagged: service numbers, ids, addresses, written any way a user
   * could write them ("400-812-3123", "+86 400 812 3123" and "４００８１２３１２３" are one entry).
   */
  allow: z.array(z.string().min(1).max(200)).default([]),
  /** Which texts to check: `"all"` (default: every text slot) or a list of slot kinds. */
  slots: slotsOption('all'),
})

/** The options as the user writes them. */
export type ContactsOptionsInput = z.input<typeof contactsOptions>
/** The options after defaults. */
export type ContactsOptions = z.output<typeof contactsOptions>
