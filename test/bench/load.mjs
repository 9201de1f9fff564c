// Load generator, run as its own process so it does not share an event loop with the server under test.
// Usage: node load.mjs <url> <bodyFile> <seconds> <connections>; prints one JSON line with the results.
import autocannon from 'autocannon'
import { readFile } from 'node:fs/promises'

const [url, bodyFile, seconds = '10', connections = '50'] = process.argv.slice(2)
const body = await readFile(bodyFile, 'utf8')
const result = await autocannon({
  url,
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json' },
  duration: Number(seconds),
  connections: Number(connections),
  pipelining: 1,
})
const non2xx = result.non2xx ?? 0
console.log(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx,
  }),
)
