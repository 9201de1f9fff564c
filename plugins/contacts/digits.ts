/**
 * Digits as users write them to slip past a filter, read back as ASCII digits: Chinese numerals (一三八,
 * 壹叁捌, 〇/零, 幺), and the circled and dingbat digits that compatibility folding leaves alone (❶, ➀, ⓵).
 * Full-width, circled (①) and superscript digits are already ASCII after the core's `compat` normaliser.
 * Every replacement is one code unit for one, so positions in the folded text are the normalised text's.
 * Then the chains of digits with up to two separators between them ("138 1234 5678", "1.3.8", "(010)"),
 * each kept as its groups, so a number can be read whole or as a run of its groups.
 * @module
 */

/** Each character that stands for a digit, by the digit it stands for. */
const NUMERALS: ReadonlyArray<string> = [
  '〇零０⓪⓿', // 0
  '一壹幺❶➀➊⓵', // 1
  '二贰貳❷➁➋⓶', // 2
  '三叁參叄❸➂➌⓷', // 3
  '四肆❹➃➍⓸', // 4
  '五伍❺➄➎⓹', // 5
  '六陆陸❻➅➏⓺', // 6
  '七柒❼➆➐⓻', // 7
  '八捌❽➇➑⓼', // 8
  '九玖❾➈➒⓽', // 9
]

const DIGIT_OF = new Map<string, string>()
NUMERALS.forEach((chars, digit) => {
  for (const ch of chars) DIGIT_OF.set(ch, String(digit))
})
/** Every character `foldNumerals` reads as a digit. */
export const NUMERAL_CHARS: string = [...DIGIT_OF.keys()].join('')
const NUMERAL = new RegExp(`[${NUMERAL_CHARS}]`, 'g')

/**
 * `text` with every numeral written as its ASCII digit; the same length (each numeral is one code unit).
 * @example foldNumerals('一三八 ❶❷') // '138 12'
 */
export function foldNumerals(text: string): string {
  NUMERAL.lastIndex = 0
  if (!NUMERAL.test(text)) return text
  return text.replace(NUMERAL, (ch) => DIGIT_OF.get(ch)!)
}

/** Characters allowed between two digits of one number (after compat folding: full-width ones are ASCII). */
const SEPARATORS = ' \t.-_·・()/~—–‐−*#'
/** At most this many separators between two digits of one number. */
const MAX_GAP = 2

const OTHER = 0
const DIGIT = 1
const LETTER = 2
const SEPARATOR = 3
/** The class of each BMP code unit: one lookup a character in the scan. */
const CLASS = new Uint8Array(0x10000)
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER
for (const ch of SEPARATORS) CLASS[ch.charCodeAt(0)] = SEPARATOR
/** The class of the code unit at `i` (OTHER past either end). */
const classAt = (text: string, i: number): number => (i >= 0 && i < text.length ? CLASS[text.charCodeAt(i)]! : OTHER)

/** A run of digits (and separators between them) in the folded text. */
export interface Chain {
  /** Start and end (exclusive) of each group of digits, in the folded text. */
  readonly groups: ReadonlyArray<readonly [number, number]>
  /** The digits of every group, concatenated (an id number's final `x` included). */
  readonly digits: string
  /** Where each group starts in `digits`, one more entry at the end for its length. */
  readonly offsets: readonly number[]
  /** Written after a `+` (an international number). */
  readonly plus: boolean
  /** Where the number starts when read from its first group: its `+` or opening bracket included. */
  readonly start: number
}

/**
 * Latin words after which a number is still read: a cue glued to it ("vx13812345678", "tel.0101234567").
 * Any other letter before a digit makes the digits part of a code ("A1380013800", "iphone15").
 */
const GLUED_CUES = new Set(['v', 'vx', 'wx', 'q', 'qq', 'tel', 'phone', 'mobile', 'call', 'weixin', 'wechat', 'id', 'no', 'dh', 'sj'])

/**
 * The chains of `folded` (lower-case, numerals folded). A chain right after a Latin letter that is not a
 * cue is skipped, and a last group glued to a letter after it is left out: both belong to codes such as
 * order numbers ("DD20240501138123", "2024abc").
 * @example chains('call 138-1234-5678')[0].digits // '13812345678'
 */
export function chains(folded: string): Chain[] {
  const out: Chain[] = []
  const n = folded.length
  let i = 0
  while (i < n) {
    if (CLASS[folded.charCodeAt(i)] !== DIGIT) {
      i++
      continue
    }
    // Glued to a word before it?
    let w = i
    while (classAt(folded, w - 1) === LETTER) w--
    const glued = w < i && !GLUED_CUES.has(folded.slice(w, i))
    const groups: Array<[number, number]> = []
    let j = i
    for (;;) {
      const start = j
      while (classAt(folded, j) === DIGIT) j++
      groups.push([start, j])
      let k = j
      while (k - j < MAX_GAP && classAt(folded, k) === SEPARATOR) k++
      if (k === j || classAt(folded, k) !== DIGIT) break
      j = k
    }
    const after = classAt(folded, j)
    // An id number's check character: a final x, not glued to a word.
    if (folded.charCodeAt(j) === 120 && classAt(folded, j + 1) !== LETTER && classAt(folded, j + 1) !== DIGIT) groups[groups.length - 1]![1] = ++j
    else if (after === LETTER) groups.pop()
    if (glued) {
      // Skip the rest of the code too.
      while (classAt(folded, j) === DIGIT || classAt(folded, j) === LETTER) j++
      i = j
      continue
    }
    i = j
    if (groups.length === 0) continue
    let digits = ''
    const offsets: number[] = []
    for (let g = 0; g < groups.length; g++) {
      offsets.push(digits.length)
      digits += folded.slice(groups[g]![0], groups[g]![1])
    }
    offsets.push(digits.length)
    let start = groups[0]![0]
    if (folded.charCodeAt(start - 1) === 40) start--
    let p = start - 1
    if (folded.charCodeAt(p) === 32) p--
    const plus = folded.charCodeAt(p) === 43
    out.push({ groups, digits, offsets, plus, start: plus ? p : start })
  }
  return out
}
