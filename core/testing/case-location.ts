/**
 * Where a `testPlugin` case is written, so its failure points there and not into presend: the caller's frame
 * from a stack trace (source-mapped when the runner maps TypeScript), then, in that file from that line on,
 * the string literal of each case's name. A name built at run time (cases read from a fixture) is not in the
 * source; such a case is placed at the `testPlugin` call.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * A place in a source file, as a stack frame shows it.
 * @example const at: SourceLocation = { file: 'file:///work/pack/test/index.test.js', line: 12, column: 7 }
 */
export interface SourceLocation {
  /** The file as the stack names it: a path or a `file:` URL. */
  file: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

/** This folder: frames in it are presend's testing kit, not the caller. */
const KIT_DIR = path.dirname(fileURLToPath(import.meta.url))

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/

/**
 * The first frame of `stack` outside presend's testing kit and Node's internals: where the kit was called.
 *
 * @example callerLocation(new Error().stack) // { file: '/work/pack/test/index.test.js', line: 12, column: 1 }
 */
export function callerLocation(stack: string | undefined): SourceLocation | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = FRAME.exec(line)
    if (match === null) continue
    const [, file, row, column] = match as unknown as [string, string, string, string]
    if (file.startsWith('node:') || path.dirname(toPath(file)) === KIT_DIR) continue
    return { file, line: Number(row), column: Number(column) }
  }
  return undefined
}

function toPath(file: string): string {
  return file.startsWith('file:') ? fileURLToPath(file) : file
}

/**
 * For each case name, in order, where it is written in the file of `call`, from `call`'s line on; the call
 * itself for a name not found there (or when the file cannot be read).
 *
 * @example caseLocations({ file: 'test.js', line: 3, column: 1 }, ['quiet text passes', 'shouting'])
 */
export function caseLocations(call: SourceLocation, names: readonly string[]): SourceLocation[] {
  let source: string
  try {
    source = readFileSync(toPath(call.file), 'utf8')
  } catch {
    return names.map(() => call)
  }
  const lineStarts = [0]
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  let cursor = lineStarts[call.line - 1] ?? source.length
  return names.map((name) => {
    const found = literals(name)
      .map((literal) => source.indexOf(literal, cursor))
      .filter((at) => at >= 0)
    if (found.length === 0) return call
    const at = Math.min(...found)
    cursor = at + 1
    let line = lineStarts.length
    while (lineStarts[line - 1]! > at) line--
    return { file: call.file, line, column: at - lineStarts[line - 1]! + 1 }
  })
}

/** The ways a name can be written as a string literal in JavaScript or TypeScript source. */
function literals(name: string): string[] {
  const escaped = name.replace(/\\/g, '\\\\')
  return [`'${escaped.replace(/'/g, "\\'")}'`, JSON.stringify(name), `\`${escaped.replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``]
}
