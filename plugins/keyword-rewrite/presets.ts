/**
 * Built-in rule sets for `keyword-rewrite`, kept apart from the engine as data.
 * @module
 */

/** A preset: the patterns it matches and the replacement it uses unless the configuration overrides it. */
export interface Preset {
  /** AutoMod patterns (`word`, `word*`, `*word`, `*word*`). */
  readonly match: readonly string[]
  /** Default replacement text. */
  readonly replace: string
  /** Phrases (same syntax) cancelling the hits they cover (any rule's, as the `allow` option does): words that only look like a match. */
  readonly allow: readonly string[]
}

/**
 * The presets by name.
 *
 * `red-packet`: the red packet (红包 / 紅包, hongbao, red packet, red envelope) that payment and gambling spam
 * uses to lure users off the platform, rewritten to 🧧 by default. The English forms take a trailing
 * wildcard so plurals ("red packets", "hongbaos") are replaced whole; the hyphenated and run-together
 * spellings are listed because the separator normaliser only joins *single* characters. The traditional
 * form is listed although the Chinese normaliser already folds it, so the preset keeps working when that
 * normaliser is switched off.
 *
 * Its allow phrases are the words in which 红包 is not a red packet: 红 (red) before a word starting with 包 —
 * 包裹 parcel, 包装 packaging, 包袱 bundle, 包子 bun, 包厢 box — and a colour ending in 红 before 包 (bag):
 * 粉红包 "a pink bag". Each is a word of jieba's dictionary (the colours: its attributive words X红); their
 * traditional forms are listed for when the Chinese normaliser is off. Left out on purpose: 红包机 (a
 * red-packet bot), 红包金 (红包金额, the amount) and 大红包 (a big red packet).
 */
export const PRESETS = {
  'red-packet': {
    match: [
      '红包',
      '紅包',
      'hongbao*',
      'hong bao*',
      'hong-bao*',
      'red packet*',
      'red-packet*',
      'redpacket*',
      'red envelope*',
      'red-envelope*',
      'redenvelope*',
    ],
    replace: '🧧',
    allow: [
      '红包裹', '红包装', '红包袱', '红包子', '红包厢',
      '粉红包', '深红包', '浅红包', '暗红包', '淡红包', '鲜红包', '枣红包', '嫣红包', '猩红包', '绯红包',
      '紅包裹', '紅包裝', '紅包袱', '紅包子', '紅包廂',
      '粉紅包', '深紅包', '淺紅包', '暗紅包', '淡紅包', '鮮紅包', '棗紅包', '嫣紅包', '猩紅包', '緋紅包',
    ],
  },
} as const satisfies Record<string, Preset>

/** A preset name. */
export type PresetName = keyof typeof PRESETS

/** The preset names, for the options schema and error messages. */
export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]]
