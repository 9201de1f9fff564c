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

let trie: Trie | undefined

/** The traditional → simplified trie (TSPhrases + TSCharacters), built on first use. */
function getTrie(): Trie {
  if (trie === undefined) {
    trie = new Trie()
    for (const group of Locale.to['cn']!) trie.loadDictGroup(group)
  }
  return trie
}

/**
 * Convert traditional Chinese to simplified. A phrase whose conversion changes length maps every output
 * character to the whole phrase.
 * @example chinese()(initialStage('傻屄，妳們')).text // '傻屄，你们'
 */
export function chinese(): Normalizer {
  const dict = getTrie()
  return (input: Stage) => {
    const { text } = input
    let out: StageBuilder | undefined
    let copiedTo = 0
    for (let i = 0; i < text.length; ) {
      // Everything OpenCC converts starts at or above the CJK radicals block.
      if (text.charCodeAt(i) < 0x2e80) {
        i++
        continue
      }
      const m = dict.matchPrefix(text, i)
      if (m === null) {
        i += text.codePointAt(i)! > 0xffff ? 2 : 1
        continue
      }
      if (m.value === text.slice(i, m.end)) {
        // A phrase OpenCC keeps as it is (乾元): skip it whole so its characters are not converted alone.
        i = m.end
        continue
      }
      out ??= new StageBuilder(input)
      out.copy(input, copiedTo, i)
      if (m.value.length === m.end - i) {
        for (let k = 0; k < m.value.length; k++) out.push(m.value[k]!, input.start[i + k]!, input.end[i + k]!)
      } else {
        out.push(m.value, input.start[i]!, input.end[m.end - 1]!)
      }
      copiedTo = i = m.end
    }
    if (out === undefined) return input
    out.copy(input, copiedTo, text.length)
    return out.build()
  }
}
