/**
 * Options of `strikes`: what counts as a strike, how many make a cool-down, how long it lasts, and the refusal.
 * @module
 */
import { z } from 'zod'
import { refusalOptions } from '../../core/refusal.js'

/**
 * The options of `strikes`.
 * @example strikesOptions.parse({ max: 3, windowMs: 600000, cooldownMs: 300000 })
 */
export const strikesOptions = z.strictObject({
  max: z.number().int().positive().default(3).describe('Strikes in a window that start a cool-down.'),
  windowMs: z.number().int().min(100).max(86_400_000 * 7).default(600_000).describe('The window strikes are counted in, in ms.'),
  cooldownMs: z.number().int().min(100).max(86_400_000 * 30).default(300_000).describe('How long every message of the sender is refused, in ms.'),
  count: z.array(z.enum(['refused', 'edited'])).min(1).default(['refused', 'edited']).describe('What another plugin did that is a strike: refused the message, edited (masked) it, or both.'),
  plugins: z.array(z.string().min(1)).min(1).optional().describe('Only these plugins\' verdicts are strikes (names in the pipeline). Default: every plugin but this one.'),
  ...refusalOptions('You are blocked from sending messages for a while after repeated violations'),
})

/** Parsed options of `strikes`. */
export type StrikesOptions = z.output<typeof strikesOptions>
