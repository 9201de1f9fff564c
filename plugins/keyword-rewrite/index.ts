/**
 * `keyword-rewrite`: ordered rules that replace keywords in text elements (the red-packet rewriter), in one
 * scan with the same patterns and normalisation as `profanity`, optionally tagging the message with a
 * `TIMCustomElem` and/or a `CloudCustomData` patch when a rule fires. Options and examples: README.md.
 *
 * @module
 */
import { allow, definePlugin, edit, replaceText, type Edit, type Hit } from '../../core/plugin.js'
import type { MsgElement } from '../../core/protocol/index.js'
import { compileSafeRegExp, type SafeRegExp } from '../../core/safe-regex.js'
import { slotKinds } from '../../core/slots.js'
import { compileTerms, type TermEntry } from '../../core/terms.js'
import {
  cloudCustomDataEdits,
  compileCloudCustomData,
  type CloudCustomDataOption,
  type CloudCustomDataPatch,
} from '../../core/cloud-custom-data.js'
import { buildCustomElem, customElemEdits, type CustomElemContent } from '../../core/custom-element.js'
import { keywordRewriteOptionsSchema } from './options.js'
import { PRESETS } from './presets.js'

export { keywordRewriteOptionsSchema, ruleSchema, presetSchema, normalizeSchema, patternSchema } from './options.js'
export type { KeywordRewriteOptions } from './options.js'
export { PRESETS, PRESET_NAMES, type Preset, type PresetName } from './presets.js'

/** A rule as `create()` compiles it: everything per-message code needs, built once. */
interface CompiledRule {
  readonly replace: string | undefined
  readonly elem: MsgElement | undefined
  readonly patch: CloudCustomDataPatch | undefined
}

/**
 * The `keyword-rewrite` plugin.
 *
 * @example
 * const pipeline = await createPipeline({
 *   plugins: [[keywordRewrite, {
 *     rules: [{ match: ['*wechat*', 'weixin'], replace: '[contact removed]' }],
 *     preset: { name: 'red-packet', cloudCustomData: { redPacket: true } },
 *   }]],
 * })
 * // "send a red packet on wechat!" → "send a 🧧 on [contact removed]!", CloudCustomData {"redPacket":true}
 */
export const keywordRewrite = definePlugin({
  name: 'keyword-rewrite',
  description: 'Rewrites keywords in text (preset "red-packet" → 🧧) and optionally tags the message when a rule fires',
  options: keywordRewriteOptionsSchema,
  create(options) {
    const rules: CompiledRule[] = []
    const entries: Array<TermEntry<number>> = []
    const regexes: Array<{ re: SafeRegExp; rule: number }> = []
    const add = (
      match: string | readonly string[] | undefined,
      rule: { replace?: string | undefined; elem?: CustomElemContent | undefined; cloudCustomData?: CloudCustomDataOption | undefined },
    ): void => {
      const index = rules.length
      rules.push({
        replace: rule.replace,
        elem: rule.elem === undefined ? undefined : buildCustomElem(rule.elem),
        patch: rule.cloudCustomData === undefined ? undefined : compileCloudCustomData(rule.cloudCustomData),
      })
      // Entries are listed in rule order, so the term engine's "first entry wins a tie" is "earlier rule wins".
      for (const pattern of typeof match === 'string' ? [match] : (match ?? [])) entries.push({ pattern, data: index })
    }
    for (const [i, rule] of options.rules.entries()) {
      if (rule.regex !== undefined) {
        const flags = options.caseSensitive ? 'gu' : 'giu'
        regexes.push({ re: compileSafeRegExp(rule.regex, flags, `keyword-rewrite options.rules[${i}].regex`), rule: rules.length })
      }
      add(rule.match, rule)
    }
    const allowList = [...options.allow]
    if (options.preset !== undefined) {
      const preset = typeof options.preset === 'string' ? { name: options.preset } : options.preset
      const { match, replace, allow } = PRESETS[preset.name]
      add(match, { ...preset, replace: preset.replace ?? replace })
      allowList.push(...allow)
    }
    const terms = compileTerms(entries, {
      allow: allowList,
      normalize: { ...options.normalize, caseFold: !options.caseSensitive },
    })
    const tags = rules.some((r) => r.elem !== undefined || r.patch !== undefined)
    const { ifPresent } = options
    const kinds = slotKinds(options.slots)

    return {
      check(message) {
        const edits: Edit[] = []
        const found: Hit[] = []
        let fired: boolean[] | undefined
        for (const part of message.slots) {
          if (!kinds.has(part.kind)) continue
          // Hits that touch ("红包红包") become one edit: the same result, and far fewer spans for the core to
          // snap to grapheme boundaries in a long message of back-to-back keywords.
          let open: { start: number; end: number; text: string } | undefined
          const hits = regexes.length === 0 ? terms.find(part.text) : withRegexHits(terms.find(part.text), part.text, regexes)
          for (const hit of hits) {
            const ruleIndex = hit.data as number
            const { replace } = rules[ruleIndex] as CompiledRule
            ;(fired ??= [])[ruleIndex] = true
            const label = 'pattern' in hit ? `rule ${ruleIndex}: ${String(hit.pattern)}` : `rule ${ruleIndex}: regex`
            found.push({ rule: label, slot: part.index, start: hit.start, end: hit.end })
            if (replace === undefined) continue
            if (open !== undefined && open.end === hit.start) {
              open.end = hit.end
              open.text += replace
            } else {
              if (open !== undefined) edits.push(replaceText(part, open.start, open.end, open.text))
              open = { start: hit.start, end: hit.end, text: replace }
            }
          }
          if (open !== undefined) edits.push(replaceText(part, open.start, open.end, open.text))
        }
        if (fired === undefined) return allow()
        if (tags) {
          // One custom element a message: the earliest fired rule with an elem supplies it. Every fired rule's
          // CloudCustomData patch applies, in rule order.
          const firedRules = rules.filter((_, i) => fired[i] === true)
          const elem = firedRules.find((r) => r.elem !== undefined)?.elem
          if (elem !== undefined) edits.push(...customElemEdits(message.body, elem, ifPresent))
          const patches = firedRules.flatMap((r) => (r.patch === undefined ? [] : [r.patch]))
          edits.push(...cloudCustomDataEdits(message.cloudCustomData, patches))
        }
        // `fired` is sparse: forEach visits only the rules that fired, in rule order.
        const which: number[] = []
        fired.forEach((_, i) => which.push(i))
        return edit(edits, `rule${which.length > 1 ? 's' : ''} ${which.join(', ')} matched`, found)
      },
    }
  },
})

interface RuleHit {
  readonly start: number
  readonly end: number
  readonly data: unknown
}

/**
 * Term hits and regex hits together, non-overlapping: leftmost first, then longest, then the earlier rule —
 * the same tie-breaking the term engine applies among word patterns. Runs only when a rule has a regex.
 */
function withRegexHits(termHits: readonly RuleHit[], text: string, regexes: ReadonlyArray<{ re: SafeRegExp; rule: number }>): RuleHit[] {
  const all: RuleHit[] = [...termHits]
  for (const { re, rule } of regexes) {
    for (const m of re.matchAll(text)) {
      // An empty match replaces nothing; matchAll steps past it on its own.
      if (m[0].length > 0) all.push({ start: m.index as number, end: (m.index as number) + m[0].length, data: rule })
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end || (a.data as number) - (b.data as number))
  const out: RuleHit[] = []
  let cursor = 0
  for (const hit of all) {
    if (hit.start < cursor) continue
    out.push(hit)
    cursor = hit.end
  }
  return out
}

export default keywordRewrite
