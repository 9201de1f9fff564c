/**
 * Text normalisation with an offset map back to the original string.
 *
 * Each normaliser is a small switchable stage, listed once in `STAGES` (`stages.ts`; README.md here says
 * how to add one); {@link compileNormalizer} chains the enabled ones once, and the result's
 * `normalize(text)` runs per message. The `code-point` stages run fused, as one table-driven pass
 * (`fold.ts`); the rest run in order after it, a hand-fused pass (`FUSED`, `tail.ts`) standing for its
 * stages when all of them are on. Every output code unit carries the span of the original text it came
 * from, so a match found in the normalised copy maps back to exactly what the user typed.
 *
 * Internal to presend (users reach it through `compileTerms`' `normalize` switches): it may change in any
 * release.
 *
 * @example
 * import { compileNormalizer } from './text/index.js'
 * const n = compileNormalizer().normalize('Ｆ.Ü.C.K!')
 * n.text                      // 'fuck!'
 * n.toOriginal(0, 4)          // { start: 0, end: 7 }
 * @module
 */
import { Workspace, type Normalizer, type Stage, type StageContext } from './stage.js'
import { compileFold } from './fold.js'
import { FUSED, STAGES, type StageName } from './stages.js'

export type { Stage, Normalizer, StageContext } from './stage.js'
export { STAGES, type StageName, type StageEntry, type StageKind } from './stages.js'

/** Which normalisers run: one switch per stage of `STAGES` (see its `summary`). Every switch defaults to `true`. */
export type NormalizeOptions = { readonly [Name in StageName]?: boolean }

/** The names of the switches, in the order the normalisers run. */
export const NORMALIZER_NAMES: readonly StageName[] = Object.freeze(STAGES.map((stage) => stage.name))

/** A normalised string and its map back to the original. */
export interface Normalized {
  /** The normalised text. */
  readonly text: string
  /** Original start offset (UTF-16) of each code unit of `text`. */
  readonly start: Int32Array
  /** Original end offset (exclusive) of each code unit of `text`. */
  readonly end: Int32Array
  /** With `repeats` on: how many identical code points each code unit stands for (undefined when off). */
  readonly runs: Int32Array | undefined
  /** The original span of the normalised span `[start, end)` (`end > start`). */
  toOriginal(start: number, end: number): { start: number; end: number }
}

/** A compiled chain of normalisers: build once, call `normalize` per message. */
export interface TextNormalizer {
  /** The options it was compiled with, every switch resolved. */
  readonly options: Readonly<Required<NormalizeOptions>>
  normalize(text: string): Normalized
  /**
   * `normalize` without copying the maps out: the result's arrays are this normaliser's workspace,
   * overwritten by its next run on another text (with `repeats` on, reading them after that throws a
   * sentence saying so), and may be longer than `text` (only the first `text.length` entries are its
   * own). For per-message code that reads the result at once, as `compileTerms` does; it saves three
   * allocations a call. A call with the same text as the last one, within one pipeline message, returns
   * that result again without computing it: plugins that normalise alike get the same normaliser, and
   * share the work.
   */
  normalizeTransient(text: string): Normalized
}

/** The switches as a string of 0s and 1s, in `NORMALIZER_NAMES` order (unset = on). */
function switchesOf(options: NormalizeOptions): string {
  return NORMALIZER_NAMES.map((name) => (options[name] ?? true ? '1' : '0')).join('')
}

function toOriginal(this: Normalized, start: number, end: number): { start: number; end: number } {
  return { start: this.start[start]!, end: this.end[end - 1]! }
}

/**
 * Which message the pipeline is on: a normaliser's last result is reused only within the message that
 * computed it. Within a message, plugins that normalise alike share the work; across messages a repeated
 * text is work again, so a bench (or a flood) sending one text over and over measures what a message costs.
 */
let generation = 0

/**
 * Forget every normaliser's last result, so the next normalisation computes. The pipeline calls it as each
 * message starts: a normalisation is shared inside one message, never across messages.
 * @internal
 */
export function forgetLastNormalization(): void {
  generation++
}

/** The compiled normalisers, one per set of switches: plugins that normalise alike share one, and its last result. */
const compiled = new Map<string, TextNormalizer>()

/**
 * Compile a normaliser chain once (or get the one already compiled with the same switches). Unknown keys
 * are ignored; every switch defaults to `true`.
 * @example
 * const norm = compileNormalizer({ leet: false })
 * norm.normalize('ｆｕｃｋ').text // 'fuck'
 */
export function compileNormalizer(options: NormalizeOptions = {}): TextNormalizer {
  const key = switchesOf(options)
  let normalizer = compiled.get(key)
  if (normalizer === undefined) compiled.set(key, (normalizer = build(options)))
  return normalizer
}

/** Build a normaliser from `STAGES`: its own workspace, the code-point stages fused, a hand-fused pass where all its stages are on. */
function build(options: NormalizeOptions): TextNormalizer {
  const resolved = Object.fromEntries(NORMALIZER_NAMES.map((name) => [name, options[name] ?? true])) as Required<NormalizeOptions>
  const context: StageContext = { workspace: new Workspace(), switches: resolved }
  const enabled = STAGES.filter((stage) => resolved[stage.name])
  const fusion = FUSED.find((f) => f.stages.every((name) => resolved[name]))
  const fold = compileFold(context.workspace, enabled.filter((stage) => stage.kind === 'code-point').map((stage) => stage.create(context)))
  const steps: Normalizer[] = []
  for (const stage of enabled) {
    if (stage.kind === 'code-point' || (fusion?.stages.includes(stage.name) === true && stage.name !== fusion.stages[0])) continue
    steps.push((stage.name === fusion?.stages[0] ? fusion : stage).create(context))
  }
  // The collapse stage's output is a result of its own (its maps are written only if something reads them).
  const collapses = enabled.at(-1)?.kind === 'collapse'
  // This normaliser's last result, for the next call with the same text: its arrays are this normaliser's
  // own (its workspace), so they hold until its next run computes, which replaces it.
  let lastText = ''
  let lastGeneration = -1
  let lastResult: Normalized | undefined

  const normalizeTransient = (text: string): Normalized => {
    if (lastResult !== undefined && lastText === text && lastGeneration === generation) return lastResult
    lastResult = undefined
    let stage: Stage = fold(text)
    for (let i = 0; i < steps.length; i++) stage = steps[i]!(stage)
    lastText = text
    lastGeneration = generation
    if (collapses) return (lastResult = stage as Normalized)
    return (lastResult = { text: stage.text, start: stage.start, end: stage.end, runs: undefined, toOriginal })
  }

  return Object.freeze({
    options: Object.freeze(resolved),
    normalizeTransient,
    normalize(text: string): Normalized {
      // The stages' arrays are pooled: the result gets its own copies, exactly `text.length` long.
      const n = normalizeTransient(text)
      const length = n.text.length
      return { text: n.text, start: n.start.slice(0, length), end: n.end.slice(0, length), runs: n.runs?.slice(0, length), toOriginal }
    },
  })
}

/**
 * Normalise one string (convenience; the chain is compiled once per distinct options).
 * Prefer {@link compileNormalizer} in code that runs per message.
 * @example normalize('Ｆ.Ü.C.K').text // 'fuck'
 */
export function normalize(text: string, options: NormalizeOptions = {}): Normalized {
  return compileNormalizer(options).normalize(text)
}
