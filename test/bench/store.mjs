// `npm run bench:store`: what the shared store costs. autocannon against (a) the bare Fastify route, (b)
// `presend serve` with the default config, (c) the default config + rate-limit on the memory store and
// (d) the same on Redis (a redis-server this script starts on a free loopback port, no persistence); in
// rounds, each ratio to the bare route of its own round. Then the Redis round trip itself, in process:
// one `hit`, and a batch of three (rate-limit with three limits), sequentially.
// The limit is set out of reach, so every message runs the whole pipeline and one store round trip.
// Prints a Markdown table for BENCHMARKS.md. Measures dist/: `npm run build` first.
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { payload } from './data.mjs'
import { bareServer, cli, load, root, startServer } from './servers.mjs'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const rounds = quick ? 1 : 2
const seconds = quick ? 3 : 6
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-bench-store-'))

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}
const redisPort = await freePort()
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] })
await new Promise((resolve, reject) => {
  redis.once('error', reject)
  redis.stdout.on('data', (d) => String(d).includes('Ready to accept connections') && resolve())
})
redis.stdout.resume()
const redisUrl = `redis://127.0.0.1:${redisPort}`

const rateLimit = { use: 'rate-limit', options: { limits: [{ per: 'sender', max: 1e9, windowMs: 1000 }] } }
const defaults = [{ use: 'profanity', options: { action: 'mask' } }, { use: 'links', options: { action: 'replace' } }]
async function config(name, extra) {
  const file = path.join(tmp, `${name}.json`)
  await writeFile(file, JSON.stringify({ plugins: [rateLimit, ...defaults], ...extra }))
  return file
}
await writeFile(path.join(tmp, 'payload.json'), JSON.stringify(payload()))
const servers = [
  ['bare Fastify route', [bareServer]],
  ['presend serve, default config', [cli, 'serve']],
  ['default config + rate-limit, memory store', [cli, 'serve', '--config', await config('memory', {})]],
  ['default config + rate-limit, Redis store', [cli, 'serve', '--config', await config('redis', { store: { redis: redisUrl } })]],
]

const runs = servers.map(() => [])
for (let round = 1; round <= rounds; round++) {
  const order = servers.map((_, i) => i)
  if (round % 2 === 0) order.reverse()
  for (const i of order) {
    const { port, stop } = await startServer(servers[i][1], { cwd: tmp })
    try {
      await load(port, path.join(tmp, 'payload.json'), 2)
      const r = await load(port, path.join(tmp, 'payload.json'), seconds)
      console.error(`${servers[i][0]}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`)
      runs[i].push(r)
    } finally {
      await stop()
    }
  }
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// The round trip in process: the store as a plugin sees it.
const { createRedisStore } = await import(path.join(root, 'dist/core/store/redis.js'))
const store = createRedisStore({ url: redisUrl, timeoutMs: 1000 })
await store.ping()
async function roundTrip(ops, n) {
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    await store.exec(ops)
    times.push(Number(process.hrtime.bigint() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return { p50: times[n >> 1], p99: times[Math.floor(n * 0.99)] }
}
const one = [{ op: 'hit', key: 'bench:s', windowMs: 1000 }]
const three = [...one, { op: 'hit', key: 'bench:sg', windowMs: 1000 }, { op: 'hit', key: 'bench:g', windowMs: 1000 }]
await roundTrip(one, 500)
const rt1 = await roundTrip(one, quick ? 1000 : 5000)
const rt3 = await roundTrip(three, quick ? 1000 : 5000)
await store.close()
redis.kill('SIGTERM')

const lines = [
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} vCPU, ${rounds} round(s) of ${seconds} s, 50 connections, redis-server on loopback`,
  '',
  '| server | req/s | ratio to bare | p99 ms | non-2xx |',
  '|---|---|---|---|---|',
  ...servers.map(([label], i) => {
    const ratio = median(runs[i].map((r, k) => r.rps / runs[0][k].rps))
    return `| ${label} | ${Math.round(median(runs[i].map((r) => r.rps)))} | ${ratio.toFixed(2)} | ${median(runs[i].map((r) => r.p99))} | ${runs[i].reduce((n, r) => n + r.non2xx, 0)} |`
  }),
  '',
  '| Redis round trip (in process, sequential) | p50 µs | p99 µs |',
  '|---|---|---|',
  `| one \`hit\` (Lua INCR + PEXPIRE) | ${rt1.p50.toFixed(0)} | ${rt1.p99.toFixed(0)} |`,
  `| a batch of three \`hit\`s (one pipeline) | ${rt3.p50.toFixed(0)} | ${rt3.p99.toFixed(0)} |`,
]
console.log(lines.join('\n'))
