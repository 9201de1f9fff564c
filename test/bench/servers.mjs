// Shared by the benches that load a server over HTTP (run.mjs, profile.mjs): start a server on a free
// loopback port, wait for /healthz, drive it with autocannon from a second process, read its CPU time.
import { spawn, execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = fileURLToPath(new URL('.', import.meta.url))
export const root = fileURLToPath(new URL('../..', import.meta.url))
export const cli = path.join(root, 'dist/server/cli/main.js')
export const bareServer = path.join(here, 'bare-server.mjs')
const cpuProbe = path.join(here, 'cpu-probe.mjs')
export const connections = 50

/** A free TCP port on 127.0.0.1. */
export function freePort() {
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

/** Run a Node script to its end; resolves with its stdout. */
export function runNode(script, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], ...options })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}`))))
  })
}

/**
 * Load the server on `port` for `secs` seconds: req/s, latency, errors. As many requests as it answers
 * (autocannon, test/bench/load.mjs), or with `rate`, that many a second in all, evenly paced (test/bench/paced.mjs).
 */
export async function load(port, bodyFile, secs, rate) {
  const args = [`http://127.0.0.1:${port}/`, bodyFile, String(secs), String(connections)]
  const out = rate === undefined ? await runNode(path.join(here, 'load.mjs'), args) : await runNode(path.join(here, 'paced.mjs'), [...args, String(rate)])
  return JSON.parse(out.trim().split('\n').pop())
}

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100

/**
 * CPU time (user + system, in ticks) of process `pid` and every process below it (the workers of
 * `--workers N`), from /proc. Under a load the server cannot keep up with, CPU time per request is what
 * presend costs, whatever share of the two vCPUs the load generator and other tenants took meanwhile.
 */
export async function cpuTicks(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  let ticks = Number(fields[11]) + Number(fields[12])
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  for (const child of children.trim().split(/\s+/).filter(Boolean)) ticks += await cpuTicks(Number(child)).catch(() => 0)
  return ticks
}

/**
 * Start a server — the bare route (`argv[0]` is bare-server.mjs) or `presend serve …` — on a free loopback
 * port, with `nodeArgs` for Node itself, and wait until it answers /healthz. `stop()` sends SIGTERM and
 * resolves once it has exited. With `probe`, cpu-probe.mjs is preloaded and `cpu()` resolves with the
 * server process' own CPU time in µs (its workers not included).
 */
export async function startServer(argv, { cwd, env = {}, nodeArgs = [], probe = false } = {}) {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [...(probe ? [`--import=${cpuProbe}`] : []), ...nodeArgs, ...argv, ...(argv[0] === bareServer ? [String(port)] : ['--port', String(port), '--host', '127.0.0.1'])],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', ...(probe ? ['ipc'] : [])],
    },
  )
  const stop = async () => {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
  }
  try {
    await waitReady(port, child)
  } catch (err) {
    await stop()
    throw err
  }
  return { port, child, stop, cpu: probe ? () => cpuOf(child) : undefined }
}

/** The process' own CPU time (user + system) in µs, from the cpu-probe.mjs preloaded into it. */
function cpuOf(child) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (typeof m?.cpu !== 'number') return
      child.off('message', onMessage)
      resolve(m.cpu)
    }
    child.on('message', onMessage)
    child.send('cpu', (err) => err && reject(err))
  })
}
