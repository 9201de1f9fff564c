/**
 * Options of `keyword-rewrite`: ordered rules in Discord AutoMod's pattern syntax, an optional preset, and
 * the matching switches shared with `profanity`.
 * @module
 */
import { z } from 'zod'
import { slotsOption } from '../../core/slots.js'
import { parsePattern } from '../../core/terms.js'
import { cloudCustomDataSchema } from '../../core/cloud-custom-data.js'
import { ifPresentSchema, nonEmptyCustomElemSchema } from '../../core/custom-element.js'
import { PRESET_NAMES } from './presets.js'

/** One AutoMod pattern: `word`, `word*`, `*word` or `*word*`; it needs text besides the asterisks. */
export const patternSchema = z.string().refine((p) => parsePattern(p).text !== '', {
  message: 'a pattern needs text besides its asterisks, e.g. "red packet" or "*hongbao*"',
})

/** What a rule does besides replacing text, when it fires: the same `elem` and `cloudCustomData` as custom-elem. */
const sideEffects = {
  /** A `TIMCustomElem` to add when the rule fires (subject to `ifPresent`). */
  elem: nonEmptyCustomElemSchema.optional(),
  /** A string replaces `CloudCustomData`; an object is merged into it when it holds a JSON object. */
  cloudCustomData: cloudCustomDataSchema.optional(),
}

/** One rule: what it matches and what it does. */
export const ruleSchema = z
  .strictObject({
    /** One pattern or a non-empty list of them. */
    match: z.union([patternSchema, z.array(patternSchema).min(1)]).optional(),
    /**
     * Instead of `match`: a JavaScript regular expression (source, no slashes) run on the text as sent, not
     * normalised. Checked at load: an invalid or catastrophically backtracking pattern fails the build.
     */
    regex: z.string().min(1).max(2000).optional(),
    /** Replacement for every hit; omit it to keep the text and only tag the message. */
    replace: z.string().optional(),
    ...sideEffects,
  })
  .refine((r) => (r.match === undefined) !== (r.regex === undefined), {
    message: 'a rule needs exactly one of match (word patterns) or regex',
    path: ['match'],
  })
  .refine((r) => r.replace !== undefined || r.elem !== undefined || r.cloudCustomData !== undefined, {
    message: 'this rule does nothing; give it replace, elem or cloudCustomData',
    path: ['replace'],
  })

/** A preset by name, or with its replacement and side effects set. */
export const presetSchema = z.union([
  z.enum(PRESET_NAMES),
  z.strictObject({
    name: z.enum(PRESET_NAMES),
    /** Overrides the preset's replacement (🧧 for `red-packet`). */
    replace: z.string().optional(),
    ...sideEffects,
  }),
])

/**
 * Normaliser switches (all on by default), as for `profanity`. Case folding is not here: it is
 * `caseSensitive`, so there is one way to say it.
 */
export const normalizeSchema = z.strictObject({
  invisible: z.boolean().optional(),
  compat: z.boolean().optional(),
  diacritics: z.boolean().optional(),
  confusables: z.boolean().optional(),
  chinese: z.boolean().optional(),
  separators: z.boolean().optional(),
  leet: z.boolean().optional(),
  repeats: z.boolean().optional(),
})

/** Options of `keyword-rewrite`. Unknown keys are refused. */
export const keywordRewriteOptionsSchema = z
  .strictObject({
    /** Ordered rules; an earlier rule wins a tie. */
    rules: z.array(ruleSchema).default([]),
    /** A built-in rule set, matched after `rules` (so your rules win a tie with it). */
    preset: presetSchema.optional(),
    /** Match letter case exactly. Default `false`. */
    caseSensitive: z.boolean().default(false),
    /** Phrases (same syntax) that cancel any hit they cover. */
    allow: z.array(patternSchema).default([]),
    /** Normaliser switches. */
    normalize: normalizeSchema.default({}),
    /** When a rule with `elem` fires and the message already has a `TIMCustomElem`: `skip` or `replace`. */
    ifPresent: ifPresentSchema,
    /** Which texts to rewrite: a list of slot kinds (default `["text"]`: text elements), or `"all"`. */
    slots: slotsOption(['text']),
  })
  .refine((o) => o.rules.length > 0 || o.preset !== undefined, {
    message: 'keyword-rewrite has no rules; add rules, or preset: "red-packet"',
  })

/** Parsed options of `keyword-rewrite`. */
export type KeywordRewriteOptions = z.output<typeof keywordRewriteOptionsSchema>
