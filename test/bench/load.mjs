// Load generator, run as its own process so it does not share an event loop with the server under test.
// Usage: node load.mjs <url> <bodyFile> <seconds> <connections>; prints one JSON line with the results.
// <bodyFile> holds one JSON body (sent on every request) or a JSON array of bodies: then every connection
// sends them in turn, each prepared once by autocannon (its `requests` list), so rotating costs the load
// generator nothing per request.
import autocannon from 'autocannon'
import { readFile } from 'node:fs/promises'

const [url, bodyFile, seconds = '10', connections = '50'] = process.argv.slice(2)
const text = await readFile(bodyFile, 'utf8')
const parsed = JSON.parse(text)
const rotate = Array.isArray(parsed)
const result = await autocannon({
  url,
  method: 'POST',
  ...(rotate ? { requests: parsed.map((b) => ({ method: 'POST', body: JSON.stringify(b) })) } : { body: text }),
  headers: { 'content-type': 'application/json' },
  duration: Number(seconds),
  connections: Number(connections),
  pipelining: 1,
})
const non2xx = result.non2xx ?? 0
console.log(
  JSON.stringify({
    requests: result.requests.total,
    // The whole slice's count over its length: with slices of a few seconds, the per-second samples are few.
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx,
  }),
)
