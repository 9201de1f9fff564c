// `npm run bench`: every benchmark in one run on this machine, written into BENCHMARKS.md.
//
// 1. Server: every server is started at once and serves for the whole run; autocannon, from a second process
//    (50 connections), loads one of them at a time in short slices, going round them cycle after cycle
//    (each cycle in another order), so a slow spell of this shared machine falls on all of them alike. The
//    load is the chat corpus (test/bench/corpus/, a few hundred messages sent in rotation); one row keeps the
//    old single payload for continuity. Servers: (a) a bare Fastify route — the floor — and a second bare
//    process (an A/B of one build against itself, which should read 1.00), (b) the bare route with 10 µs of
//    busy work a request (calibration), (c) `presend serve` with no plugins (the route alone), the embedded
//    default config, a 10k- and a 100k-term profanity list, the default config on 2 workers; with
//    --baseline=DIR also the route alone and the default config of another build (DIR, built), for a
//    before/after from the same run. Ratios are to (a) in the same cycle; the table gives medians and the
//    spread (min–max) over the cycles, and each server's CPU time per request (process.cpuUsage()).
// 2. Matcher: `test/bench/matcher.ts` (both engines, 1k / 10k / 100k terms).
// 3. Pipeline in process: messages/s of the default pipeline without HTTP, and each plugin's cost.
//
// Flags (`--help` lists them): --quick, --slices=N, --slice-seconds=N, --rows=LIST, --baseline=DIR,
// --no-server, --no-matcher, --no-pipeline. BENCHMARKS.md gets a new header and the sections this run
// measured; a section it skipped stays as the previous run wrote it, and the hand-written notes below the
// marker are always kept.
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

/**
 * The latency pass's load, requests a second: well under what every row answers at most (BENCHMARKS.md has
 * the figures), so each keeps up and its latency is its own, not the queue of a saturated server. At full
 * load the queue sets the latency (Little's law: the mean wait is the connections over the throughput), for
 * the bare route too.
 */
const LATENCY_RATE = 4000
/** Cycles of the latency pass (one with --quick). */
const LATENCY_CYCLES = 4

/** The server rows, by key: label, the server that answers, the load it gets. */
const ROW_KEYS = ['bare', 'bare-ab', 'busy', 'route', 'default', 'default-payload', '10k', '100k', 'workers', 'base-route', 'base-default']
const flags = parseFlags({
  usage: ['npm run bench -- [flags]  (builds first)', 'node test/bench/run.mjs [flags]  (after npm run build)'],
  about: `
Every benchmark in one run on this machine, against the built package (dist/): the servers under
autocannon, all serving at once, the load going round them in short slices (a bare Fastify route and a
second bare process as an A/B of itself; the bare route with 10 µs of busy work a request to calibrate;
presend serve with no plugins, the default config, 10k and 100k terms, 2 workers; with --baseline, the
route alone and the default config of another build), as ratios to the bare route of the same cycle,
then the latency of each at a fixed load (--rate);
the matcher engines (test/bench/matcher.ts) and the pipeline in process. The load is the chat corpus of
test/bench/corpus/ in rotation (one row: the old single payload). About 13 minutes with the defaults.

Rewrites BENCHMARKS.md above the line
  ${NOTES}
with a new header and the sections this run measured; a section it skips (--no-...) stays as the
previous run wrote it, and the hand-written notes below that line are always kept.`,
  flags: {
    quick: { type: 'boolean', help: 'to try the harness: 3 cycles of 1 s slices, shorter matcher and pipeline runs' },
    slices: { type: 'string', value: 'N', help: 'cycles: slices of load per server', defaultText: '16; 3 with --quick' },
    'slice-seconds': { type: 'string', value: 'N', help: 'seconds of load in one slice', defaultText: '2; 1 with --quick' },
    rows: { type: 'string', value: 'LIST', help: `the server rows, comma-separated, from ${ROW_KEYS.join(', ')}; bare is always measured`, defaultText: 'all but base-* (those with --baseline)' },
    warmup: { type: 'string', value: 'N', help: 'seconds of load each row gets before the first cycle (JIT, pools, caches)', defaultText: '3; 1 with --quick' },
    rate: { type: 'string', value: 'N', help: 'requests a second, in all, of the latency pass after the cycles (every row at this load, which each keeps up with); 0 skips it', defaultText: String(LATENCY_RATE) },
    baseline: { type: 'string', value: 'DIR', help: 'another build of presend (a checkout with dist/ built and its packages installed): adds its route alone and default config' },
    'no-server': { type: 'boolean', help: 'skip the server benchmark; its section stays as it was' },
    'no-matcher': { type: 'boolean', help: 'skip the matcher benchmark; its section stays as it was' },
    'no-pipeline': { type: 'boolean', help: 'skip the pipeline benchmark; its section stays as it was' },
  },
})
const quick = flags.quick === true
const slices = flags.slices === undefined ? (quick ? 3 : 16) : whole('slices', flags.slices)
const sliceSeconds = flags['slice-seconds'] === undefined ? (quick ? 1 : 2) : whole('slice-seconds', flags['slice-seconds'])
const warmup = flags.warmup === undefined ? (quick ? 1 : 3) : whole('warmup', flags.warmup)
const rate = flags.rate === undefined ? LATENCY_RATE : whole('rate', flags.rate, 0)
/** Cycles of the latency pass: none with --rate=0. */
const latencyCycles = rate === 0 ? 0 : quick ? 1 : LATENCY_CYCLES
const baseline = flags.baseline === undefined ? undefined : path.resolve(flags.baseline)
const rowKeys = flags.rows === undefined ? ROW_KEYS.filter((k) => baseline !== undefined || !k.startsWith('base-')) : ['bare', ...flags.rows.split(',').map((k) => k.trim()).filter((k) => k !== 'bare')]
for (const [i, key] of rowKeys.entries()) {
  if (!ROW_KEYS.includes(key)) usageError(`--rows names "${key}", which is not one of ${ROW_KEYS.join(', ')}`)
  if (rowKeys.indexOf(key) !== i) usageError(`--rows names "${key}" twice`)
  if (key.startsWith('base-') && baseline === undefined) usageError(`--rows names "${key}", which needs --baseline=DIR`)
}
const measure = { server: !flags['no-server'], matcher: !flags['no-matcher'], pipeline: !flags['no-pipeline'] }
if (!measure.server && !measure.matcher && !measure.pipeline) usageError('--no-server, --no-matcher and --no-pipeline together leave nothing to measure')

// Imported once the flags are good: they read dist/, which --help and a mistyped flag do not need.
const { corpus, corpusRequests, makeTerms, payload } = await import('./data.mjs')
const { bareServer, cli, CLOCK_TICKS, connections, cpuTicks, here, load, root, runNode, startServer } = await import('./servers.mjs')
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-bench-'))

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
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

if (measure.server) results.server = await measureServers()

/** min–max of `values`, each with `digits` decimals. */
function spread(values, digits = 2) {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
}

/**
 * The server rows: start every server they need at once, warm each up, then `slices` cycles in which each
 * row gets one slice of `sliceSeconds` of load; the order of a cycle rotates and reverses from one to the
 * next, so no row always follows the same one. A row's ratio in a cycle is its req/s over the bare row's in
 * that cycle.
 */
async function measureServers() {
  const files = {
    corpus: path.join(tmp, 'corpus.json'),
    payload: path.join(tmp, 'payload.json'),
  }
  await writeFile(files.corpus, JSON.stringify(corpusRequests()))
  await writeFile(files.payload, JSON.stringify(payload()))
  const terms10k = path.join(tmp, 'terms-10k.txt')
  const terms100k = path.join(tmp, 'terms-100k.txt')
  await writeFile(terms10k, makeTerms(10_000).join('\n'))
  await writeFile(terms100k, makeTerms(100_000).join('\n'))
  const { defaultConfig: defaults } = await import(path.join(root, 'dist/server/config.js'))
  const withList = (file) =>
    defaults.plugins.map((p) => (p.use === 'profanity' ? { ...p, options: { ...p.options, files: [file] } } : p))
  const none = await writeConfig('none', [])
  const baseCli = baseline === undefined ? undefined : path.join(baseline, 'dist/server/cli/main.js')
  // The processes, by key; a row names the one it loads.
  const SERVERS = {
    bare: () => [bareServer],
    'bare-ab': () => [bareServer],
    busy: () => [bareServer, `--busy-us=${BUSY_US}`],
    route: () => [cli, 'serve', '--config', none],
    default: () => [cli, 'serve'],
    '10k': async () => [cli, 'serve', '--config', await writeConfig('c10k', withList(terms10k))],
    '100k': async () => [cli, 'serve', '--config', await writeConfig('c100k', withList(terms100k))],
    workers: () => [cli, 'serve', '--workers', '2'],
    'base-route': () => [baseCli, 'serve', '--config', none],
    'base-default': () => [baseCli, 'serve'],
  }
  const ROWS = {
    bare: ['bare Fastify route', 'bare', 'corpus'],
    'bare-ab': ['bare Fastify route, a second process (A/B of one build)', 'bare-ab', 'corpus'],
    busy: [`bare Fastify route + ${BUSY_US} µs of busy work a request (calibration)`, 'busy', 'corpus'],
    route: ['presend serve, no plugins (the route alone)', 'route', 'corpus'],
    default: ['presend serve, default config', 'default', 'corpus'],
    'default-payload': ['presend serve, default config, the old single payload', 'default', 'payload'],
    '10k': ['presend serve, + 10k-term list', '10k', 'corpus'],
    '100k': ['presend serve, + 100k-term list', '100k', 'corpus'],
    workers: ['presend serve, default config, 2 workers', 'workers', 'corpus'],
    'base-route': [`baseline build (${path.basename(baseline ?? '')}), no plugins (the route alone)`, 'base-route', 'corpus'],
    'base-default': [`baseline build (${path.basename(baseline ?? '')}), default config`, 'base-default', 'corpus'],
  }
  const rows = rowKeys.map((key) => ({ key, label: ROWS[key][0], server: ROWS[key][1], body: files[ROWS[key][2]], slices: [] }))
  const running = new Map()
  try {
    for (const key of new Set(rows.map((r) => r.server))) {
      const startedAt = performance.now()
      // Workers: CPU from /proc (the primary and its workers); one process: process.cpuUsage() in it.
      const probe = key !== 'workers'
      const server = await startServer(await SERVERS[key](), { cwd: tmp, probe })
      running.set(key, { ...server, readyMs: performance.now() - startedAt, cpuUs: probe ? server.cpu : async () => ((await cpuTicks(server.child.pid)) * 1e6) / CLOCK_TICKS })
      console.error(`started ${key} (pid ${server.child.pid})`)
    }
    for (const row of rows) await load(running.get(row.server).port, row.body, warmup) // JIT, pools, caches
    for (let cycle = 0; cycle < slices; cycle++) {
      const order = rows.map((_, i) => rows[(i + cycle) % rows.length])
      if (cycle % 2 === 1) order.reverse()
      for (const row of order) {
        const server = running.get(row.server)
        const before = await server.cpuUs()
        const r = await load(server.port, row.body, sliceSeconds)
        const cpuUs = ((await server.cpuUs()) - before) / Math.max(1, r.requests)
        row.slices[cycle] = { ...r, cpuUs }
      }
      const bare = rows[0].slices[cycle]
      console.error(`cycle ${cycle + 1} of ${slices}: ${rows.map((r) => `${r.key} ${(r.slices[cycle].rps / bare.rps).toFixed(2)}`).join(', ')}`)
    }
    // The latency pass: each row at the same fixed load, in turn, a few cycles.
    for (let cycle = 0; cycle < latencyCycles; cycle++) {
      for (const row of cycle % 2 === 0 ? rows : [...rows].reverse()) {
        const r = await load(running.get(row.server).port, row.body, sliceSeconds, rate)
        ;(row.paced ??= []).push(r)
      }
      console.error(`latency cycle ${cycle + 1} at ${rate} req/s: ${rows.map((r) => `${r.key} p99 ${r.paced.at(-1).p99} ms`).join(', ')}`)
    }
    for (const [key, server] of running) {
      server.rssMb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(server.child.pid)]).toString().trim()) / 1024
      if (key === 'workers') server.rssMb = NaN // the primary alone; the workers are not counted
    }
  } finally {
    for (const server of running.values()) await server.stop()
  }
  const bare = rows[0].slices
  return rows.map((row) => {
    const s = row.slices
    const server = running.get(row.server)
    const ratios = s.map((x, i) => x.rps / bare[i].rps)
    const cpuRatios = s.map((x, i) => bare[i].cpuUs / x.cpuUs)
    const cpuOver = s.map((x, i) => x.cpuUs - bare[i].cpuUs)
    return {
      key: row.key,
      label: row.label,
      rps: median(s.map((x) => x.rps)),
      ratio: median(ratios),
      ratios,
      p50: median(s.map((x) => x.p50)),
      p99: median(s.map((x) => x.p99)),
      worstP99: Math.max(...s.map((x) => x.p99)),
      cpuUs: median(s.map((x) => x.cpuUs)),
      cpuUsAll: s.map((x) => x.cpuUs),
      cpuRatio: median(cpuRatios),
      cpuRatios,
      cpuOver: median(cpuOver),
      cpuOvers: cpuOver,
      errors: s.reduce((n, x) => n + x.errors, 0),
      non2xx: s.reduce((n, x) => n + x.non2xx, 0),
      requests: s.reduce((n, x) => n + x.requests, 0),
      rssMb: server.rssMb,
      readyMs: server.readyMs,
      paced: row.paced === undefined ? undefined : {
        rps: median(row.paced.map((x) => x.rps)),
        // paced.mjs gives tenths of a millisecond; a median of two is kept to that.
        p50: Math.round(median(row.paced.map((x) => x.p50)) * 10) / 10,
        p99: Math.round(median(row.paced.map((x) => x.p99)) * 10) / 10,
        worstP99: Math.max(...row.paced.map((x) => x.p99)),
        errors: row.paced.reduce((n, x) => n + x.errors + x.non2xx, 0),
      },
    }
  })
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
    const n = server[0].ratios.length
    lines.push(`${heading.server} (autocannon, ${connections} connections, all servers serving at once, ${n} slice${n === 1 ? '' : 's'} of ${sliceSeconds} s each)`, '')
    lines.push(
      `Every server starts at once and serves for the whole run; the load goes round them one slice at a time, cycle after cycle,`,
      `each cycle in another order (rotated, and reversed every other cycle), after a ${warmup} s warm-up of each. The load is the chat corpus`,
      `(test/bench/corpus/: ${corpus.length} messages, ${Math.round(corpus.reduce((k, m) => k + m.text.length, 0) / corpus.length)} characters on average, sent in rotation) unless the row says otherwise. A ratio is a server's`,
      `req/s over the bare route's in the same cycle; the table gives the median over the cycles and the spread (min–max).`,
      '',
    )
    lines.push('| server | req/s | ratio to bare | spread | p50 ms | p99 ms | worst p99 ms | requests | errors | non-2xx | RSS MB | ready in ms |')
    lines.push('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const r of server) {
      lines.push(
        `| ${r.label} | ${Math.round(r.rps)} | ${r.ratio.toFixed(2)} | ${spread(r.ratios)} | ${r.p50} | ${r.p99} | ${r.worstP99} | ${r.requests} | ${r.errors} | ${r.non2xx} | ${Number.isNaN(r.rssMb) ? '–' : Math.round(r.rssMb)} | ${Math.round(r.readyMs)} |`,
      )
    }
    lines.push('')
    lines.push('The same slices seen from the server side: the CPU time (user + system) the server process spent per request')
    lines.push('answered, read with process.cpuUsage() inside it around each slice (the 2-worker row: from /proc, the workers')
    lines.push('included). It does not depend on how much of the machine the load generator took, so it shows what presend')
    lines.push('itself costs. "bare / this" is the bare route\'s CPU per request over this server\'s, "over bare" the difference, each')
    lines.push('taken per cycle; medians and spread.', '')
    lines.push('| server | CPU µs per request | spread | over bare, µs | spread | bare / this | spread |')
    lines.push('|---|---:|---|---:|---|---:|---|')
    for (const r of server) {
      lines.push(`| ${r.label} | ${r.cpuUs.toFixed(1)} | ${spread(r.cpuUsAll, 1)} | ${r.cpuOver.toFixed(1)} | ${spread(r.cpuOvers, 1)} | ${r.cpuRatio.toFixed(2)} | ${spread(r.cpuRatios)} |`)
    }
    lines.push('')
    if (server[0].paced) {
      lines.push(`Latency at a fixed load: after the cycles, each server gets ${rate} requests a second, evenly paced, over at most ${connections}`)
      lines.push(`keep-alive connections (test/bench/paced.mjs: each request timed from when it was due), a slice of ${sliceSeconds} s each in turn,`)
      lines.push(`${latencyCycles} cycle${latencyCycles === 1 ? '' : 's'}: a load every row keeps up with, so the latency is the server's own and not the queue of a saturated one`)
      lines.push('(in the table above the queue sets it, for the bare route too). The load generator shares the two cores.', '')
      lines.push('| server | req/s sent | p50 ms | p99 ms | worst p99 ms | errors and non-2xx |')
      lines.push('|---|---:|---:|---:|---:|---:|')
      for (const r of server) lines.push(`| ${r.label} | ${Math.round(r.paced.rps)} | ${r.paced.p50} | ${r.paced.p99} | ${r.paced.worstP99} | ${r.paced.errors} |`)
      lines.push('')
    }
    const by = (key) => server.find((r) => r.key === key)
    const def = by('default')
    const alone = by('route')
    const ab = by('bare-ab')
    lines.push('Targets: default config ≥ 0.80 of bare and p99 ≤ 5 ms; the route alone within 4 µs of CPU a request of bare; 100k terms ≥ 0.50 of bare; zero errors.', '')
    if (quick) {
      lines.push(
        'This was a --quick run (to try the harness): a few short slices on a shared machine move these ratios',
        'more than the targets\' margins, so "met" and "missed" below judge nothing. Run `npm run bench` for the medians.',
        '',
      )
    }
    if (ab) lines.push(`- the harness: the bare route against a second bare process of the same build reads ${ab.ratio.toFixed(2)} (${spread(ab.ratios)}), by CPU ${ab.cpuRatio.toFixed(2)}`)
    if (def) {
      const paced = def.paced === undefined ? '' : `; at ${rate} req/s p99 ${def.paced.p99} ms`
      lines.push(`- default config: ${def.ratio.toFixed(2)} of bare (${spread(def.ratios)}), p99 ${def.p99} ms at full load${paced} — ${def.ratio >= 0.8 && def.p99 <= 5 ? 'met' : 'missed'}`)
    }
    if (alone) lines.push(`- the route alone: ${alone.cpuOver.toFixed(1)} µs of CPU a request over bare (${spread(alone.cpuOvers, 1)}) — ${alone.cpuOver <= 4 ? 'met' : 'missed'}`)
    const big = by('100k')
    if (big) lines.push(`- 100k terms: ${big.ratio.toFixed(2)} of bare — ${big.ratio >= 0.5 ? 'met' : 'missed'}`)
    if (def && alone) {
      const share = def.ratios.map((x, i) => x / alone.ratios[i])
      lines.push(`- the default config against the route alone of the same cycle: ${median(share).toFixed(2)} (${spread(share)}) — what the plugins cost`)
    }
    const busy = by('busy')
    if (def && busy) {
      const againstBusy = def.ratios.map((x, i) => x / busy.ratios[i])
      lines.push(
        `- the bare route with ${BUSY_US} µs of busy work a request: ${busy.ratio.toFixed(2)} of bare (${spread(busy.ratios)}); ` +
          `the default config against it: ${median(againstBusy).toFixed(2)} (${spread(againstBusy)}) — above 1, presend's whole cost a request is less than ${BUSY_US} µs of work here`,
      )
    }
    for (const [oldKey, newKey] of [['base-route', 'route'], ['base-default', 'default']]) {
      const before = by(oldKey)
      const after = by(newKey)
      if (!before || !after) continue
      const x = after.ratios.map((v, i) => v / before.ratios[i])
      const cpu = after.cpuUsAll.map((v, i) => v - before.cpuUsAll[i])
      lines.push(`- ${after.label}, this build against the baseline of the same cycle: ${median(x).toFixed(2)}× the req/s (${spread(x)}), ${median(cpu) >= 0 ? '+' : ''}${median(cpu).toFixed(1)} µs of CPU a request (${spread(cpu, 1)})`)
    }
    lines.push(`- errors and non-2xx across all slices: ${server.reduce((k, r) => k + r.errors + r.non2xx, 0)}`)
    lines.push('')
    out.server = lines.join('\n') + '\n'
  }
  if (matcher) out.matcher = [heading.matcher, '', matcher.markdown, ''].join('\n') + '\n'
  if (pipeline) out.pipeline = [`${heading.pipeline} (no HTTP)`, '', pipeline.markdown, ''].join('\n') + '\n'
  return out
}
