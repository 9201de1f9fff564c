// Paced load generator, run as its own process: `rate` requests a second in all, spread evenly over time,
// over at most `connections` keep-alive connections. autocannon's own rate limit lets each connection send its
// whole second's share at once when the second starts, so the latency it reports is that burst's queue.
// Each request's latency runs from when it was due, not from when a connection was free to send it, so a
// server that falls behind shows it (no coordinated omission).
// Usage: node paced.mjs <url> <bodyFile> <seconds> <connections> <rate>; prints one JSON line like load.mjs.
import http from 'node:http'
import { readFile } from 'node:fs/promises'

const [url, bodyFile, seconds, connections, rate] = process.argv.slice(2)
const parsed = JSON.parse(await readFile(bodyFile, 'utf8'))
const bodies = (Array.isArray(parsed) ? parsed : [parsed]).map((b) => Buffer.from(JSON.stringify(b)))
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) })
const target = new URL(url)
const perMs = Number(rate) / 1000
const durationMs = Number(seconds) * 1000
// The first requests open the connections and warm this process up: sent, but not counted.
const WARMUP_MS = 500
const latencies = []
let errors = 0
let non2xx = 0
let sent = 0
let pending = 0
// When the first request is due: every request's due time counts from here.
const started = performance.now()

function send(dueAt) {
  const body = bodies[sent++ % bodies.length]
  pending++
  const req = http.request(
    { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
    (res) => {
      if (res.statusCode < 200 || res.statusCode > 299) non2xx++
      res.resume()
      res.on('end', () => {
        if (dueAt >= started + WARMUP_MS) latencies.push(performance.now() - dueAt)
        pending--
      })
    },
  )
  req.on('error', () => {
    errors++
    pending--
  })
  req.end(body)
}

await new Promise((resolve) => {
  const tick = () => {
    const elapsed = performance.now() - started
    // Every request due by now is sent now, each timed from when it was due.
    const due = Math.floor(Math.min(elapsed, WARMUP_MS + durationMs) * perMs)
    while (sent < due) send(started + sent / perMs)
    if (elapsed >= WARMUP_MS + durationMs) resolve()
    else setTimeout(tick, 1)
  }
  tick()
})
while (pending > 0) await new Promise((resolve) => setTimeout(resolve, 5))
const total = (performance.now() - started - WARMUP_MS) / 1000
agent.destroy()
latencies.sort((a, b) => a - b)
const at = (q) => (latencies.length === 0 ? NaN : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10)
console.log(JSON.stringify({ requests: latencies.length, rps: latencies.length / total, p50: at(0.5), p99: at(0.99), errors, non2xx }))
