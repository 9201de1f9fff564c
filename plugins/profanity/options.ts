/**
 * The profanity plugin's options (its public interface), validated before `create()` runs.
 * @module
 */
import { z } from 'zod'
import { rejectOptionsShape } from '../../core/protocol/index.js'
import { slotsOption } from '../../core/slots.js'
import { NORMALIZER_NAMES } from '../../core/text/index.js'
import { PINYIN_KINDS, type PinyinKind } from './pinyin-variants.js'

/** Names of the bundled lists, in `lists/<name>.txt`. */
export const BUNDLED_LISTS = ['en', 'zh', 'ja'] as const

/** What to do with a message holding a hit. */
export const ACTIONS = ['mask', 'reject', 'drop'] as const
export type Action = (typeof ACTIONS)[number]

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** A pattern, optionally with a category (for per-category actions). */
const wordSchema = z.union([
  z.string().min(1),
  z.strictObject({ pattern: z.string().min(1), category: z.string().min(1).optional() }),
])

const normalizeSchema = z.strictObject(
  Object.fromEntries(NORMALIZER_NAMES.map((name) => [name, z.boolean().optional()])) as Record<
    (typeof NORMALIZER_NAMES)[number],
    z.ZodOptional<z.ZodBoolean>
  >,
)

/** `pinyin: true` turns every kind on; the object form picks kinds (each defaults to on). */
const pinyinSchema = z.union([
  z.boolean(),
  z.strictObject(
    Object.fromEntries(PINYIN_KINDS.map((kind) => [kind, z.boolean().default(true)])) as Record<PinyinKind, z.ZodDefault<z.ZodBoolean>>,
  ),
])

/**
 * The pinyin kinds an option value turns on.
 * @example pinyinKinds({ homophones: false }) // Set { 'spelling', 'initials' }
 */
export function pinyinKinds(option: z.input<typeof pinyinSchema>): Set<PinyinKind> {
  if (typeof option === 'boolean') return new Set(option ? PINYIN_KINDS : [])
  return new Set(PINYIN_KINDS.filter((kind) => option[kind] !== false))
}

/**
 * Options of the `profanity` plugin. Every key is optional; see the plugin README for each default.
 * @example profanityOptions.parse({ words: ['*fuck*'], categories: { severe: 'reject' }, code: 120001 })
 */
export const profanityOptions = z.strictObject({
  /** Inline patterns (`word`, `word*`, `*word`, `*word*`), or `{ pattern, category }`. */
  words: z.array(wordSchema).default([]),
  /** Word files, relative to the config file's folder: one term a line, `#` comments, optional TAB + category. */
  files: z.array(z.string().min(1)).default([]),
  /** Bundled lists by name (default: all of them). */
  lists: z.array(z.enum(BUNDLED_LISTS)).default([...BUNDLED_LISTS]),
  /** Phrases (same pattern syntax) that cancel any hit they cover. */
  allow: z.array(z.string().min(1)).default([]),
  /** What to do with a hit: mask it (default), reject the message, or drop it silently. */
  action: z.enum(ACTIONS).default('mask'),
  /** The mask, repeated once per user-perceived character of the hit. One user-perceived character. */
  maskChar: z
    .string()
    .refine((s) => [...graphemes.segment(s)].length === 1, { message: 'maskChar must be exactly one character, e.g. "*"' })
    .default('*'),
  ...rejectOptionsShape,
  /** Per-category action overrides, e.g. `{ "severe": "reject" }`. */
  categories: z.record(z.string().min(1), z.enum(ACTIONS)).default({}),
  /** Normaliser switches (all on by default). */
  normalize: normalizeSchema.default({}),
  /**
   * English word forms of whole-word Latin terms: plurals, -s, -ed, -ing for every list and your own words;
   * -er, -ers, -y and -in too for the bundled lists, where the curation dropped those that are everyday words.
   */
  forms: z.boolean().default(true),
  /**
   * Chinese terms also written in pinyin ("caonima", "cao ni ma"), in initials ("cnm") and with homophones
   * ("草泥马"): `true`, or `{ spelling, initials, homophones }` to pick. Off by default (see the README's figures).
   */
  pinyin: pinyinSchema.default(false),
  /**
   * A listed word written with one filler repeated between its letters ("fxuxcxk", "sxhxixt"): the whole
   * word hits when its letters without the filler are a listed word of four letters or more, or one of its
   * forms. On by default (see the README's figures).
   */
  noiseLetters: z.boolean().default(true),
  /** Which texts to check: `"all"` (default: every text slot) or a list of slot kinds. */
  slots: slotsOption('all'),
})

/** The options as the user writes them. */
export type ProfanityOptionsInput = z.input<typeof profanityOptions>
/** The options after defaults. */
export type ProfanityOptions = z.output<typeof profanityOptions>
