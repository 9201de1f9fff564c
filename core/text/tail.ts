/**
 * The last three normalisers — separators, leet, repeats — fused: one pass over the text, then work only
 * where something happens, and one string built.
 *
 * Run one by one, each of them reads the whole text its predecessor built, and two of them build one
 * again (separators with a span map, though most of its edits only drop or fold a gap). Fused:
 * - one pass finds the tokens and gaps exactly as separators does, and notes on the way the only places
 *   the later two can act: each leetspeak character, and each code point equal to the one before it;
 * - separators' own rules then decide which gaps go and which whitespace runs fold (`decideGaps`: a
 *   chain of three single-character tokens needs lookahead);
 * - a second walk visits those places in order, plus two that appear only once the text changes: the
 *   code point after a removed gap and the one after a folded leetspeak character (either may now repeat
 *   the one before it). At each it does what the stages would: drop or fold the gap; decide the
 *   leetspeak run around the character (as leet does in the joined text, across removed gaps) and fold
 *   it; drop a code point equal to the last one kept. Every other code point is kept as it is and can
 *   repeat nothing (an equal neighbour would have been noted), so the walk skips it.
 *
 * The text is copied in slices between those edits and joined once. The spans and run lengths are not
 * written at all: like `repeats` alone, the result notes its edits of the input (gaps removed, gaps folded,
 * runs collapsed; leet keeps every unit's span) and writes its maps when something reads them.
 * `test/core/text/tail.test.ts` keeps it equal to the three stages run in order.
 * @module
 */
import { codePointAt, codePointBefore, pairAt } from './scripts.js'
import type { Stage } from './stage.js'
import { decideGaps, gapFacts, Gaps, isClauseEnd, isWhitespace, tokenAt } from './normalizers/separators.js'
import { CODE_NEXT, CODE_START, digit, hasLatin, IS_CODE, isRunChar, isUpperRun, LEET } from './normalizers/leet.js'
import { Collapser, REMOVED, SPACE, type RunStage } from './normalizers/repeats.js'
import { unitAt, unitOrNaN } from '../units.js'

/** Per ASCII unit up to `@`: the code of the letter it stands for in leetspeak, lower case (0: none). */
const LEET_LOWER = new Uint16Array(0x41)
/** The same, upper case. */
const LEET_UPPER = new Uint16Array(0x41)
for (const [symbol, letter] of Object.entries(LEET)) {
  LEET_LOWER[symbol.charCodeAt(0)] = letter.charCodeAt(0)
  LEET_UPPER[symbol.charCodeAt(0)] = letter.toUpperCase().charCodeAt(0)
}
// How a leetspeak run folds: not at all, to lower-case letters, to capitals (LOWER and UPPER are also
// RUN_ASCII's case bits).
const KEEP = 0
const LOWER = 1
const UPPER = 2
const RUN = 4

/** Per ASCII unit: 0 when it ends a leetspeak run, else RUN, with LOWER or UPPER for a letter of that case. */
const RUN_ASCII = new Uint8Array(128).map((_, c) => {
  const ch = String.fromCharCode(c)
  if (!isRunChar(ch)) return 0
  return RUN | (ch !== ch.toUpperCase() ? LOWER : 0) | (ch !== ch.toLowerCase() ? UPPER : 0)
})

/**
 * The last leetspeak run `decideRun` looked at: where it ends (`to`, in input units), how it folds, and
 * `[core, coreEnd)`: from its first character that is not "!" to the end of its last (a "!" folds only inside).
 */
interface Decided {
  to: number
  folds: number
  core: number
  coreEnd: number
}

// Per ASCII unit, for the scan: what separators and leet make of it.
/** A token character (leetspeak symbols included). Must be 1: it is the token length. */
const TOKEN = 1
/** Whitespace. */
const WHITE = 2
/** A line break or the end of a sentence or clause. */
const END = 4
/** A leetspeak character. */
const LEET_CHAR = 8
const ASCII = new Uint8Array(128).map((_, c) =>
  (tokenAt(String.fromCharCode(c), 0, true) === 1 ? TOKEN : 0) | (isWhitespace(c) ? WHITE : 0) |
    (isClauseEnd(c) ? END : 0) | (c <= 0x40 && LEET_LOWER[c] !== 0 ? LEET_CHAR : 0),
)

/**
 * What the scan noted, in text order: each code point equal to the one before it (or perhaps equal: a
 * few are not), and each leetspeak character, with their counts. Scratch of one fused stage, reused.
 */
interface Noted {
  markAt: Int32Array
  leetAt: Int32Array
  marks: number
  leets: number
}

/**
 * The separators analysis of `text` (the tokens and gap facts separators' own `findTokens` gives, with
 * `@ $` as letters, in `lists`) in one pass that also notes the code points equal to the one before and
 * the leetspeak characters (in `noted`). Returns the token count.
 */
function scan(lists: Gaps, noted: Noted, text: string): number {
  const n = text.length
  lists.reserve(n)
  if (noted.markAt.length <= n) {
    noted.markAt = new Int32Array(n * 2 + 2)
    noted.leetAt = new Int32Array(n * 2 + 2)
  }
  const { start: starts, end: ends, single: singles, gaps: facts } = lists
  const marks = noted.markAt
  const leets = noted.leetAt
  let count = 0
  let m = 0
  let l = 0
  // The unit before i; the unit at i, and its token length (0: a separator).
  let prev = -1
  let c = unitOrNaN(text, 0)
  let len = n === 0 ? 0 : c < 0x80 ? ASCII[c]! & TOKEN : tokenAt(text, 0, true)
  for (let i = 0; i < n;) {
    // A gap, unit by unit (empty before a first token at 0).
    const gapStart = i
    let points = 0
    let blank = true
    let spaced = false
    let end = false
    while (len === 0) {
      // Equal to the unit before; or the low half of a pair, perhaps equal to the pair before.
      if (c === prev) marks[m++] = i
      else if ((c & 0xfc00) === 0xdc00 && c === unitOrNaN(text, i - 2)) marks[m++] = i - 1
      const cls = c < 0x80 ? ASCII[c]! : (isWhitespace(c) ? WHITE : 0) | (isClauseEnd(c) ? END : 0)
      if ((cls & LEET_CHAR) !== 0) leets[l++] = i
      if ((c & 0xfc00) !== 0xdc00) points++
      blank &&= (cls & WHITE) !== 0
      spaced ||= (cls & WHITE) !== 0
      end ||= (cls & END) !== 0
      prev = c
      if (++i === n) break
      c = unitAt(text, i)
      len = c < 0x80 ? ASCII[c]! & TOKEN : tokenAt(text, i, true)
    }
    if (i === n) break
    if (count > 0) facts[count - 1] = gapFacts(text, gapStart, i, points, blank, spaced, end)
    starts[count] = i
    // A token, code point by code point.
    let points2 = 0
    while (len > 0) {
      if (c === prev) marks[m++] = i
      else if (len === 2 && unitOrNaN(text, i + 1) === prev && c === unitOrNaN(text, i - 2)) marks[m++] = i
      if (c < 0x80 && (ASCII[c]! & LEET_CHAR) !== 0) leets[l++] = i
      prev = len === 2 ? unitAt(text, i + 1) : c
      i += len
      points2++
      if (i === n) break
      c = unitAt(text, i)
      len = c < 0x80 ? ASCII[c]! & TOKEN : tokenAt(text, i, true)
    }
    ends[count] = i
    singles[count++] = points2 === 1 ? 1 : 0
  }
  noted.marks = m
  noted.leets = l
  return count
}

/**
 * Decide the leetspeak run around the leetspeak character at input unit `p`, in the text as separators
 * leaves it: a run goes on across the gaps separators removes (`edits` of them in `lists`, the first
 * after `p` being the `next`-th). Sets `decided`.
 */
function decideRun(lists: Gaps, decided: Decided, text: string, p: number, next: number, edits: number): void {
  const { from, to, fold } = lists
  // Back and forth from p over run characters; `inner` and `outer` bound the removed gaps inside. An
  // ASCII run is judged by the case bits of its letters; any other by its string, as leet does.
  let cases = 0
  let ascii = true
  let s = p
  let inner = next
  // The characters that are not "!": the leftmost and the nearest end before p, the first and last end after.
  const bang = unitOrNaN(text, p) === 0x21
  let leftmost = -1
  let nearestEnd = -1
  let firstAfter = -1
  let lastEnd = -1
  for (let b = next - 1, q = p; q > 0;) {
    if (b >= 0 && to[b] === q) {
      if (fold[b] === 1) break
      q = from[b--]!
      continue
    }
    const c = unitOrNaN(text, q - 1)
    const end = q
    if (c < 0x80) {
      if (RUN_ASCII[c] === 0) break
      cases |= RUN_ASCII[c]!
      q--
    } else {
      const ch = codePointBefore(text, q)
      if (!isRunChar(ch)) break
      ascii = false
      q -= ch.length
    }
    if (c !== 0x21) {
      leftmost = q
      if (nearestEnd < 0) nearestEnd = end
    }
    s = q
    inner = b + 1
  }
  let e = p + 1
  let outer = next
  for (let f = next, q = e; q < text.length;) {
    if (f < edits && from[f] === q) {
      if (fold[f] === 1) break
      q = to[f++]!
      continue
    }
    const c = unitOrNaN(text, q)
    const start = q
    if (c < 0x80) {
      if (RUN_ASCII[c] === 0) break
      cases |= RUN_ASCII[c]!
      q++
    } else {
      const ch = codePointAt(text, q)
      if (!isRunChar(ch)) break
      ascii = false
      q += ch.length
    }
    if (c !== 0x21) {
      if (firstAfter < 0) firstAfter = start
      lastEnd = q
    }
    e = q
    outer = f
  }
  decided.to = e
  decided.core = leftmost >= 0 ? leftmost : !bang ? p : firstAfter >= 0 ? firstAfter : e
  decided.coreEnd = lastEnd >= 0 ? lastEnd : !bang ? p + 1 : nearestEnd >= 0 ? nearestEnd : s
  if (ascii) {
    decided.folds = (cases & (LOWER | UPPER)) === 0 ? KEEP : (cases & LOWER) === 0 ? UPPER : LOWER
  } else {
    let run = ''
    let q = s
    for (let k = inner; k < outer; k++) {
      run += text.slice(q, from[k])
      q = to[k]!
    }
    run += text.slice(q, e)
    decided.folds = !hasLatin(run, 0, run.length) ? KEEP : isUpperRun(run) ? UPPER : LOWER
  }
  if (decided.folds === KEEP) return
  // Letters then digits are a code, not leetspeak ("A55"), nor is a number with a unit ("45s"): read the run from core to coreEnd, over the removed
  // gaps (none before core: a removed gap follows a token character, never a "!").
  let state = CODE_START
  let k = inner
  for (let q = decided.core; q < decided.coreEnd;) {
    if (k < outer && from[k] === q) {
      q = to[k++]!
      continue
    }
    state = CODE_NEXT[state * 2 + digit(unitOrNaN(text, q++))]!
  }
  if (IS_CODE[state] === 1) decided.folds = KEEP
}

/**
 * separators (with leetspeak symbols as letters), leet and repeats, in one: the same text, spans and
 * run lengths as `repeats()(leet()(separators({ leetSymbols: true })(input)))`.
 * @example fusedTail()(workspace.initialStage('f.u.u.c.k s00n')).text // 'fuck son'
 */
export function fusedTail(): (input: Stage) => RunStage {
  const lists = new Gaps()
  const collapser = new Collapser()
  const noted: Noted = { markAt: new Int32Array(256), leetAt: new Int32Array(256), marks: 0, leets: 0 }
  const decided: Decided = { to: 0, folds: KEEP, core: 0, coreEnd: 0 }
  return (input) => {
    const { text } = input
    const n = text.length
    const edits = decideGaps(lists, text, scan(lists, noted, text))
    const { from, to, fold } = lists
    const { markAt: marks, leetAt: leets, marks: markCount, leets: leetCount } = noted
    let parts: string[] | undefined
    let copiedTo = 0
    let notes = 0
    // The places to visit, each list's next one (n: none left), and the index of the next gap edit.
    let g = 0
    let nextGap = edits > 0 ? from[0]! : n
    let m = 0
    let nextMark = markCount > 0 ? marks[0]! : n
    let l = 0
    let nextLeet = leetCount > 0 ? leets[0]! : n
    // The code point after a removed gap or a folded leetspeak character.
    let follow = n
    // Where the units visited end. The state below is that of the text up to there.
    let done = 0
    // The last code point kept, as folded (its units; `low` -1 for one unit), and where it starts.
    let high = -1
    let low = -1
    let at = 0
    // The run of it being collapsed: its length (1: none) and where it ends.
    let run = 1
    let runEnd = 0
    // A removed gap not noted yet: if the code point after it repeats the one before, it is inside that run.
    let removedFrom = -1
    let removedTo = 0
    // The leetspeak run decided last: where it ends (input units), how it folds, and where a "!" may fold.
    let runTo = 0
    let runFolds = KEEP
    let runCore = 0
    let runCoreEnd = 0
    for (;;) {
      const i = Math.min(nextGap, nextMark, nextLeet, follow)
      if (i >= n) break
      if (i !== done) {
        // Kept code points since the last visit, none equal to the one before it: any run ended at the
        // first, and the last kept is the one before i.
        if (run > 1) collapser.note(notes++, at, runEnd, run)
        run = 1
        const b = unitOrNaN(text, i - 1)
        const pair = (b & 0xfc00) === 0xdc00 && i >= 2 && (unitOrNaN(text, i - 2) & 0xfc00) === 0xd800
        high = pair ? unitOrNaN(text, i - 2) : b
        low = pair ? b : -1
        at = pair ? i - 2 : i - 1
      }
      if (i === nextGap) {
        const end = to[g]!
        if (copiedTo < i) (parts ??= []).push(text.slice(copiedTo, i))
        if (fold[g] === 1) {
          // A space between two tokens: it ends any run, and none can follow it.
          if (run > 1) collapser.note(notes++, at, runEnd, run)
          run = 1
          collapser.note(notes++, i, end, SPACE)
          ;(parts ??= []).push(' ')
          high = 0x20
          low = -1
        } else {
          parts ??= []
          removedFrom = i
          removedTo = end
          follow = end
        }
        copiedTo = done = end
        nextGap = ++g < edits ? from[g]! : n
      } else {
        let c = unitAt(text, i)
        let d = -1
        let folded = false
        if ((c & 0xf800) === 0xd800) {
          if (pairAt(text, i)) d = unitAt(text, i + 1)
        } else if (c <= 0x40 && LEET_LOWER[c] !== 0) {
          // A trailing "!" (nothing that continues a run after it) never folds, nor decides its run.
          const after = i + 1 < n && i + 1 !== nextGap ? unitAt(text, i + 1) : 0x80
          if (i >= runTo && !(c === 0x21 && (i + 1 === n || (after < 0x80 && RUN_ASCII[after] === 0)))) {
            decideRun(lists, decided, text, i, g, edits)
            runTo = decided.to
            runFolds = decided.folds
            runCore = decided.core
            runCoreEnd = decided.coreEnd
          }
          if (i < runTo && runFolds !== KEEP && !(c === 0x21 && (i <= runCore || i >= runCoreEnd))) {
            c = runFolds === UPPER ? LEET_UPPER[c]! : LEET_LOWER[c]!
            folded = true
            follow = i + 1
          }
        }
        const len = d === -1 ? 1 : 2
        if (c === high && d === low) {
          // Repeats the code point kept last: dropped, and the run grows (over a removed gap, if one came between).
          run++
          removedFrom = -1
          if (copiedTo < i) (parts ??= []).push(text.slice(copiedTo, i))
          copiedTo = runEnd = i + len
        } else {
          if (run > 1) collapser.note(notes++, at, runEnd, run)
          run = 1
          if (removedFrom >= 0) collapser.note(notes++, removedFrom, removedTo, REMOVED)
          removedFrom = -1
          if (folded) {
            ;(parts ??= []).push(text.slice(copiedTo, i), String.fromCharCode(c))
            copiedTo = i + 1
          }
          high = c
          low = d
          at = i
        }
        done = i + len
      }
      // The places behind the units just visited are done with.
      while (nextMark < done) nextMark = ++m < markCount ? marks[m]! : n
      while (nextLeet < done) nextLeet = ++l < leetCount ? leets[l]! : n
      if (follow < done) follow = n
    }
    if (run > 1) collapser.note(notes++, at, runEnd, run)
    if (parts === undefined) return collapser.collapsed(text, input, 0)
    parts.push(text.slice(copiedTo))
    return collapser.collapsed(parts.join(''), input, notes)
  }
}
