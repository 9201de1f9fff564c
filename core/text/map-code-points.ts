/**
 * Shared loop for the context-free normalisers: each code point is kept or replaced by a string (possibly
 * empty), and every replacement keeps the original span of the code point it replaced.
 * @module
 */
import { StageBuilder, type Stage, type Workspace } from './stage.js'

/**
 * A per-code-point rewrite: return `undefined` to keep the code point, or its replacement (`''` drops it).
 * `ch` is the code point as a string.
 */
export type CodePointRewrite = (cp: number, ch: string) => string | undefined

/**
 * Apply `rewrite` to every code point of `input`. Returns `input` itself when nothing changed, so a
 * normaliser with nothing to do costs one pass and no allocation.
 */
export function mapCodePoints(workspace: Workspace, input: Stage, rewrite: CodePointRewrite): Stage {
  const { text } = input
  let out: StageBuilder | undefined
  let copiedTo = 0
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!
    const len = cp > 0xffff ? 2 : 1
    const replacement = rewrite(cp, len === 1 ? text[i]! : text.slice(i, i + 2))
    if (replacement !== undefined) {
      out ??= new StageBuilder(workspace, input)
      out.copy(input, copiedTo, i)
      out.push(replacement, input.start[i]!, input.end[i + len - 1]!)
      copiedTo = i + len
    }
    i += len
  }
  if (out === undefined) return input
  out.copy(input, copiedTo, text.length)
  return out.build()
}
