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
  },
} as const satisfies Record<string, Preset>

/** A preset name. */
export type PresetName = keyof typeof PRESETS

/** The preset names, for the options schema and error messages. */
export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]]
