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
import { initialStage, StageBuilder, type Normalizer, type Stage } from './stage.js'

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

interface Table {
  readonly bmp: Int32Array
  readonly astral: Map<number, number>
  readonly results: string[]
}

/** One table per set of enabled normalisers, shared by every chain compiled with that set. */
const tables = new Map<string, Table>()

/**
 * Fuse `stages` (each a per-code-point normaliser; `key` names the set) into a function from a text to
 * its stage: the same result as `stages` applied in order to `initialStage(text)`.
 */
export function compileFold(key: string, stages: readonly Normalizer[]): (text: string) => Stage {
  if (stages.length === 0) return initialStage
  const chain = (text: string): Stage => stages.reduce((stage, fn) => fn(stage), initialStage(text))
  let table = tables.get(key)
  if (table === undefined) tables.set(key, (table = { bmp: new Int32Array(0x10000), astral: new Map(), results: [] }))
  const { bmp, astral, results } = table

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
    // Pass 1: look every character up (learning new ones runs the normalisers, which use the stage
    // pool, so it must finish before this text's own stages are taken from it).
    let changed = false
    let resized = false
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      let len = 1
      let e: number
      if (pairAt(text, i)) {
        e = astralEntry(text.codePointAt(i)!)
        len = 2
        i++
      } else {
        e = bmp[c]!
        if (e === 0) bmp[c] = e = learn(text[i]!)
      }
      if (e === CONTEXT) return chain(text)
      if (e !== KEEP) {
        changed = true
        if (results[e - 1]!.length !== len) resized = true
      }
    }
    const input = initialStage(text)
    if (!changed) return input
    // Pass 2: copy the kept runs and put each replacement in. When every replacement is as long as what
    // it replaces (case folding, full-width letters: the usual), each unit keeps its own span and only
    // the text is new; otherwise each replacement spans the character it replaces.
    const out = resized ? new StageBuilder(input) : undefined
    const parts: string[] = []
    let copiedTo = 0
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      let len = 1
      let e: number
      if (pairAt(text, i)) {
        e = astral.get(text.codePointAt(i)!)! // learnt in pass 1
        len = 2
      } else {
        e = bmp[c]!
      }
      if (e !== KEEP) {
        if (out === undefined) {
          parts.push(text.slice(copiedTo, i), results[e - 1]!)
        } else {
          out.copy(input, copiedTo, i)
          out.push(results[e - 1]!, i, i + len)
        }
        copiedTo = i + len
      }
      i += len - 1
    }
    if (out !== undefined) {
      out.copy(input, copiedTo, n)
      return out.build()
    }
    parts.push(text.slice(copiedTo))
    return { text: parts.join(''), start: input.start, end: input.end }
  }
}
