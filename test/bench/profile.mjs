// `npm run bench:profile`: where a request's CPU goes. Runs the bare Fastify route, `presend serve` with no
// plugins (the route alone) and with the embedded default config under the bench load (autocannon, 50
// connections, the chat corpus of test/bench/corpus/ in rotation) with `node --cpu-prof`, keeps only the samples taken while the measured load
// ran (not start-up or warm-up), and prints, per server, the microseconds per request spent in each part of
// the request's path — the table to profile from before an optimisation and to compare with after it.
//
// The profiler samples on a timer, so a figure includes time the thread was waiting for a CPU: on a shared
// machine all figures of a run are inflated alike. Compare parts within one run, as shares or differences.
//
// Flags (`--help` lists them): --seconds=N (the measured load, default 8), --servers=bare,route,default
// (which to run, in the order given).
// Measures the built package (dist/): `npm run build` first (the npm script does).
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseFlags, usageError, whole } from './flags.mjs'

const SERVER_KEYS = ['bare', 'route', 'default']
const flags = parseFlags({
  usage: ['npm run bench:profile -- [flags]  (builds first)', 'node test/bench/profile.mjs [flags]  (after npm run build)'],
  about: `
Where a request's CPU goes: runs the bare Fastify route, presend serve with no plugins (the route
alone) and with the default config under the bench load (autocannon, 50 connections, the chat
corpus in rotation) with node --cpu-prof, and prints on stdout a Markdown table of the microseconds per request
each server spent in each part of the request's path (normalisation, term scan, validation, hooks,
socket writes...), from the samples taken while the measured load ran (after a 2 s warm-up). Writes
no file of the project.`,
  flags: {
    seconds: { type: 'string', value: 'N', default: '8', help: 'seconds of measured load per server' },
    servers: { type: 'string', value: 'LIST', default: SERVER_KEYS.join(','), help: `which servers to profile, in this order, comma-separated, from ${SERVER_KEYS.join(', ')}` },
  },
})
const seconds = whole('seconds', flags.seconds)
const serverKeys = flags.servers.split(',').map((k) => k.trim())
for (const [i, key] of serverKeys.entries()) {
  if (!SERVER_KEYS.includes(key)) usageError(`--servers names "${key}", which is not one of ${SERVER_KEYS.join(', ')}`)
  if (serverKeys.indexOf(key) !== i) usageError(`--servers names "${key}" twice`)
}

// Imported once the flags are good: they read dist/, which --help and a mistyped flag do not need.
const { corpusRequests } = await import('./data.mjs')
const { bareServer, cli, load, startServer } = await import('./servers.mjs')
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-profile-'))
const bodyFile = path.join(tmp, 'payload.json')
await writeFile(bodyFile, JSON.stringify(corpusRequests()))
const routeAlone = path.join(tmp, 'none.json')
await writeFile(routeAlone, JSON.stringify({ plugins: [] }))

const SERVERS = {
  bare: ['bare Fastify route', [bareServer]],
  route: ['presend, no plugins (the route alone)', [cli, 'serve', '--config', routeAlone]],
  default: ['presend, default config', [cli, 'serve']],
}

/**
 * The parts of a request's path, by the function that is running or the nearest caller that names one: the
 * first part whose pattern matches a frame, walking from the sampled function out to its callers, and
 * stopping at the first frame of Fastify's own code (the rest).
 */
const PARTS = [
  ['text normalisation', /^normalizeTransient .*core\/text\/index\.js$/],
  ['term scan and hit checks', /^find .*core\/terms\.js$/],
  ['profanity plugin, the rest', /^check .*plugins\/profanity\/index\.js$/],
  ['links plugin', /^check .*plugins\/links\/index\.js$/],
  ['pipeline run (core)', /^(run|runNow|runFrom|awaitVerdict) .*core\/pipeline\.js$/],
  ['request validation (zod)', /^parseRequest .*core\/pipeline\.js$/],
  ['metrics', /server\/metrics\.js$/],
  ['auth and Content-Type hook', /^presendOnRequest /],
  ['callback handler, the rest', /^(presendCallback|runPipeline) .*server\/route\.js$/],
  ['JSON body parse', /^(parseCallbackJson|defaultJsonParser|parse|_parse) .*(server\/body-parser|content-type-parser|secure-json-parse\/index)\.js$/],
  ['socket writes (writev)', /^writev $/],
  ['garbage collection', /^\(garbage collector\) $/],
]
const OTHER = 'Fastify, Node HTTP and the rest'
/** Frames of Fastify itself (its body parser is matched as a part before this is tested). */
const FASTIFY_LIB = /\/node_modules\/fastify\/lib\//

/** Microseconds per request in each part, from the samples taken between `from` and `to` (µs, monotonic). */
function attribute(profile, from, to, requests) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const partOf = new Map()
  const part = (id) => {
    let found = partOf.get(id)
    if (found !== undefined) return found
    found = OTHER
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url } = nodes.get(cur).callFrame
      const frame = `${functionName} ${url}`
      const rule = PARTS.find(([, re]) => re.test(frame))
      if (rule !== undefined) {
        found = rule[0]
        break
      }
      // Fastify's own work belongs to Fastify even when a part of presend called it: the hook's done()
      // goes on to read the body, in the same call stack (bare Fastify does the same outside any hook).
      if (FASTIFY_LIB.test(url)) break
    }
    partOf.set(id, found)
    return found
  }
  const us = new Map()
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i]
    t += delta
    if (t < from || t > to) continue
    const node = nodes.get(profile.samples[i])
    if (node.callFrame.functionName === '(idle)') continue
    const p = part(profile.samples[i])
    us.set(p, (us.get(p) ?? 0) + delta / requests)
  }
  return us
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)
const columns = []
for (const key of serverKeys) {
  const [label, argv] = SERVERS[key]
  const dir = path.join(tmp, key)
  const server = await startServer(argv, { cwd: tmp, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] })
  let r
  let from
  let to
  try {
    await load(server.port, bodyFile, 2) // warm-up, not counted
    from = monotonicUs()
    r = await load(server.port, bodyFile, seconds)
    to = monotonicUs()
  } finally {
    await server.stop() // the profile is written on exit
  }
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'))
  if (file === undefined) throw new Error(`${label}: no profile was written in ${dir}; did the server exit cleanly on SIGTERM?`)
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8'))
  columns.push({ label, rps: r.rps, us: attribute(profile, from, to, r.requests) })
  console.error(`${label}: ${Math.round(r.rps)} req/s profiled`)
}

const parts = [...PARTS.map(([name]) => name), OTHER].filter((p) => columns.some((c) => (c.us.get(p) ?? 0) >= 0.05))
const total = (c) => [...c.us.values()].reduce((a, b) => a + b, 0)
const lines = [
  `Busy time per request (µs, profiler samples while the load ran; ${seconds} s, 50 connections, the chat corpus):`,
  '',
  `| part | ${columns.map((c) => c.label).join(' | ')} |`,
  `|---|${columns.map(() => '---:').join('|')}|`,
  ...parts.map((p) => `| ${p} | ${columns.map((c) => `${(c.us.get(p) ?? 0).toFixed(1)} (${((100 * (c.us.get(p) ?? 0)) / total(c)).toFixed(0)}%)`).join(' | ')} |`),
  `| **total** | ${columns.map((c) => `**${total(c).toFixed(1)}**`).join(' | ')} |`,
  `| req/s while profiled | ${columns.map((c) => Math.round(c.rps)).join(' | ')} |`,
]
console.log(lines.join('\n'))
