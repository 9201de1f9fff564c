/**
 * Options of `duplicates`: how many repeats of one text a sender may send, into how many places, and the refusal.
 * @module
 */
import { z } from 'zod'
import { refusalOptions } from '../../core/refusal.js'

/**
 * The options of `duplicates`.
 * @example duplicatesOptions.parse({ maxRepeats: 2, maxTargets: 3, windowMs: 60000 })
 */
export const duplicatesOptions = z.strictObject({
  maxRepeats: z.number().int().positive().default(3).describe('How many times one sender may send the same text in a window; the next is refused.'),
  maxTargets: z.number().int().min(0).default(5).describe('Into how many different groups or peers one sender may send the same text in a window; the next is refused (0: no such limit).'),
  windowMs: z.number().int().min(100).max(86_400_000).default(60_000).describe('The window in ms.'),
  minLength: z.number().int().min(1).default(6).describe('Texts shorter than this (after normalising) are not counted: "ok" and "hi" repeat for good reasons.'),
  ...refusalOptions('Please do not send the same message again and again'),
})

/** Parsed options of `duplicates`. */
export type DuplicatesOptions = z.output<typeof duplicatesOptions>
