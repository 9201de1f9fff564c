// A/B: does the console cost the callback path anything? `presend serve` with the default config, once with
// the console off (the default) and once with it on (its live view observing every callback, no viewer
// connected), both serving at once and loaded in alternating slices, so a slow spell of the shared machine
// falls on both alike. Figures: req/s and server CPU µs per request, medians over the rounds, and the median
// of the per-round ratios on/off. Measures the built package: `npm run build` first. Prints a markdown table.
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseFlags, whole } from './flags.mjs'

const flags = parseFlags({
  usage: ['node test/bench/console.mjs [flags]  (after npm run build)'],
  about: `
presend serve with the default config, console off against console on, both serving at once and loaded
by autocannon in alternating slices; req/s and CPU µs per request, medians over the rounds, and the
median of the per-round ratios (on / off). Prints a markdown table for BENCHMARKS.md.`,
  flags: {
    rounds: { type: 'string', value: 'N', default: '5', help: 'rounds; each loads both servers once' },
    seconds: { type: 'string', value: 'S', default: '5', help: 'seconds of load per server per round' },
    edited: { type: 'boolean', help: 'a payload the default config masks, so every callback enters the live view' },
  },
})
const rounds = whole('rounds', flags.rounds)
const seconds = whole('seconds', flags.seconds)

const { payload } = await import('./data.mjs')
const { cli, CLOCK_TICKS, cpuTicks, load, startServer } = await import('./servers.mjs')
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-bench-console-'))
const bodyFile = path.join(tmp, 'payload.json')
const body = payload()
// The default profanity list masks this word: each callback is then kept, counted and (with viewers) sent.
if (flags.edited === true) body.MsgBody[0].MsgContent.Text += ' what the fuck'
await writeFile(bodyFile, JSON.stringify(body))
const logging = { level: 'warn' }
await writeFile(path.join(tmp, 'off.json'), JSON.stringify({ logging }))
await writeFile(path.join(tmp, 'on.json'), JSON.stringify({ logging, console: { enabled: true, token: 'bench-console-token' } }))

const servers = [
  { label: 'presend serve, default config, console off (the default)', config: 'off.json', rows: [] },
  { label: 'presend serve, default config, console on (live view observing, no viewer)', config: 'on.json', rows: [] },
]
for (const s of servers) {
  s.server = await startServer([cli, 'serve', '--config', path.join(tmp, s.config)], { cwd: tmp })
  await load(s.server.port, bodyFile, 2) // warm-up: JIT, pools, caches
}
try {
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always follows the other's garbage collection.
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      const before = await cpuTicks(s.server.child.pid)
      const r = await load(s.server.port, bodyFile, seconds)
      const cpuUs = (((await cpuTicks(s.server.child.pid)) - before) * 1e6) / CLOCK_TICKS / Math.max(1, r.requests)
      s.rows.push({ rps: r.rps, cpuUs, errors: r.errors + r.non2xx })
      console.error(`round ${round + 1}: ${s.config} ${Math.round(r.rps)} req/s, ${cpuUs.toFixed(1)} µs CPU/request`)
    }
  }
} finally {
  for (const s of servers) await s.server.stop()
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const [off, on] = servers
const ratio = (key) => median(on.rows.map((r, i) => r[key] / off.rows[i][key]))
console.log(`| server | req/s | CPU µs per request | req/s on / off, per round | errors |`)
console.log(`|---|---:|---:|---|---:|`)
for (const s of servers) {
  const per = s === off ? '1.00' : on.rows.map((r, i) => (r.rps / off.rows[i].rps).toFixed(2)).join(' / ')
  console.log(`| ${s.label} | ${Math.round(median(s.rows.map((r) => r.rps)))} | ${median(s.rows.map((r) => r.cpuUs)).toFixed(1)} | ${per} | ${s.rows.reduce((n, r) => n + r.errors, 0)} |`)
}
console.log(`\nMedian ratio on / off: ${ratio('rps').toFixed(3)} in req/s, ${ratio('cpuUs').toFixed(3)} in CPU µs per request (${rounds} rounds of ${seconds} s).`)
