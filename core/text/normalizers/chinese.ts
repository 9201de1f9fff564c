/**
 * Traditional → simplified Chinese with OpenCC's own dictionaries (`opencc-js`): phrases first, then
 * characters, longest match wins, exactly as OpenCC converts. Done here rather than through OpenCC's
 * converter function because we need the span each output character came from; the dictionary trie is
 * built once per process, on first use.
 * @module
 */
import { Trie } from 'opencc-js/core'
import * as Locale from 'opencc-js/preset/t2cn'
import { StageBuilder, type Normalizer, type Stage } from '../stage.js'

interface Dictionary {
  readonly trie: Trie
  /** BMP code units that begin some dictionary entry: every other character is skipped without a lookup. */
  readonly firstUnits: Uint8Array
}

let dictionary: Dictionary | undefined

/** The sources of one OpenCC dictionary: "src dst|src dst…" or [src, dst] pairs, as `Trie#loadDict` takes. */
function sources(dict: string | ReadonlyArray<readonly [string, string]>): string[] {
  /* c8 ignore next -- opencc-js ships its t2cn dictionaries as strings; pairs are for callers' own dictionaries */
  if (typeof dict !== 'string') return dict.map(([source]) => source)
  return dict.split('|').map((entry) => entry.split(' ')[0]!)
}

/** The traditional → simplified trie (TSPhrases + TSCharacters), built on first use. */
function getDictionary(): Dictionary {
  if (dictionary === undefined) {
    const trie = new Trie()
    const firstUnits = new Uint8Array(0x10000)
    for (const group of Locale.to['cn']!) {
      trie.loadDictGroup(group)
      for (const dict of group) for (const source of sources(dict)) firstUnits[source.charCodeAt(0)] = 1
    }
    dictionary = { trie, firstUnits }
  }
  return dictionary
}

/**
 * Convert traditional Chinese to simplified. A phrase whose conversion changes length maps every output
 * character to the whole phrase.
 * @example chinese()(initialStage('傻屄，妳們')).text // '傻屄，你们'
 */
export function chinese(): Normalizer {
  const { trie: dict, firstUnits } = getDictionary()
  return (input: Stage) => {
    const { text } = input
    // The conversions, as [start, end, value] triples (made at the first one); whether all keep their length.
    let found: Array<[number, number, string]> | undefined
    let resized = false
    for (let i = 0; i < text.length; ) {
      // A character no entry starts with (all of them are CJK, so ASCII and Latin text costs a lookup a
      // character; for a surrogate pair the high half decides, and the low half is never a first unit).
      if (firstUnits[text.charCodeAt(i)] === 0) {
        i++
        continue
      }
      const m = dict.matchPrefix(text, i)
      if (m === null) {
        i += text.codePointAt(i)! > 0xffff ? 2 : 1
        continue
      }
      // A phrase OpenCC keeps as it is (乾元) is skipped whole, so its characters are not converted alone.
      if (m.value !== text.slice(i, m.end)) {
        ;(found ??= []).push([i, m.end, m.value])
        if (m.value.length !== m.end - i) resized = true
      }
      i = m.end
    }
    if (found === undefined) return input
    if (!resized) {
      // Character for character (most conversions): every unit keeps its span; only the text changes.
      const parts: string[] = []
      let copiedTo = 0
      for (const [s, e, value] of found) {
        parts.push(text.slice(copiedTo, s), value)
        copiedTo = e
      }
      parts.push(text.slice(copiedTo))
      return { text: parts.join(''), start: input.start, end: input.end }
    }
    const out = new StageBuilder(input)
    let copiedTo = 0
    for (const [s, e, value] of found) {
      out.copy(input, copiedTo, s)
      if (value.length === e - s) {
        for (let k = 0; k < value.length; k++) out.push(value[k]!, input.start[s + k]!, input.end[s + k]!)
      } else {
        out.push(value, input.start[s]!, input.end[e - 1]!)
      }
      copiedTo = e
    }
    out.copy(input, copiedTo, text.length)
    return out.build()
  }
}
