/**
 * Traditional → simplified Chinese with OpenCC's own dictionaries (`opencc-js`): phrases first, then
 * characters, longest match wins, exactly as OpenCC converts. Done here rather than through OpenCC's
 * converter function because we need the span each output character came from.
 *
 * The dictionaries go into a trie of our own, built once per process on first use: it walks UTF-16 code
 * units (an entry is whole code points, so a match still ends on one), its first level is a table indexed
 * by the first unit, and each node knows at build time whether its entry converts at all. A message then
 * costs one table read for every character no entry starts with, and no allocation until something
 * converts. (opencc-js's own trie keeps a `Map` per node with the value as a property on it, and returns an
 * object for every match: 1.5–3× slower on Chinese and Japanese text.)
 * @module
 */
import * as Locale from 'opencc-js/preset/t2cn'
import { pairAt } from '../scripts.js'
import { grown, StageBuilder, type Normalizer, type Stage, type StageContext } from '../stage.js'
import { unitAt } from '../../units.js'

interface Dictionary {
  /** Per code unit: the node of the entries beginning with it, or 0 when none does. */
  readonly first: Int32Array
  /** Per node: the conversion of the entry that ends there, or '' when none ends there. */
  readonly value: string[]
  /** Per node: 1 when its entry converts to itself (a phrase OpenCC keeps whole, such as 乾元). */
  readonly same: Uint8Array
  /** Per node: the next nodes, by the next code unit; undefined when no entry goes on. */
  readonly next: Array<Map<number, number> | undefined>
}

let dictionary: Dictionary | undefined

/** The entries of one OpenCC dictionary: "src dst|src dst…" or [src, dst] pairs, as opencc-js takes them. */
function entries(dict: string | ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  /* c8 ignore next -- opencc-js ships its t2cn dictionaries as strings; pairs are for callers' own dictionaries */
  if (typeof dict !== 'string') return [...dict]
  return dict.split('|').map((entry) => {
    const [source, target] = entry.split(' ')
    return [source!, target!] as const
  })
}

/**
 * The traditional → simplified trie (TSPhrases + TSCharacters), built on first use. Where two entries have
 * the same source, the one opencc-js's `Trie#loadDictGroup` would keep wins: the first dictionary of a group
 * (it loads a group's dictionaries last to first, each overwriting), and the last group.
 */
function getDictionary(): Dictionary {
  if (dictionary === undefined) {
    const conversions = new Map<string, string>()
    for (const group of Locale.to['cn']!) {
      for (const dict of [...group].reverse()) for (const [source, target] of entries(dict)) conversions.set(source, target)
    }
    const first = new Int32Array(0x10000)
    const value: string[] = ['']
    const next: Array<Map<number, number> | undefined> = [undefined]
    // The nodes of the entries that convert to themselves.
    const kept: number[] = []
    for (const [source, target] of conversions) {
      let node = first[source.charCodeAt(0)]!
      if (node === 0) {
        first[source.charCodeAt(0)] = node = value.push('') - 1
        next.push(undefined)
      }
      for (let k = 1; k < source.length; k++) {
        const unit = source.charCodeAt(k)
        const children = (next[node] ??= new Map())
        let child = children.get(unit)
        if (child === undefined) {
          children.set(unit, (child = value.push('') - 1))
          next.push(undefined)
        }
        node = child
      }
      value[node] = target
      if (source === target) kept.push(node)
    }
    const same = new Uint8Array(value.length)
    for (const node of kept) same[node] = 1
    dictionary = { first, value, same, next }
  }
  return dictionary
}

/**
 * Convert traditional Chinese to simplified. A phrase whose conversion changes length maps every output
 * character to the whole phrase.
 * @example chinese(context)(workspace.initialStage('傻屄，你們')).text // '傻屄，你们'
 */
export function chinese({ workspace }: StageContext): Normalizer {
  const { first, value, same, next } = getDictionary()
  // The conversions found in the text being converted, in order: from, to (input units) and the node whose
  // entry converts it. Scratch, reused across calls.
  let foundFrom = new Int32Array(64)
  let foundTo = new Int32Array(64)
  let foundNode = new Int32Array(64)
  return (input: Stage) => {
    const { text } = input
    const n = text.length
    let found = 0
    let resized = false
    for (let i = 0; i < n;) {
      let node = first[unitAt(text, i)]!
      if (node === 0) {
        // No entry starts with this unit (ASCII, Latin, most of any text): one table read. For a surrogate pair
        // the high half decides, and no entry starts with a low half.
        i++
        continue
      }
      // The longest entry starting at i: the last node on the way that an entry ends at.
      let end = -1
      let match = 0
      for (let j = i + 1; ; j++) {
        if (value[node] !== '') {
          end = j
          match = node
        }
        const children = next[node]
        if (children === undefined || j === n) break
        const child = children.get(unitAt(text, j))
        if (child === undefined) break
        node = child
      }
      if (end < 0) {
        i += pairAt(text, i) ? 2 : 1
        continue
      }
      // A phrase OpenCC keeps as it is (乾元) is skipped whole, so its characters are not converted alone.
      if (same[match] === 0) {
        if (found === foundFrom.length) {
          foundFrom = grown(foundFrom, found * 2)
          foundTo = grown(foundTo, found * 2)
          foundNode = grown(foundNode, found * 2)
        }
        foundFrom[found] = i
        foundTo[found] = end
        foundNode[found++] = match
        if (value[match]!.length !== end - i) resized = true
      }
      i = end
    }
    if (found === 0) return input
    if (!resized) {
      // Character for character (most conversions): every unit keeps its span; only the text changes.
      const parts: string[] = []
      let copiedTo = 0
      for (let k = 0; k < found; k++) {
        parts.push(text.slice(copiedTo, foundFrom[k]), value[foundNode[k]!]!)
        copiedTo = foundTo[k]!
      }
      parts.push(text.slice(copiedTo))
      return { text: parts.join(''), start: input.start, end: input.end }
    }
    const out = new StageBuilder(workspace, input)
    let copiedTo = 0
    for (let k = 0; k < found; k++) {
      const s = foundFrom[k]!
      const e = foundTo[k]!
      const target = value[foundNode[k]!]!
      out.copy(input, copiedTo, s)
      if (target.length === e - s) {
        for (let u = 0; u < target.length; u++) out.push(target[u]!, input.start[s + u]!, input.end[s + u]!)
      } else {
        out.push(target, input.start[s]!, input.end[e - 1]!)
      }
      copiedTo = e
    }
    out.copy(input, copiedTo, n)
    return out.build()
  }
}
