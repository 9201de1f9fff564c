// `npm run bench`: every benchmark in one run on this machine, written into BENCHMARKS.md.
//
// 1. Server: autocannon from a second process (50 connections, 10 s, a seed-style payload with ~100
//    characters of mixed-script text) against (a) a bare Fastify route — the floor — (b) `presend serve`
//    with the embedded default config, (c) with a 10k-term and (d) a 100k-term profanity list, and
//    (e) the default config on 2 workers (node:cluster). Ratios are to (a), measured in the same run.
// 2. Matcher: `test/bench/matcher.ts` (both engines, 1k / 10k / 100k terms).
// 3. Pipeline in process: messages/s of the default pipeline without HTTP, and each plugin's cost.
//
// Flags: --quick (3 s runs, one round, for trying the harness), --rounds=N (server rounds, default 3),
// --no-server, --no-matcher, --no-pipeline.
// Measures the built package (dist/), which is what `npm start` runs: `npm run build` first.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { makeTerms, payload, texts } from './data.mjs'
import { bareServer, cli, CLOCK_TICKS, connections, cpuTicks, here, load, root, runNode, startServer } from './servers.mjs'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='))
const rounds = roundsArg === undefined ? (quick ? 1 : 3) : Math.max(1, Number(roundsArg.slice('--rounds='.length)) || 1)
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

const results = { server: [], matcher: undefined, pipeline: undefined }

if (!args.has('--no-server')) {
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

if (!args.has('--no-matcher')) {
  const out = path.join(tmp, 'matcher.json')
  execFileSync('npm', ['run', '--silent', 'bench:matcher', '--', '--json', out], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  results.matcher = JSON.parse(await readFile(out, 'utf8'))
}

if (!args.has('--no-pipeline')) {
  results.pipeline = JSON.parse(await runNode(path.join(here, 'pipeline.mjs'), quick ? ['--quick'] : []))
}

// Everything below this line in BENCHMARKS.md is written by hand (analysis, profiles, before/after) and kept.
const NOTES = '<!-- notes: written by hand, kept by npm run bench -->'
const previous = await readFile(path.join(root, 'BENCHMARKS.md'), 'utf8').catch(() => '')
const notes = previous.includes(NOTES) ? previous.slice(previous.indexOf(NOTES)) : `${NOTES}\n`
await writeFile(path.join(root, 'BENCHMARKS.md'), `${await renderReport(results)}\n${notes}`)
console.error(`wrote ${path.join(root, 'BENCHMARKS.md')}`)

async function renderReport({ server, matcher, pipeline }) {
  const pkg = (name) => JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(require('${name}/package.json'))`], { cwd: root }).toString()).version
  const lines = []
  const cpus = os.cpus()
  lines.push('# Benchmarks', '')
  lines.push(`Measured by \`npm run bench\` (test/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}.`, '')
  lines.push('| machine | value |', '|---|---|')
  lines.push(`| CPU | ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} |`)
  lines.push(`| memory | ${Math.round(os.totalmem() / 2 ** 30)} GiB |`)
  lines.push(`| OS | ${os.type()} ${os.release()} |`)
  lines.push(`| Node | ${process.version} |`)
  lines.push(`| packages | presend ${pkg('./')}, fastify ${pkg('fastify')}, zod ${pkg('zod')}, ahocorasick ${pkg('ahocorasick')}, autocannon ${pkg('autocannon')} |`)
  lines.push('')
  lines.push('The load generator runs on the same 2-core machine as the server, so absolute numbers are low; the')
  lines.push('ratios to the bare Fastify route, measured in the same run, are what the targets are about.', '')
  if (server.length) {
    lines.push(`## Server (autocannon, ${connections} connections, ${seconds} s after a 2 s warm-up, ${rounds} round${rounds === 1 ? '' : 's'})`, '')
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
    lines.push(`- default: ${def.ratio.toFixed(2)} of bare, p99 ${def.p99} ms — ${def.ratio >= 0.7 && def.p99 <= 10 ? 'met' : 'missed'}`)
    lines.push(`- 100k terms: ${big.ratio.toFixed(2)} of bare — ${big.ratio >= 0.5 ? 'met' : 'missed'}`)
    lines.push(`- errors and non-2xx across all runs: ${server.reduce((n, r) => n + r.errors + r.non2xx, 0)}`)
    lines.push('')
  }
  if (matcher) lines.push('## Matcher', '', matcher.markdown, '')
  if (pipeline) lines.push('## Pipeline in process (no HTTP)', '', pipeline.markdown, '')
  return lines.join('\n') + '\n'
}
