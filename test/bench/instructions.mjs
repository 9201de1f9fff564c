// `node test/bench/instructions.mjs`: instructions per request, counted by valgrind (callgrind), for the bare
// Fastify route, `presend serve` with no plugins (the route alone) and with the default config. Each server
// runs under callgrind; this process sends it a warm-up, zeroes callgrind's counters, sends a fixed number of
// requests (the chat corpus in rotation, over a few keep-alive connections on 127.0.0.1), dumps the counters
// and divides. Counting instructions (every thread of the server: V8's GC helpers included) does not depend
// on what else the machine runs, so a change of a microsecond shows, where CPU time on a shared machine
// moves by tens. Instructions are not time (a cache miss costs no instruction), so read them beside the
// CPU-time benches, not instead of them.
// Measures the built package (dist/): `npm run build` first.
import { spawn, execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseFlags, usageError, whole } from './flags.mjs'

const SERVER_KEYS = ['bare', 'route', 'default']
const flags = parseFlags({
  usage: ['node test/bench/instructions.mjs [flags]  (after npm run build; needs valgrind)'],
  about: `
Instructions per request, counted by valgrind's callgrind in the server process (all its threads),
for the bare Fastify route, presend serve with no plugins (the route alone) and with the default
config, on the chat corpus in rotation: per server a warm-up, then --rounds rounds of --requests
requests, each counted alone. Prints a Markdown table on stdout: the fewest instructions per
request of the rounds (the steady state: JIT compiling and GC only ever add), the spread of the
rounds, and the difference to the bare route. A server under callgrind runs ~50x
slower, so this takes minutes. The server's V8 runs with --predictable by default (one thread,
no concurrent compilation or GC): two runs of one build at once then agreed within 0.5% round
for round, where without it
JIT and GC threads racing the main thread move a count by 15%. Later rounds still shed some
JIT work: compare rows of one run, or runs with the same flags.`,
  flags: {
    servers: { type: 'string', value: 'LIST', default: SERVER_KEYS.join(','), help: `which servers, in this order, comma-separated, from ${SERVER_KEYS.join(', ')}` },
    requests: { type: 'string', value: 'N', default: '2000', help: 'requests per counted round' },
    warmup: { type: 'string', value: 'N', default: '16000', help: 'requests before the first round' },
    rounds: { type: 'string', value: 'N', default: '3', help: 'counted rounds per server' },
    connections: { type: 'string', value: 'N', default: '8', help: 'keep-alive connections the requests go over' },
    baseline: { type: 'string', value: 'DIR', help: 'another build of presend (dist/ built): adds its route alone and default config' },
    'single-payload': { type: 'boolean', help: "send the bench's old single payload instead of the corpus" },
    'node-flags': { type: 'string', value: 'FLAGS', default: '--predictable', help: "flags for the server's node, space-separated; '' for none" },
  },
})
const serverKeys = flags.servers.split(',').map((k) => k.trim())
for (const [i, key] of serverKeys.entries()) {
  if (!SERVER_KEYS.includes(key)) usageError(`--servers names "${key}", which is not one of ${SERVER_KEYS.join(', ')}`)
  if (serverKeys.indexOf(key) !== i) usageError(`--servers names "${key}" twice`)
}
const perRound = whole('requests', flags.requests)
const warmup = whole('warmup', flags.warmup)
const rounds = whole('rounds', flags.rounds)
const connections = whole('connections', flags.connections)
const nodeFlags = flags['node-flags'].split(' ').filter(Boolean)

const { corpusRequests, payload } = await import('./data.mjs')
const { bareServer, freePort, root } = await import('./servers.mjs')
const bodies = (flags['single-payload'] ? [payload()] : corpusRequests()).map((b) => Buffer.from(JSON.stringify(b)))
const tmp = await mkdtemp(path.join(os.tmpdir(), 'presend-instructions-'))
const routeAlone = path.join(tmp, 'none.json')
await writeFile(routeAlone, JSON.stringify({ plugins: [] }))

const run = (cmd, args) =>
  new Promise((resolve, reject) => execFile(cmd, args, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))))

/** Send `n` POSTs over `connections` keep-alive sockets, the bodies in rotation; rejects on any non-200. */
async function send(port, n) {
  const { Agent, request } = await import('node:http')
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let next = 0
  const one = () =>
    new Promise((resolve, reject) => {
      const body = bodies[next++ % bodies.length]
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}: ${text}`))))
      })
      req.on('error', reject)
      req.end(body)
    })
  let sent = 0
  const lane = async () => {
    while (sent < n) {
      sent++
      await one()
    }
  }
  await Promise.all(Array.from({ length: connections }, lane))
  agent.destroy()
}

async function waitReady(port, child) {
  const end = Date.now() + 600_000
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it answered /healthz`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the server on port ${port} did not answer /healthz within 10 minutes under callgrind`)
}

/** The instruction total of the newest callgrind dump of `pid` in `dir`. */
async function lastDumpTotal(dir, pid) {
  const names = (await readdir(dir)).filter((f) => f.startsWith(`cg.${pid}.`))
  const newest = names.sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).pop()
  if (newest === undefined) throw new Error(`callgrind wrote no dump for process ${pid} in ${dir}`)
  const text = await readFile(path.join(dir, newest), 'utf8')
  const total = /^(?:summary|totals): (\d+)/m.exec(text)
  if (total === null) throw new Error(`the callgrind dump ${newest} has no totals line`)
  return Number(total[1])
}

/** Instructions per request for the server started by `argv`, one figure per round. */
async function measure(argv, cwd) {
  const port = await freePort()
  const dir = await mkdtemp(path.join(tmp, 'cg-'))
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--dump-instr=no', `--callgrind-out-file=${dir}/cg.%p`, process.execPath, ...nodeFlags, ...argv, ...(argv[0] === bareServer ? [String(port)] : ['--port', String(port), '--host', '127.0.0.1'])],
    { cwd, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)))
  try {
    await waitReady(port, child)
    await send(port, warmup)
    const out = []
    for (let r = 0; r < rounds; r++) {
      await run('callgrind_control', ['-z', String(child.pid)])
      await send(port, perRound)
      await run('callgrind_control', ['-d', String(child.pid)])
      out.push((await lastDumpTotal(dir, child.pid)) / perRound)
      process.stderr.write(`  round ${r + 1}: ${(out[r] / 1000).toFixed(1)}k instructions a request\n`)
    }
    return out
  } catch (err) {
    throw new Error(`${err.message}\n${stderr}`, { cause: err })
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
  }
}

const rows = []
const servers = {
  bare: (base, tag) => [`bare Fastify route${tag}`, [bareServer], base],
  route: (base, tag) => [`presend serve, no plugins (the route alone)${tag}`, [path.join(base, 'dist/server/cli/main.js'), 'serve', '--config', routeAlone], base],
  default: (base, tag) => [`presend serve, default config${tag}`, [path.join(base, 'dist/server/cli/main.js'), 'serve'], base],
}
const plan = serverKeys.map((k) => servers[k](root, ''))
if (flags.baseline !== undefined) {
  const base = path.resolve(flags.baseline)
  for (const k of serverKeys) if (k !== 'bare') plan.push(servers[k](base, ` — baseline (${path.basename(base)})`))
}
try {
  for (const [label, argv, cwd] of plan) {
    process.stderr.write(`counting ${label}…\n`)
    rows.push([label, await measure(argv, cwd)])
  }
} finally {
  await rm(tmp, { recursive: true, force: true })
}

const k = (x) => (x / 1000).toFixed(1)
const bare = rows.find(([label]) => label === 'bare Fastify route')
const lines = [
  `Instructions per request, thousands (callgrind, the whole server process; ${rounds} rounds of ${perRound} requests after ${warmup} of warm-up, ${connections} keep-alive connections, ${flags['single-payload'] ? 'the old single payload' : 'the chat corpus in rotation'}):`,
  '',
  `| server | k instructions per request (fewest of the rounds) | rounds, min–max | over bare, k |`,
  '|---|---:|---|---:|',
]
for (const [label, xs] of rows) {
  const over = bare === undefined ? '' : k(Math.min(...xs) - Math.min(...bare[1]))
  lines.push(`| ${label} | ${k(Math.min(...xs))} | ${k(Math.min(...xs))}–${k(Math.max(...xs))} | ${over} |`)
}
console.log(lines.join('\n'))
