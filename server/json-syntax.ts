/**
 * Where a JSON text stops being JSON, as a line and column with the line itself — for config files, which
 * people edit by hand. `JSON.parse` reports a byte position on some inputs and none on others (and its
 * wording changes between Node versions), so the position comes from a small scanner of JSON's grammar; the
 * common slips (a trailing comma, a comment, single quotes) get a sentence of their own.
 *
 * @module
 */

/**
 * A JSON syntax error located in its text.
 * @example const { line, column, reason, excerpt }: JsonSyntaxError = locateJsonError(text, err)
 */
export interface JsonSyntaxError {
  /** 1-based line of the first character that is not JSON. */
  line: number
  /** 1-based column (in UTF-16 code units) of that character. */
  column: number
  /** What is wrong there, as a lower-case clause. */
  reason: string
  /** The line with a caret under the column, indented for printing under a message. */
  excerpt: string
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y

/**
 * The offset of the first character of `text` that is not JSON, or `text.length` when the text ends too
 * early; -1 when `text` is one valid JSON value.
 *
 * @example firstJsonError('{"a": 1,}') // 8
 */
export function firstJsonError(text: string): number {
  let i = 0
  const fail = (): never => {
    throw new SyntaxAt(i)
  }
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const string = () => {
    i++ // the opening quote
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) fail()
      if (c === 0x22) return void i++
      if (c === 0x5c) {
        ESCAPE.lastIndex = ++i
        if (!ESCAPE.test(text)) fail()
        i = ESCAPE.lastIndex
      } else {
        i++
      }
    }
  }
  const members = (close: string, member: () => void) => {
    i++ // the opening bracket
    space()
    if (text[i] === close) return void i++
    for (;;) {
      member()
      space()
      if (text[i] === ',') i++
      else if (text[i] === close) return void i++
      else fail()
    }
  }
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{') {
      return members('}', () => {
        space()
        if (text[i] !== '"') fail()
        string()
        space()
        if (text[i] !== ':') fail()
        i++
        value()
      })
    }
    if (c === '[') return members(']', value)
    if (c === '"') return string()
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length)
    NUMBER.lastIndex = i
    if (!NUMBER.test(text)) fail()
    i = NUMBER.lastIndex
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return -1
  } catch (err) {
    // A RangeError from nesting deeper than the stack: no position to give but the end.
    return err instanceof SyntaxAt ? err.offset : text.length
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

/**
 * Locate the syntax error in `text` that `JSON.parse` reported as `err`.
 *
 * @example
 * try { JSON.parse(text) } catch (err) { const { line, column, reason } = locateJsonError(text, err as Error) }
 */
export function locateJsonError(text: string, err: Error): JsonSyntaxError {
  const found = firstJsonError(text)
  const offset = found < 0 ? text.length : found
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const lineStart = before.lastIndexOf('\n') + 1
  const column = offset - lineStart + 1
  const lineEnd = text.indexOf('\n', offset)
  const source = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '')
  const gutter = String(line).length
  const excerpt = `  ${line} | ${source}\n  ${' '.repeat(gutter)} | ${' '.repeat(column - 1)}^`
  return { line, column, reason: reasonAt(text, offset, err), excerpt }
}

function reasonAt(text: string, offset: number, err: Error): string {
  const c = text[offset]
  if (offset >= text.length) return text.trim() === '' ? 'the file is empty' : 'the text ends before the JSON value does (a missing } or ])'
  if ((c === '}' || c === ']') && /,\s*$/.test(text.slice(0, offset))) return `a trailing comma before ${c} (JSON allows none)`
  if (c === '/' && (text[offset + 1] === '/' || text[offset + 1] === '*')) return 'a comment (JSON allows none)'
  if (c === "'") return 'a single-quoted string (JSON strings use double quotes)'
  // V8's own wording, without the position (given as line and column instead) or its echo of the input.
  const reason = err.message
    .replace(/\s*(?:in JSON\s*)?at position \d+(?: \(line \d+ column \d+\))?/, '')
    .replace(/, ".*" is not valid JSON$/s, '')
  return reason.charAt(0).toLowerCase() + reason.slice(1)
}
