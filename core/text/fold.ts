/**
 * The context-free normalisers — invisible, compat, caseFold, diacritics, confusables — fused into one pass
 * over a per-character table.
 *
 * Each of them rewrites a text one code point at a time, so what the chain does to a text is what it does
 * to each character alone, concatenated, every output unit keeping the span of the character it came from.
 * The table remembers that per-character result the first time a character is seen, by running the real
 * normalisers on it alone; after that a message costs one table lookup a character, and a message with
 * nothing to fold costs no allocation beyond its identity stage. Two characters depend on a neighbour and
 * send the whole text through the normalisers one by one instead: Greek capital sigma (its lower case
 * depends on where it sits in a word) and anything folding to a kana voicing mark (it composes with the
 * kana before it).
 * @module
 */
import { pairAt } from './scripts.js'
import { StageBuilder, type Normalizer, type Stage, type Workspace } from './stage.js'
import { unitAt, unitOrNaN } from '../units.js'

/** The character is left as it is. */
const KEEP = -1
/** The character's result depends on its neighbours: normalise the text stage by stage. */
const CONTEXT = -2
// 0 = not seen yet; n ≥ 1 = replaced by results[n - 1] ('' drops it).

/** Capital sigma: final or not, it lower-cases differently. */
const CONTEXTUAL_INPUT = /^\u03a3$/
/** Kana voicing marks compose with the preceding kana when compat folding produced them. */
const CONTEXTUAL_OUTPUT = /[\u3099\u309a]/

/** Astral characters are remembered in a map of at most this many entries. */
const MAX_ASTRAL = 4096

/**
 * Fuse `stages` (each a per-code-point normaliser building in `workspace`) into a function from a text to
 * its stage: the same result as `stages` applied in order to `workspace.initialStage(text)`. The table is
 * the fold's own, as are its scratch lists.
 */
export function compileFold(workspace: Workspace, stages: readonly Normalizer[]): (text: string) => Stage {
  const initialStage = (text: string): Stage => workspace.initialStage(text)
  if (stages.length === 0) return initialStage
  const chain = (text: string): Stage => stages.reduce((stage, fn) => fn(stage), initialStage(text))
  const bmp = new Int32Array(0x10000)
  const astral = new Map<number, number>()
  const results: string[] = []
  // Where the characters that change sit in the text being folded, and their table entries: scratch, reused.
  let changeAt = new Int32Array(256)
  let changeEntry = new Int32Array(256)

  const learn = (ch: string): number => {
    if (CONTEXTUAL_INPUT.test(ch)) return CONTEXT
    const out = chain(ch).text
    if (out === ch) return KEEP
    if (CONTEXTUAL_OUTPUT.test(out)) return CONTEXT
    return results.push(out)
  }
  // Once the map is full, a new astral character sends its text through the normalisers one by one.
  const astralEntry = (cp: number): number => {
    let e = astral.get(cp)
    if (e === undefined) {
      if (astral.size >= MAX_ASTRAL) return CONTEXT
      astral.set(cp, (e = learn(String.fromCodePoint(cp))))
    }
    return e
  }

  return (text) => {
    const n = text.length
    if (changeAt.length < n) {
      changeAt = new Int32Array(n * 2)
      changeEntry = new Int32Array(n * 2)
    }
    // Pass 1: look every character up and note the ones that change (learning new ones runs the
    // normalisers, which use the stage pool, so it must finish before this text's own stages are taken).
    let changes = 0
    let resized = false
    for (let i = 0; i < n; i++) {
      const c = unitAt(text, i)
      let len = 1
      let e: number
      // pairAt's test, written out: in the server's build of this loop V8 called pairAt instead of inlining
      // it. Past the end unitOrNaN gives NaN, and NaN & 0xfc00 is 0.
      if ((c & 0xfc00) === 0xd800 && (unitOrNaN(text, i + 1) & 0xfc00) === 0xdc00) {
        e = astralEntry(text.codePointAt(i)!)
        len = 2
      } else {
        e = bmp[c]!
        if (e === 0) bmp[c] = e = learn(text[i]!)
      }
      if (e === CONTEXT) return chain(text)
      if (e !== KEEP) {
        changeAt[changes] = i
        changeEntry[changes++] = e
        if (results[e - 1]!.length !== len) resized = true
      }
      i += len - 1
    }
    const input = initialStage(text)
    if (changes === 0) return input
    // Pass 2, over the changes only: copy the kept runs and put each replacement in. When every
    // replacement is as long as what it replaces (case folding, full-width letters: the usual), each unit
    // keeps its own span and only the text is new; otherwise each replacement spans the character it
    // replaces.
    const out = resized ? new StageBuilder(workspace, input) : undefined
    const parts: string[] = []
    let copiedTo = 0
    for (let k = 0; k < changes; k++) {
      const i = changeAt[k]!
      const replacement = results[changeEntry[k]! - 1]!
      const end = pairAt(text, i) ? i + 2 : i + 1
      if (out === undefined) {
        parts.push(text.slice(copiedTo, i), replacement)
      } else {
        out.copy(input, copiedTo, i)
        out.push(replacement, i, end)
      }
      copiedTo = end
    }
    if (out !== undefined) {
      out.copy(input, copiedTo, n)
      return out.build()
    }
    parts.push(text.slice(copiedTo))
    return { text: parts.join(''), start: input.start, end: input.end }
  }
}
