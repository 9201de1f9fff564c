/**
 * `custom-elem`: tag every message with a `TIMCustomElem` (per sender when asked) and/or set or patch its
 * `CloudCustomData`. Options and examples: README.md beside this file.
 *
 * @module
 */
import { z } from 'zod'
import { definePlugin, edit, type Edit } from '../../core/plugin.js'
import type { MsgElement } from '../../core/protocol/index.js'
import { cloudCustomDataEdits, cloudCustomDataSchema, compileCloudCustomData } from '../../core/cloud-custom-data.js'
import { buildCustomElem, customElemContentSchema, customElemEdits, ifPresentSchema, nonEmptyCustomElemSchema } from '../../core/custom-element.js'

/**
 * Options of `custom-elem`. Unknown keys are refused, so a typo fails at start-up instead of silently
 * doing nothing.
 */
export const customElemOptionsSchema = z
  .strictObject({
    /** The element every sender's messages get. */
    elem: nonEmptyCustomElemSchema.optional(),
    /**
     * Per-sender overrides, keyed by `From_Account`: an object is merged field by field over `elem` (or is
     * the whole element when there is no `elem`); `false` means this sender's messages get no element.
     */
    byAccount: z.record(z.string().min(1), z.union([z.literal(false), customElemContentSchema])).optional(),
    /** When the message already has a `TIMCustomElem`: `skip` (default) or `replace`. */
    ifPresent: ifPresentSchema,
    /** A string replaces `CloudCustomData`; an object is merged into it when it holds a JSON object. */
    cloudCustomData: cloudCustomDataSchema.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.elem === undefined && o.byAccount === undefined && o.cloudCustomData === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'custom-elem has nothing to do; set elem, byAccount or cloudCustomData',
      })
    }
    if (o.elem === undefined) {
      for (const [account, value] of Object.entries(o.byAccount ?? {})) {
        if (value !== false && Object.keys(value).length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['byAccount', account],
            message: `the element for "${account}" is empty and there is no elem to fill it from; give it Data, Desc, Ext or Sound, or use false for no element`,
          })
        }
      }
    }
  })

/** Parsed options of `custom-elem`. */
export type CustomElemOptions = z.output<typeof customElemOptionsSchema>

/**
 * The `custom-elem` plugin.
 *
 * @example
 * // The seed example's reply: text kept, the member level appended, CloudCustomData replaced.
 * const pipeline = await createPipeline({
 *   plugins: [[customElem, {
 *     elem: { Desc: 'CustomElement.MemberLevel', Data: 'LV1' },
 *     byAccount: { vip_anna: { Data: 'LV9' }, system: false },
 *     cloudCustomData: 'your new cloud custom data',
 *   }]],
 * })
 */
export const customElem = definePlugin({
  name: 'custom-elem',
  description: 'Appends a TIMCustomElem (per sender with byAccount) and sets or merges CloudCustomData',
  options: customElemOptionsSchema,
  create(options) {
    const base = options.elem === undefined ? null : buildCustomElem(options.elem)
    // Every sender's element is built once here; `null` marks a sender who gets none.
    const perAccount = new Map<string, MsgElement | null>()
    for (const [account, value] of Object.entries(options.byAccount ?? {})) {
      perAccount.set(account, value === false ? null : buildCustomElem({ ...options.elem, ...value }))
    }
    const patches = options.cloudCustomData === undefined ? [] : [compileCloudCustomData(options.cloudCustomData)]
    const { ifPresent } = options

    return {
      check(message, ctx) {
        const own = ctx.from === undefined ? undefined : perAccount.get(ctx.from)
        const element = own === undefined ? base : own
        const edits: Edit[] = element === null ? [] : customElemEdits(message.body, element, ifPresent)
        edits.push(...cloudCustomDataEdits(message.cloudCustomData, patches))
        return edit(edits, edits.length > 0 ? 'tagged the message' : undefined)
      },
    }
  },
})

export default customElem
