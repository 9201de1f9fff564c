// Shared by the bench scripts (run.mjs, profile.mjs, matcher.ts, pipeline.mjs, soak.mjs): their flags,
// parsed with node:util parseArgs (strict, no positionals), -h/--help, and the one-sentence error for a
// flag they do not know or a value they cannot use. Call parseFlags before any work (or any import of
// dist/), so that --help and a mistyped flag cost nothing.
import { parseArgs } from 'node:util'

const HINT = 'run with --help to see the flags.'

/**
 * Exits 2 after printing `problem` and the hint to look at --help, as one sentence on stderr: for a flag value
 * the script cannot use.
 */
export function usageError(problem) {
  process.stderr.write(`${problem}; ${HINT}\n`)
  process.exit(2)
}

/** parseArgs' error as one sentence of ours: which flag or argument, and what was wrong with it. */
function describe(err, flags) {
  const quoted = (/'([^']*)'/.exec(err.message)?.[1] ?? '').replace(/ <value>$/, '')
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown flag ${quoted}`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument '${quoted}' (this script takes only flags)`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(err.message) ? `Flag ${quoted} takes no value` : `Flag ${quoted} needs a value, as in ${quoted}=${flags[quoted.slice(2)]?.value ?? 'VALUE'}`
    default:
      return err.message.split('\n')[0].replace(/\.$/, '')
  }
}

/** The help text: usage line, what the script does, then one line per flag with its default. */
function helpText({ usage, about, flags }) {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? `=${f.value ?? 'VALUE'}` : ''}`
    const fallback = f.defaultText ?? (f.default !== undefined ? String(f.default) : f.type === 'boolean' ? 'off' : undefined)
    return [left, `${f.help}${fallback === undefined ? '' : ` (default: ${fallback})`}`]
  })
  rows.push(['-h, --help', 'print this help and exit'])
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return [
    ...usage.map((u, i) => `${i === 0 ? 'Usage: ' : '   or: '}${u}`),
    '',
    about.trim(),
    '',
    'Flags:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
  ].join('\n')
}

/**
 * The script's flags from process.argv. `flags` are parseArgs options plus, for the help, `help` (what the flag
 * does), `value` (the placeholder of a string flag's value, as in --rounds=N) and `defaultText` (the default when
 * it is not `default`); `usage` are the command lines that run the script, `about` what it measures. With -h or
 * --help, prints the help on stdout and exits 0; with a flag it does not know, a value missing or a value given
 * to a switch, prints one sentence on stderr and exits 2. Returns parseArgs' `values`: checking them is the
 * caller's (with `usageError`, and the `whole`, `positive` helpers).
 */
export function parseFlags({ usage, about, flags }, argv = process.argv.slice(2)) {
  const options = { help: { type: 'boolean', short: 'h' } }
  for (const [name, { type, short, default: fallback }] of Object.entries(flags)) {
    options[name] = { type, ...(short && { short }), ...(fallback !== undefined && { default: fallback }) }
  }
  let values
  try {
    ;({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }))
  } catch (err) {
    if (typeof err?.code !== 'string' || !err.code.startsWith('ERR_PARSE_ARGS_')) throw err
    usageError(describe(err, flags))
  }
  if (values.help) {
    process.stdout.write(helpText({ usage, about, flags }))
    process.exit(0)
  }
  return values
}

/** `raw` (the value of --`name`) as a whole number of at least `min`; any other value is a usage error. */
export function whole(name, raw, min = 1) {
  const n = Number(raw)
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min) usageError(`--${name} takes a whole number of at least ${min}, not "${raw}"`)
  return n
}

/** `raw` (the value of --`name`) as a number greater than 0; any other value is a usage error. */
export function positive(name, raw) {
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) usageError(`--${name} takes a number greater than 0, not "${raw}"`)
  return n
}
