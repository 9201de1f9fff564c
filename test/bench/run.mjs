// `npm run bench`: every benchmark in one run on this machine, written into BENCHMARKS.md.
//
// 1. Server: autocannon from a second process (50 connections, 10 s, a seed-style payload with ~100
//    characters of mixed-script text) against (a) a bare Fastify route — the floor — (b) `presend serve`
//    with the embedded default config, (c) with a 10k-term and (d) a 100k-term profanity list, and
//    (e) the default config on 2 workers (node:cluster). Ratios are to (a), measured in the same run.
// 2. Matcher: `test/bench/matcher.ts` (both engines, 1k / 10k / 100k terms).
// 3. Pipeline in process: messages/s of the default pipeline without HTTP, and each plugin's cost.
//
// Flags: --quick (3 s runs, for trying the harness), --no-server, --no-matcher, --no-pipeline.
// Measures the built package (dist/), which is what `npm start` runs: `npm run build` first.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTerms, payload, texts } from './data.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const here = fileURLToPath(new URL('.', import.meta.url))
const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const seconds = quick ? 3 : 10
const connections = 50
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-bench-'))

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitReady(port, child, ms = 60_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server on port ${port} not ready within ${ms} ms`)
}

function runNode(script, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], ...options })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}`))))
  })
}

async function load(port, bodyFile, secs = seconds) {
  const out = await runNode(path.join(here, 'load.mjs'), [`http://127.0.0.1:${port}/`, bodyFile, String(secs), String(connections)])
  return JSON.parse(out.trim().split('\n').pop())
}

async function measureServer(label, argv, env = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, [...argv, ...(argv[0].endsWith('bare-server.mjs') ? [String(port)] : ['--port', String(port), '--host', '127.0.0.1'])], {
    cwd: tmp,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const startedAt = performance.now()
  try {
    await waitReady(port, child)
    const readyMs = performance.now() - startedAt
    const bodyFile = path.join(tmp, 'payload.json')
    await load(port, bodyFile, 2) // warm-up: JIT, pools, caches
    const r = await load(port, bodyFile)
    const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)]).toString().trim()) / 1024
    console.error(`${label}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}`)
    return { label, readyMs, rssMb: rss, ...r }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
  }
}

async function writeConfig(name, plugins) {
  const file = path.join(tmp, `${name}.json`)
  await writeFile(file, JSON.stringify({ plugins }))
  return file
}

const results = { server: [], matcher: undefined, pipeline: undefined }
const cli = path.join(root, 'dist/server/cli.js')

if (!args.has('--no-server')) {
  await writeFile(path.join(tmp, 'payload.json'), JSON.stringify(payload()))
  const terms10k = path.join(tmp, 'terms-10k.txt')
  const terms100k = path.join(tmp, 'terms-100k.txt')
  await writeFile(terms10k, makeTerms(10_000).join('\n'))
  await writeFile(terms100k, makeTerms(100_000).join('\n'))
  const { defaultConfig: defaults } = await import(path.join(root, 'dist/server/config.js'))
  const withList = (file) =>
    defaults.plugins.map((p) => (p.use === 'profanity' ? { ...p, options: { ...p.options, files: [file] } } : p))
  results.server.push(await measureServer('bare Fastify route', [path.join(here, 'bare-server.mjs')]))
  results.server.push(await measureServer('presend serve, default config', [cli, 'serve']))
  results.server.push(
    await measureServer('presend serve, + 10k-term list', [cli, 'serve', '--config', await writeConfig('c10k', withList(terms10k))]),
  )
  results.server.push(
    await measureServer('presend serve, + 100k-term list', [cli, 'serve', '--config', await writeConfig('c100k', withList(terms100k))]),
  )
  results.server.push(await measureServer('presend serve, default config, 2 workers', [cli, 'serve', '--workers', '2']))
}

if (!args.has('--no-matcher')) {
  const out = path.join(tmp, 'matcher.json')
  execFileSync('npm', ['run', '--silent', 'bench:matcher', '--', '--json', out], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  results.matcher = JSON.parse(await readFile(out, 'utf8'))
}

if (!args.has('--no-pipeline')) {
  results.pipeline = JSON.parse(await runNode(path.join(here, 'pipeline.mjs'), quick ? ['--quick'] : []))
}

await writeFile(path.join(root, 'BENCHMARKS.md'), await renderReport(results))
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
    const floor = server[0].rps
    lines.push(`## Server (autocannon, ${connections} connections, ${seconds} s after a 2 s warm-up)`, '')
    lines.push('| server | req/s | ratio to bare | p50 ms | p99 ms | errors | non-2xx | RSS MB | ready in ms |')
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const r of server) {
      lines.push(
        `| ${r.label} | ${Math.round(r.rps)} | ${(r.rps / floor).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${Math.round(r.rssMb)} | ${Math.round(r.readyMs)} |`,
      )
    }
    lines.push('')
    const by = (s) => server.find((r) => r.label.includes(s))
    const def = by('default config')
    const big = by('100k')
    lines.push('Targets: default ≥ 0.70 of bare and p99 ≤ 10 ms; 100k terms ≥ 0.50 of bare; zero errors.', '')
    lines.push(`- default: ${(def.rps / floor).toFixed(2)} of bare, p99 ${def.p99} ms — ${def.rps / floor >= 0.7 && def.p99 <= 10 ? 'met' : 'missed'}`)
    lines.push(`- 100k terms: ${(big.rps / floor).toFixed(2)} of bare — ${big.rps / floor >= 0.5 ? 'met' : 'missed'}`)
    lines.push(`- errors and non-2xx across all runs: ${server.reduce((n, r) => n + r.errors + r.non2xx, 0)}`)
    lines.push('')
  }
  if (matcher) lines.push('## Matcher', '', matcher.markdown, '')
  if (pipeline) lines.push('## Pipeline in process (no HTTP)', '', pipeline.markdown, '')
  return lines.join('\n') + '\n'
}
