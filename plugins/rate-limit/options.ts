/**
 * Options of `rate-limit`: the limits (whose messages, how many, in what window) and the refusal.
 * @module
 */
import { z } from 'zod'
import { refusalOptions } from '../../core/refusal.js'

const limitSchema = z.strictObject({
  per: z.enum(['sender', 'sender-group', 'group']).describe('Whose messages count together: one sender (everywhere), one sender in one group, or one group (everyone in it).'),
  max: z.number().int().positive().describe('The most messages allowed in a window; the next is refused.'),
  windowMs: z.number().int().min(100).max(86_400_000).describe('The window in ms (fixed windows: the count starts again at each window).'),
})

/**
 * The options of `rate-limit`.
 * @example rateLimitOptions.parse({ limits: [{ per: 'sender', max: 5, windowMs: 1000 }] })
 */
export const rateLimitOptions = z.strictObject({
  limits: z.array(limitSchema).min(1).default([{ per: 'sender', max: 5, windowMs: 1000 }]).describe('The limits; a message over any of them is refused. Default: 5 messages a second per sender.'),
  ...refusalOptions('You are sending messages too fast'),
})

/** Parsed options of `rate-limit`. */
export type RateLimitOptions = z.output<typeof rateLimitOptions>
