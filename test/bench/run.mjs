// `npm run bench`: every benchmark in one run on this machine, written into BENCHMARKS.md.
//
// 1. Server: autocannon from a second process (50 connections, 10 s, a seed-style payload with ~100
//    characters of mixed-script text) against (a) a bare Fastify route — the floor — (b) `presend serve`
//    with the embedded default config, (c) with a 10k-term and (d) a 100k-term profanity list, and
//    (e) the default config on 2 workers (node:cluster); and, to calibrate, the bare route with 10 µs of
//    busy work a request (what a known cost does to throughput here). Ratios are to (a), in the same run.
// 2. Matcher: `test/bench/matcher.ts` (both engines, 1k / 10k / 100k terms).
// 3. Pipeline in process: messages/s of the default pipeline without HTTP, and each plugin's cost.
//
// Flags (`--help` lists them): --quick (3 s runs, one round, for trying the harness), --rounds=N (server
// rounds, default 3), --no-server, --no-matcher, --no-pipeline. BENCHMARKS.md gets a new header and the
// sections this run measured; a section it skipped stays as the previous run wrote it, and the hand-written
// notes below the marker are always kept.
// Measures the built package (dist/), which is what `npm start` runs: `npm run build` first.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseFlags, usageError, whole } from './flags.mjs'

// Everything below this line in BENCHMARKS.md is written by hand (analysis, profiles, before/after) and kept.
const NOTES = '<!-- notes: written by hand, kept by npm run bench -->'
/**
 * The generated sections of BENCHMARKS.md, in the order they stand there, each beginning with a line that starts
 * with its heading; renderSections writes these headings and nothing else in the file starts a line with them.
 */
const SECTIONS = [
  { key: 'server', heading: '## Server' },
  { key: 'matcher', heading: '## Matcher' },
  { key: 'pipeline', heading: '## Pipeline in process' },
]
const heading = Object.fromEntries(SECTIONS.map((s) => [s.key, s.heading]))

const flags = parseFlags({
  usage: ['npm run bench -- [flags]  (builds first)', 'node test/bench/run.mjs [flags]  (after npm run build)'],
  about: `
Every benchmark in one run on this machine, against the built package (dist/): the server under
autocannon (a bare Fastify route, and the same with 10 µs of busy work a request to calibrate;
presend serve with no plugins, the default config, 10k and 100k terms, 2 workers; in rounds, as
ratios to the bare route), the matcher engines (test/bench/matcher.ts) and the pipeline in process.
About 6 minutes with the 3 rounds of the default; each further round adds about 1.5 (7 rounds took
12 and 14 minutes in two runs on 2026-11-27).

Rewrites BENCHMARKS.md above the line
  ${NOTES}
with a new header and the sections this run measured; a section it skips (--no-...) stays as the
previous run wrote it, and the hand-written notes below that line are always kept.`,
  flags: {
    quick: { type: 'boolean', help: 'to try the harness: 3 s server runs, one round, shorter matcher and pipeline runs' },
    rounds: { type: 'string', value: 'N', help: 'server rounds, every server once a round', defaultText: '3; 1 with --quick' },
    'no-server': { type: 'boolean', help: 'skip the server benchmark; its section stays as it was' },
    'no-matcher': { type: 'boolean', help: 'skip the matcher benchmark; its section stays as it was' },
    'no-pipeline': { type: 'boolean', help: 'skip the pipeline benchmark; its section stays as it was' },
  },
})
const quick = flags.quick === true
const rounds = flags.rounds === undefined ? (quick ? 1 : 3) : whole('rounds', flags.rounds)
const measure = { server: !flags['no-server'], matcher: !flags['no-matcher'], pipeline: !flags['no-pipeline'] }
if (!measure.server && !measure.matcher && !measure.pipeline) usageError('--no-server, --no-matcher and --no-pipeline together leave nothing to measure')

// Imported once the flags are good: they read dist/, which --help and a mistyped flag do not need.
const { makeTerms, payload } = await import('./data.mjs')
const { bareServer, cli, CLOCK_TICKS, connections, cpuTicks, here, load, root, runNode, startServer } = await import('./servers.mjs')
const seconds = quick ? 3 : 10
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-bench-'))

async function measureServer(label, argv) {
  const startedAt = performance.now()
  const { port, child, stop } = await startServer(argv, { cwd: tmp })
  try {
    const readyMs = performance.now() - startedAt
    const bodyFile = path.join(tmp, 'payload.json')
    await load(port, bodyFile, 2) // warm-up: JIT, pools, caches
    const before = await cpuTicks(child.pid)
    const r = await load(port, bodyFile, seconds)
    const cpuUs = (((await cpuTicks(child.pid)) - before) * 1e6) / CLOCK_TICKS / Math.max(1, r.requests)
    const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)]).toString().trim()) / 1024
    console.error(
      `${label}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}, ${cpuUs.toFixed(1)} µs CPU/request`,
    )
    return { label, readyMs, rssMb: rss, cpuUs, ...r }
  } finally {
    await stop()
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** One server's rounds: medians, each round's ratio to the bare route of the same round, the worst p99. */
function summarise(label, rows, bare) {
  const ratios = rows.map((r, i) => r.rps / bare[i].rps)
  return {
    label,
    rps: median(rows.map((r) => r.rps)),
    ratio: median(ratios),
    ratios,
    p50: median(rows.map((r) => r.p50)),
    p99: median(rows.map((r) => r.p99)),
    cpuUs: median(rows.map((r) => r.cpuUs)),
    cpuRatio: median(rows.map((r, i) => bare[i].cpuUs / r.cpuUs)),
    worstP99: Math.max(...rows.map((r) => r.p99)),
    errors: rows.reduce((n, r) => n + r.errors, 0),
    non2xx: rows.reduce((n, r) => n + r.non2xx, 0),
    requests: rows.reduce((n, r) => n + r.requests, 0),
    rssMb: Math.max(...rows.map((r) => r.rssMb)),
    readyMs: median(rows.map((r) => r.readyMs)),
  }
}

async function writeConfig(name, plugins) {
  const file = path.join(tmp, `${name}.json`)
  await writeFile(file, JSON.stringify({ plugins }))
  return file
}

const results = { server: undefined, matcher: undefined, pipeline: undefined }
/**
 * The calibration row's extra work a request, in µs of busy-waiting: about what a ratio of 0.70 leaves a
 * server on these machines (10–12 µs in a 2026-11-27 sweep), so the row shows in the same run what the target
 * asks for, and the default config's ratio to it says whether presend costs more or less than that.
 */
const BUSY_US = 10

if (measure.server) {
  await writeFile(path.join(tmp, 'payload.json'), JSON.stringify(payload()))
  const terms10k = path.join(tmp, 'terms-10k.txt')
  const terms100k = path.join(tmp, 'terms-100k.txt')
  await writeFile(terms10k, makeTerms(10_000).join('\n'))
  await writeFile(terms100k, makeTerms(100_000).join('\n'))
  const { defaultConfig: defaults } = await import(path.join(root, 'dist/server/config.js'))
  const withList = (file) =>
    defaults.plugins.map((p) => (p.use === 'profanity' ? { ...p, options: { ...p.options, files: [file] } } : p))
  const servers = [
    ['bare Fastify route', [bareServer]],
    [`bare Fastify route + ${BUSY_US} µs of busy work a request (calibration)`, [bareServer, `--busy-us=${BUSY_US}`]],
    ['presend serve, no plugins (the route alone)', [cli, 'serve', '--config', await writeConfig('none', [])]],
    ['presend serve, default config', [cli, 'serve']],
    ['presend serve, + 10k-term list', [cli, 'serve', '--config', await writeConfig('c10k', withList(terms10k))]],
    ['presend serve, + 100k-term list', [cli, 'serve', '--config', await writeConfig('c100k', withList(terms100k))]],
    ['presend serve, default config, 2 workers', [cli, 'serve', '--workers', '2']],
  ]
  // Rounds: every server once per round, so a slow spell of this shared machine lowers one round of every
  // ratio rather than one server's figure; the order reverses every other round, so no server always runs
  // right after the same one. Each ratio is to the bare route of its own round; the table shows the median.
  const runs = servers.map(() => [])
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round} of ${rounds}`)
    const order = servers.map((_, i) => i)
    if (round % 2 === 0) order.reverse()
    for (const i of order) runs[i].push(await measureServer(servers[i][0], servers[i][1]))
  }
  results.server = servers.map(([label], i) => summarise(label, runs[i], runs[0]))
}

if (measure.matcher) {
  const out = path.join(tmp, 'matcher.json')
  execFileSync('npm', ['run', '--silent', 'bench:matcher', '--', '--json', out, ...(quick ? ['--quick'] : [])], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  results.matcher = JSON.parse(await readFile(out, 'utf8'))
}

if (measure.pipeline) {
  results.pipeline = JSON.parse(await runNode(path.join(here, 'pipeline.mjs'), quick ? ['--quick'] : []))
}

// BENCHMARKS.md: the header, the sections in the order of SECTIONS, a blank line, then the marker and the notes.
const report = path.join(root, 'BENCHMARKS.md')
const previous = await readFile(report, 'utf8').catch(() => '')
const notes = previous.includes(NOTES) ? previous.slice(previous.indexOf(NOTES)) : `${NOTES}\n`
const fresh = renderSections(results)
const earlier = previousSections(previous)
const kept = SECTIONS.filter((s) => fresh[s.key] === undefined && earlier[s.key] !== undefined)
const missing = SECTIONS.filter((s) => fresh[s.key] === undefined && earlier[s.key] === undefined)
const sections = SECTIONS.map((s) => fresh[s.key] ?? earlier[s.key] ?? '').join('')
await writeFile(report, `${renderHeader(kept)}${sections}\n${notes}`)
if (kept.length) console.error(`kept from the previous BENCHMARKS.md (not measured in this run): ${kept.map((s) => s.key).join(', ')}`)
if (missing.length) console.error(`not measured and not in the previous BENCHMARKS.md, so left out: ${missing.map((s) => s.key).join(', ')}`)
console.error(`wrote ${report}`)

/**
 * The generated sections of the previous BENCHMARKS.md by key, each byte for byte as it stands there: from the
 * line that starts with its heading to the next section's heading, or to the blank line written before the
 * marker. None from a file without the marker: this script did not write it.
 */
function previousSections(text) {
  const sections = {}
  const end = text.indexOf(NOTES)
  if (end < 0) return sections
  // The generated part ends with the line break written before the marker, which belongs to no section.
  const generated = text.slice(0, end).replace(/\n$/, '')
  let key
  for (const line of generated.split(/(?<=\n)/)) {
    key = SECTIONS.find((s) => line.startsWith(s.heading))?.key ?? key
    if (key !== undefined) sections[key] = (sections[key] ?? '') + line
  }
  return sections
}

/** The header: the date, the machine and the package versions; and which sections are older than the date. */
function renderHeader(kept) {
  const pkg = (name) => JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(require('${name}/package.json'))`], { cwd: root }).toString()).version
  const cpus = os.cpus()
  const date = new Date().toISOString().slice(0, 10)
  const older = kept.length === 0 ? '' : `; the ${kept.map((s) => s.key).join(' and ')} section${kept.length === 1 ? ' is' : 's are'} kept from an earlier run`
  const lines = ['# Benchmarks', '']
  lines.push(`Measured by \`npm run bench\` (test/bench/run.mjs) on ${date}${older}.`, '')
  lines.push('| machine | value |', '|---|---|')
  lines.push(`| CPU | ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} |`)
  lines.push(`| memory | ${Math.round(os.totalmem() / 2 ** 30)} GiB |`)
  lines.push(`| OS | ${os.type()} ${os.release()} |`)
  lines.push(`| Node | ${process.version} |`)
  lines.push(`| packages | presend ${pkg('./')}, fastify ${pkg('fastify')}, zod ${pkg('zod')}, ahocorasick ${pkg('ahocorasick')}, autocannon ${pkg('autocannon')} |`)
  lines.push('')
  lines.push('The load generator runs on the same 2-core machine as the server, so absolute numbers are low; the')
  lines.push('ratios to the bare Fastify route, measured in the same run, are what the targets are about.', '')
  return lines.join('\n') + '\n'
}

/** The sections this run measured, by key; each ends with a blank line. */
function renderSections({ server, matcher, pipeline }) {
  const out = {}
  if (server) {
    const lines = []
    lines.push(`${heading.server} (autocannon, ${connections} connections, ${seconds} s after a 2 s warm-up, ${rounds} round${rounds === 1 ? '' : 's'})`, '')
    lines.push('Each round runs every server once (this order, reversed every other round); a ratio is to the bare route of the same round, and the')
    lines.push('table gives the median over the rounds (req/s, ratio, p50, p99) next to each round\'s ratio and the worst p99.', '')
    lines.push('| server | req/s | ratio to bare | ratio per round | p50 ms | p99 ms | worst p99 ms | requests | errors | non-2xx | RSS MB | ready in ms |')
    lines.push('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const r of server) {
      lines.push(
        `| ${r.label} | ${Math.round(r.rps)} | ${r.ratio.toFixed(2)} | ${r.ratios.map((x) => x.toFixed(2)).join(' / ')} | ${r.p50} | ${r.p99} | ${r.worstP99} | ${r.requests} | ${r.errors} | ${r.non2xx} | ${Math.round(r.rssMb)} | ${Math.round(r.readyMs)} |`,
      )
    }
    lines.push('')
    lines.push('The same runs seen from the server side: CPU time (user + system, the workers included) the server spent per')
    lines.push('request answered, from /proc. It does not depend on how much of the machine the load generator took, so it shows')
    lines.push('what presend itself costs; "bare / this" is the bare route\'s CPU per request over this server\'s, the median over')
    lines.push('the rounds (the throughput a server would reach, relative to bare, if it had a core to itself).', '')
    lines.push('| server | CPU µs per request | bare / this |')
    lines.push('|---|---:|---:|')
    for (const r of server) lines.push(`| ${r.label} | ${r.cpuUs.toFixed(1)} | ${r.cpuRatio.toFixed(2)} |`)
    lines.push('')
    const by = (s) => server.find((r) => r.label.includes(s))
    const def = by('default config')
    const big = by('100k')
    lines.push('Targets: default ≥ 0.70 of bare and p99 ≤ 10 ms; 100k terms ≥ 0.50 of bare; zero errors.', '')
    if (quick) {
      lines.push(
        'This was a --quick run (3 s rounds, to try the harness): one short round on a shared machine moves these ratios',
        'more than the targets\' margins, so "met" and "missed" below judge nothing. Run `npm run bench` for the medians.',
        '',
      )
    }
    lines.push(`- default: ${def.ratio.toFixed(2)} of bare, p99 ${def.p99} ms — ${def.ratio >= 0.7 && def.p99 <= 10 ? 'met' : 'missed'}`)
    lines.push(`- 100k terms: ${big.ratio.toFixed(2)} of bare — ${big.ratio >= 0.5 ? 'met' : 'missed'}`)
    // The pipeline's own share: the route alone shares the spell of each round with the default server.
    const alone = by('no plugins')
    const share = def.ratios.map((x, i) => x / alone.ratios[i])
    lines.push(
      `- the default config against the route alone (no plugins) of the same round: ${median(share).toFixed(2)} ` +
        `(${share.map((x) => x.toFixed(2)).join(' / ')}) — what the plugins cost, moved less by the machine's spell than the ratios to bare`,
    )
    const busy = by('busy work')
    const againstBusy = def.ratios.map((x, i) => x / busy.ratios[i])
    lines.push(
      `- the bare route with ${BUSY_US} µs of busy work a request: ${busy.ratio.toFixed(2)} of bare (${busy.ratios.map((x) => x.toFixed(2)).join(' / ')}); ` +
        `the default config against it: ${median(againstBusy).toFixed(2)} (${againstBusy.map((x) => x.toFixed(2)).join(' / ')}) — ` +
        `above 1, presend's whole cost a request (route and plugins) is less than ${BUSY_US} µs of work on this machine`,
    )
    lines.push(`- errors and non-2xx across all runs: ${server.reduce((n, r) => n + r.errors + r.non2xx, 0)}`)
    lines.push('')
    out.server = lines.join('\n') + '\n'
  }
  if (matcher) out.matcher = [heading.matcher, '', matcher.markdown, ''].join('\n') + '\n'
  if (pipeline) out.pipeline = [`${heading.pipeline} (no HTTP)`, '', pipeline.markdown, ''].join('\n') + '\n'
  return out
}
