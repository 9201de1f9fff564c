/// <reference path="./ahocorasick-package.d.ts" />
/**
 * A {@link MatcherEngine} over the `ahocorasick` npm package: a plain-object automaton over UTF-16 code
 * units. Simple and well known; builds slowly past ~10k terms (see the benchmark figures in design.md).
 * @module
 */
import AhoCorasick from 'ahocorasick'
import type { MatchHit, Matcher, MatcherEngine } from './types.js'

/**
 * Build a matcher. Duplicate terms are allowed: each index holding the term gets its own hit.
 * @throws TypeError when a term is not a non-empty string (an empty term would match everywhere).
 */
function build(terms: readonly string[]): Matcher {
  const indices = new Map<string, number[]>()
  terms.forEach((term, i) => {
    if (typeof term !== 'string' || term.length === 0) {
      throw new TypeError(`ahocorasick engine: term [${i}] is ${JSON.stringify(term)}; every term must be a non-empty string.`)
    }
    const list = indices.get(term)
    if (list === undefined) indices.set(term, [i])
    else list.push(i)
  })
  const automaton = new AhoCorasick([...indices.keys()])
  return Object.freeze({
    size: indices.size,
    scan(text: string): MatchHit[] {
      const hits: MatchHit[] = []
      for (const [last, words] of automaton.search(text)) {
        // The package lists the longest keyword first (its own, then its failure chain's), so starts
        // come out ascending within one end position, as the interface asks.
        for (const word of words) {
          const start = last + 1 - word.length
          for (const term of indices.get(word)!) hits.push({ start, end: last + 1, term })
        }
      }
      return hits
    },
  })
}

/**
 * The `ahocorasick`-package engine.
 * @example
 * const m = ahoCorasickEngine.build(['he', 'she', 'hers'])
 * m.scan('ushers') // [{start:1,end:4,term:1}, {start:2,end:4,term:0}, {start:2,end:6,term:2}]
 */
export const ahoCorasickEngine: MatcherEngine = Object.freeze({ name: 'ahocorasick', build })
