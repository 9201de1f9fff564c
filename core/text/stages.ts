/**
 * The normalisation stages, in the order they run: the one list to edit to add one (see README.md here).
 * Everything else — the switches of `NormalizeOptions`, `NORMALIZER_NAMES`, which stages the per-character
 * table fuses, the options schema of the plugins that normalise — is read from this list.
 * @module
 */
import type { Normalizer, StageContext } from './stage.js'
import { invisible } from './normalizers/invisible.js'
import { compat } from './normalizers/compat.js'
import { caseFold } from './normalizers/case-fold.js'
import { diacritics } from './normalizers/diacritics.js'
import { confusables } from './normalizers/confusables.js'
import { chinese } from './normalizers/chinese.js'
import { separators } from './normalizers/separators.js'
import { leet } from './normalizers/leet.js'
import { repeats } from './normalizers/repeats.js'
import { fusedTail } from './tail.js'

/**
 * How a stage reads its text, which decides how it may be run:
 * - `code-point`: rewrites each code point alone, whatever its neighbours; these stages come first and run
 *   fused, as one table lookup a character (`fold.ts`);
 * - `contextual`: reads neighbours; runs on its own, in list order;
 * - `collapse`: the last stage; its output carries run lengths (`runs`) for the term matcher.
 */
export type StageKind = 'code-point' | 'contextual' | 'collapse'

/** One stage: its switch name, kind, what it does (the switch's documentation), and its factory. */
export interface StageEntry {
  readonly name: string
  readonly kind: StageKind
  readonly summary: string
  /** Called once per compiled normaliser; keep per-call scratch in the closure it returns. */
  readonly create: (context: StageContext) => Normalizer
}

/** Every stage, in run order. Each name is a switch of `NormalizeOptions`, on unless set to `false`. */
export const STAGES = [
  { name: 'invisible', kind: 'code-point', summary: 'Remove zero-width and other invisible / format characters.', create: invisible },
  { name: 'compat', kind: 'code-point', summary: 'NFKC compatibility folding: full-width, half-width katakana, circled and mathematical letters.', create: compat },
  { name: 'caseFold', kind: 'code-point', summary: 'Lower-case everything.', create: caseFold },
  { name: 'diacritics', kind: 'code-point', summary: 'Strip accents and combining marks.', create: diacritics },
  { name: 'confusables', kind: 'code-point', summary: 'Fold Cyrillic / Greek look-alike letters to Latin.', create: confusables },
  { name: 'chinese', kind: 'contextual', summary: 'Convert traditional Chinese to simplified (OpenCC).', create: chinese },
  { name: 'separators', kind: 'contextual', summary: 'Remove separators between single characters ("f.u.c.k", "傻 逼"); fold whitespace runs.', create: separators },
  { name: 'leet', kind: 'contextual', summary: 'Fold leetspeak digits and symbols inside words.', create: leet },
  { name: 'repeats', kind: 'collapse', summary: 'Collapse repeated letters ("fuuuck"), keeping run lengths for the term matcher.', create: repeats },
] as const satisfies readonly StageEntry[]

/** The name of a stage: a switch of `NormalizeOptions`. */
export type StageName = (typeof STAGES)[number]['name']

/**
 * Hand-fused passes: when every stage of `stages` (consecutive in {@link STAGES}) is on, `create`'s one
 * pass stands for them and must give the same text, spans and run lengths as they do run in order —
 * `test/core/text/tail.test.ts` checks exactly that, and is what a change to any of them must pass.
 */
export const FUSED: ReadonlyArray<{ readonly stages: readonly StageName[]; readonly create: (context: StageContext) => Normalizer }> = [
  { stages: ['separators', 'leet', 'repeats'], create: fusedTail },
]
