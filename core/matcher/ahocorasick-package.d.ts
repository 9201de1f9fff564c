/**
 * Types for the `ahocorasick` package (CommonJS, ships none).
 * @module
 */
declare module 'ahocorasick' {
  /** An Aho-Corasick automaton over UTF-16 code units. */
  class AhoCorasick {
    constructor(keywords: readonly string[])
    /** `[indexOfLastCodeUnit, keywordsEndingThere]` for every position where a keyword ends. */
    search(text: string): Array<[number, string[]]>
  }
  export = AhoCorasick
}
