// `node test/bench/route.mjs`: the route's own cost per request, in one process, without sockets. A bare
// Fastify app (as bare-server.mjs) and presend's app (buildServer: no plugins, i.e. the route alone; and
// the default config) answer the corpus through Fastify's inject(), in alternating slices; a slice's CPU
// time (process.cpuUsage()) over its requests is its cost per request. The difference to bare, taken slice
// pair by slice pair, is what the route adds to a request (parsing, hook, handler, metrics, serialising),
// free of the load generator and of the sockets, which a shared 2-core machine makes too noisy to show a
// microsecond. With --baseline=DIR, the same rows for another build of presend, for a before/after.
// Prints a Markdown table on stdout. Measures the built package (dist/): `npm run build` first.
import { createWriteStream } from 'node:fs'
import path from 'node:path'
import { parseFlags, whole } from './flags.mjs'

const flags = parseFlags({
  usage: ['node test/bench/route.mjs [flags]  (after npm run build)'],
  about: `
The route's own CPU time per request in one process, without sockets: a bare Fastify app and
presend's app (no plugins; the default config) answer the chat corpus through Fastify's inject() in
alternating slices; prints a Markdown table of µs per request and the difference to bare (medians
and min–max over the slices).`,
  flags: {
    slices: { type: 'string', value: 'N', default: '20', help: 'slices per row' },
    requests: { type: 'string', value: 'N', default: '2000', help: 'requests per slice' },
    baseline: { type: 'string', value: 'DIR', help: 'another build of presend (dist/ built): adds its rows' },
  },
})
const slices = whole('slices', flags.slices)
const perSlice = whole('requests', flags.requests)

const { corpusRequests } = await import('./data.mjs')
const { default: Fastify } = await import('fastify')
const bodies = corpusRequests().map((b) => JSON.stringify(b))
const devNull = () => createWriteStream('/dev/null')

function bareApp() {
  const app = Fastify({ logger: false })
  const ok = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
  app.post('/', async (request) => {
    if (typeof request.body !== 'object') throw new Error('no body')
    return ok
  })
  return app
}

async function presendApps(root, tag) {
  const { buildServer } = await import(path.join(root, 'dist/server/app.js'))
  const { defaultConfig } = await import(path.join(root, 'dist/server/config.js'))
  return [
    [`presend, no plugins (the route alone)${tag}`, await buildServer({ ...defaultConfig, plugins: [] }, { logger: { stream: devNull() } })],
    [`presend, default config${tag}`, await buildServer(defaultConfig, { logger: { stream: devNull() } })],
  ]
}

const here = path.dirname(new URL(import.meta.url).pathname)
const rows = [['bare Fastify route', bareApp()], ...(await presendApps(path.join(here, '../..'), ''))]
if (flags.baseline !== undefined) rows.push(...(await presendApps(path.resolve(flags.baseline), ` — baseline (${path.basename(flags.baseline)})`)))
for (const [, app] of rows) await app.ready()

let next = 0
async function slice(app, n) {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const res = await app.inject({ method: 'POST', url: '/', payload: bodies[next++ % bodies.length], headers: { 'content-type': 'application/json' } })
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${res.body}`)
  }
  const { user, system } = process.cpuUsage(before)
  return (user + system) / n
}

for (const [, app] of rows) await slice(app, perSlice) // warm-up
const us = rows.map(() => [])
for (let s = 0; s < slices; s++) {
  const order = rows.map((_, i) => (i + s) % rows.length)
  if (s % 2 === 1) order.reverse()
  for (const i of order) us[i][s] = await slice(rows[i][1], perSlice)
}
for (const [, app] of rows) await app.close()

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`
const lines = [
  `CPU µs per request through inject() (${slices} alternating slices of ${perSlice} requests, the chat corpus):`,
  '',
  '| app | µs per request | spread | over bare | spread |',
  '|---|---:|---|---:|---|',
]
for (const [i, [label]] of rows.entries()) {
  const over = us[i].map((x, s) => x - us[0][s])
  lines.push(`| ${label} | ${median(us[i]).toFixed(1)} | ${range(us[i])} | ${median(over).toFixed(1)} | ${range(over)} |`)
}
if (flags.baseline !== undefined) {
  for (const k of [1, 2]) {
    const d = us[k].map((x, s) => x - us[k + 2][s])
    lines.push('', `- ${rows[k][0]}, this build minus the baseline, slice by slice: ${median(d).toFixed(2)} µs (${range(d)})`)
  }
}
console.log(lines.join('\n'))
