/**
 * Collapses separators used to split a word into single characters — "f.u.c.k", "f u c k", "f-u-c-k",
 * "傻 逼", "操 你 妈" — without joining ordinary words ("this hit", "as sure" stay two words). Also folds
 * any other run of whitespace to one space, so a multi-word term matches however it is spaced.
 *
 * The rules, on the text as the earlier normalisers left it:
 * - a *token* is a run of letters, numbers, marks, apostrophes (and `@ $` when leetspeak is on); anything
 *   else is a separator;
 * - a separator run of at most 3 characters is removed when it sits inside a chain of at least 3
 *   single-character tokens ("f u c k", "a.s.s"), or between two characters of a no-space script
 *   (Chinese, Japanese kana, Thai…) unless it holds a line break or punctuation ending a sentence or a
 *   clause (`。 ! ? , 、 ; :`: "我们明天干，你来吗" is not "干你");
 * - in a chain spelled with other separators too, a gap holding whitespace is a word break: "a f.u.c.k" is
 *   "a fuck", "f.u.c.k a.s.s" is "fuck ass" and "f.u.c.k. I said" is "fuck. I said" (not "afuck",
 *   "fuckass", "fuckI said"), unless that would leave two letters on their own between spaces ("s.h i.t" is
 *   still "shit"; "U.S. s.h.i.t", an abbreviation, is "U.S. shit"). A chain spaced with whitespace alone
 *   ("a f u c k") cannot be told apart from a word spelled out, and is joined whole.
 * @module
 */
import { StageBuilder, type Normalizer, type Stage, type StageContext } from '../stage.js'
import { codePointAt, codePointBefore, isLetterOrNumber, isNoSpace, unitClass } from '../scripts.js'
import { unitAt, unitOrNaN } from '../../units.js'

const MAX_SEPARATOR = 3
const MIN_CHAIN = 3

/** ASCII letters, digits and the apostrophe: token characters. */
const ASCII_TOKEN = new Uint8Array(128).map((_, c) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x27 ? 1 : 0,
)

/** What JavaScript's `\s` matches, one UTF-16 unit at a time. */
export function isWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}

/**
 * Line breaks and punctuation ending a sentence or a clause (`。 ! ? , 、 ; :`, full-width forms too): a gap
 * holding one keeps no-space characters apart ("我们明天干，你来吗" is two clauses, not "干你").
 */
export function isClauseEnd(c: number): boolean {
  if (c < 0x80) return c === 0x0a || c === 0x0d || c === 0x21 || c === 0x3f || c === 0x2c || c === 0x3b || c === 0x3a
  return c === 0x2028 || c === 0x2029 || c === 0x3002 || c === 0x3001 || c === 0xff01 || c === 0xff1f ||
    c === 0xff0c || c === 0xff1b || c === 0xff1a || c === 0xff61 || c === 0xff64
}

// Facts about the gap after token k, as bits of `Gaps.gaps[k]`.
/** At most MAX_SEPARATOR code points. */
const SHORT = 1
/** Whitespace only. */
const BLANK = 2
/** Exactly one ASCII space. */
const ONE_SPACE = 4
/** Holds a line break or the end of a sentence or clause. */
const CLAUSE_END = 8
/** Removed. */
const JOIN = 16
/** Holds whitespace (alone, or with other separators: ". ", ", "). */
const SPACED = 32

/**
 * Scratch lists for one text, owned by the stage that made them (a message is normalised synchronously,
 * start to end). The tokens: token `k` is the code units `[start[k], end[k])`, `single[k]` is 1 when it is
 * one code point, and `gaps[k]` holds the facts about the gap after it. The gaps {@link decideGaps} found to
 * change, in text order: gap `k` is the code units `[from[k], to[k])`, removed, or folded to one space when
 * `fold[k]` is 1.
 */
export class Gaps {
  start = new Int32Array(256)
  end = new Int32Array(256)
  single = new Uint8Array(256)
  gaps = new Uint8Array(256)
  from = new Int32Array(256)
  to = new Int32Array(256)
  fold = new Uint8Array(256)

  /** Make the lists room for a text of `n` code units. */
  reserve(n: number): void {
    if (this.start.length > n) return
    this.start = new Int32Array(n * 2 + 2)
    this.end = new Int32Array(n * 2 + 2)
    this.single = new Uint8Array(n * 2 + 2)
    this.gaps = new Uint8Array(n * 2 + 2)
    this.from = new Int32Array(n * 2 + 2)
    this.to = new Int32Array(n * 2 + 2)
    this.fold = new Uint8Array(n * 2 + 2)
  }
}

/**
 * The facts about the gap `[start, end)` of `text`, as the bits of `Gaps.gaps`: it holds `points` code
 * points, whitespace only if `blank`, some whitespace if `spaced`, a line break or the end of a sentence
 * or clause if `clauseEnd`.
 */
export function gapFacts(
  text: string, start: number, end: number, points: number, blank: boolean, spaced: boolean, clauseEnd: boolean,
): number {
  return (points <= MAX_SEPARATOR ? SHORT : 0) | (blank ? BLANK : 0) | (spaced ? SPACED : 0) |
    (clauseEnd ? CLAUSE_END : 0) | (end - start === 1 && unitOrNaN(text, start) === 0x20 ? ONE_SPACE : 0)
}

/**
 * Token length (in code units) of the character of `text` at `i`, or 0 when it is a separator. ASCII
 * first: it is most of the text, and needs no string.
 */
export function tokenAt(text: string, i: number, leet: boolean): number {
  const c = unitAt(text, i)
  if (c < 0x80) return ASCII_TOKEN[c] === 1 || (leet && (c === 0x40 || c === 0x24)) ? 1 : 0
  if (c < 0xd800 || c > 0xdfff) return (unitClass(c) & 1) !== 0 || c === 0x2019 ? 1 : 0
  const ch = codePointAt(text, i)
  return isLetterOrNumber(ch) ? ch.length : 0
}

/**
 * Whether the code point ending before `i` (`before`) or starting at `i` is in a no-space script: a table
 * lookup for a BMP character, a string only for a surrogate pair.
 */
function noSpace(text: string, i: number, before: boolean): boolean {
  const c = unitOrNaN(text, before ? i - 1 : i)
  if (c < 0xd800 || c > 0xdfff) return c >= 0x0e00 && (unitClass(c) & 2) !== 0
  return isNoSpace(before ? codePointBefore(text, i) : codePointAt(text, i))
}

/**
 * Fill `lists` with the tokens of `text` and the facts about the gaps between them; their count.
 * `leetSymbols`: `@` and `$` are token characters.
 */
function findTokens(lists: Gaps, text: string, leetSymbols: boolean): number {
  const n = text.length
  lists.reserve(n)
  // The scratch arrays as locals: a property binding costs a load at every use below.
  const { start: starts, end: ends, single: singles, gaps: facts } = lists
  let count = 0
  for (let i = 0; i < n;) {
    const gapStart = i
    let points = 0
    let blank = true
    let spaced = false
    let end = false
    let len = tokenAt(text, i, leetSymbols)
    while (len === 0) {
      const c = unitAt(text, i)
      if ((c & 0xfc00) !== 0xdc00) points++
      const white = isWhitespace(c)
      blank &&= white
      spaced ||= white
      end ||= isClauseEnd(c)
      if (++i === n) break
      len = tokenAt(text, i, leetSymbols)
    }
    if (i === n) break
    if (count > 0) facts[count - 1] = gapFacts(text, gapStart, i, points, blank, spaced, end)
    starts[count] = i
    let points2 = 0
    while (len > 0) {
      i += len
      points2++
      len = i < n ? tokenAt(text, i, leetSymbols) : 0
    }
    ends[count] = i
    singles[count++] = points2 === 1 ? 1 : 0
  }
  return count
}

/**
 * Mark the gaps (`facts`) of the chain of single-character tokens `k..j` (at least MIN_CHAIN of them) to go.
 * When the chain mixes gaps holding whitespace with gaps of other separators alone, the gaps holding
 * whitespace are word breaks ("a f.u.c.k", "f.u.c.k. I said", "U.S.A. s.h.i.t"); when every gap holds
 * whitespace, the whitespace-only ones are, if some are not ("f. u. c. k I said"). Only the pieces between
 * word breaks of at least MIN_CHAIN tokens are joined — unless a piece is two tokens with only whitespace
 * around it, no word on its own ("s.h i.t"): then the whole chain joins, as it does when its gaps are all
 * alike. A two-token piece next to punctuation and a space is an abbreviation ("U.S. s.h.i.t").
 */
function joinChain(facts: Uint8Array, k: number, j: number): void {
  let spaced = 0
  let blank = 0
  for (let g = k; g < j; g++) {
    if ((facts[g]! & SPACED) !== 0) spaced++
    if ((facts[g]! & BLANK) !== 0) blank++
  }
  // The bit that makes a gap a word break, and whether the chain has any.
  const brk = spaced < j - k ? SPACED : BLANK
  let split = brk === SPACED ? spaced > 0 : blank > 0 && blank < j - k
  for (let from = k, g = k; split && g <= j; g++) {
    if (g < j && (facts[g]! & brk) === 0) continue
    // A two-token piece between whitespace-only breaks (or the chain's ends) cancels the split.
    if (g - from === 1 && (from === k || (facts[from - 1]! & BLANK) !== 0) && (g === j || (facts[g]! & BLANK) !== 0)) {
      split = false
    }
    from = g + 1
  }
  // Token g ends a piece where the gap after it is a word break, and at the chain's end.
  for (let from = k, g = k; g <= j; g++) {
    if (g < j && (!split || (facts[g]! & brk) === 0)) continue
    if (g - from + 1 >= MIN_CHAIN) for (let x = from; x < g; x++) facts[x]! |= JOIN
    from = g + 1
  }
}

/**
 * Given the `count` tokens of `text` in `lists`, decide which gaps go and which whitespace runs
 * fold: fills its `from`, `to` and `fold` and returns how many there are.
 */
export function decideGaps(lists: Gaps, text: string, count: number): number {
  const { start: starts, end: ends, single: singles, gaps: facts, from, to, fold } = lists
  // Chains of single-character tokens separated by short runs: their gaps go.
  for (let k = 0; k < count;) {
    let j = k
    while (j + 1 < count && singles[j] === 1 && singles[j + 1] === 1 && (facts[j]! & SHORT) !== 0) j++
    if (j - k + 1 >= MIN_CHAIN) joinChain(facts, k, j)
    k = j + 1
  }
  // Short gaps between two characters of a no-space script go too, unless a sentence or clause ends there.
  for (let k = 0; k + 1 < count; k++) {
    const gap = facts[k]!
    if ((gap & (JOIN | CLAUSE_END)) !== 0 || (gap & SHORT) === 0) continue
    if (noSpace(text, ends[k]!, true) && noSpace(text, starts[k + 1]!, false)) facts[k] = gap | JOIN
  }

  // The gaps that go, and the whitespace runs that stay as one space.
  let edits = 0
  for (let k = 0; k + 1 < count; k++) {
    const gap = facts[k]!
    if ((gap & JOIN) === 0 && ((gap & BLANK) === 0 || (gap & ONE_SPACE) !== 0)) continue
    from[edits] = ends[k]!
    to[edits] = starts[k + 1]!
    fold[edits++] = (gap & JOIN) === 0 ? 1 : 0
  }
  return edits
}

/**
 * Remove separators between single characters and fold whitespace runs.
 * With leetspeak folding on (`context.switches.leet`), `@` and `$` are letters, so "$.h.i.t" is a chain.
 * @example separators(context)(workspace.initialStage('f.u.c.k this')).text // 'fuck this'
 */
export function separators({ workspace, switches }: StageContext): Normalizer {
  const leetSymbols = switches['leet'] === true
  const lists = new Gaps()
  return (input: Stage) => {
    const edits = decideGaps(lists, input.text, findTokens(lists, input.text, leetSymbols))
    if (edits === 0) return input
    const { from, to, fold } = lists
    const out = new StageBuilder(workspace, input)
    let copiedTo = 0
    for (let k = 0; k < edits; k++) {
      out.copy(input, copiedTo, from[k]!)
      // A whitespace run that stays becomes one space spanning all of it.
      if (fold[k] === 1) out.push(' ', input.start[from[k]!]!, input.end[to[k]! - 1]!)
      copiedTo = to[k]!
    }
    out.copy(input, copiedTo, input.text.length)
    return out.build()
  }
}
