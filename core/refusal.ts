/**
 * The options of a plugin that refuses messages (reject or drop, and `rejectOptionsShape`: the codes per
 * callback family, the sentence the sender sees) and the verdict they make.
 * @module
 */
import { z } from 'zod'
import { drop, reject, type Verdict } from './plugin.js'
import { rejectOptionsShape } from './protocol/replies.js'

/**
 * The refusal options, with `info` defaulting to `defaultInfo`.
 * @example const options = z.strictObject({ max: z.number(), ...refusalOptions('You are sending messages too fast') })
 */
export function refusalOptions(defaultInfo: string) {
  return {
    action: z.enum(['reject', 'drop']).default('reject').describe('reject: the sender sees an error; drop: the message vanishes silently (friend requests and other callbacks that cannot be dropped are refused).'),
    ...rejectOptionsShape,
    info: rejectOptionsShape.info.unwrap().default(defaultInfo).describe('ErrorInfo: the sentence the sender sees with a custom code.'),
  }
}

/** Parsed refusal options. */
export interface Refusal {
  action: 'reject' | 'drop'
  code?: number | undefined
  groupCode?: number | undefined
  friendCode?: number | undefined
  info: string
}

/**
 * The verdict `options` ask for, with `reason` for the trace.
 * @example return refuse(options, 'sender limit of 5 per 1000 ms')
 */
export function refuse(options: Refusal, reason: string): Verdict {
  if (options.action === 'drop') return drop(reason)
  return reject({ code: options.code, groupCode: options.groupCode, friendCode: options.friendCode, info: options.info, reason })
}
