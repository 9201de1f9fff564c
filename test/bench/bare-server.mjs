// The floor: a bare Fastify POST route that parses the same JSON and answers OK.
// Usage: node bare-server.mjs [--busy-us=N] <port>
// With --busy-us=N each request also spins for N µs before it answers: the calibration rows of the bench,
// which show what a known amount of work per request costs in throughput on this machine, in the same run.
import Fastify from 'fastify'

const args = process.argv.slice(2)
const busy = args.find((a) => a.startsWith('--busy-us='))
const busyMs = busy === undefined ? 0 : Number(busy.slice('--busy-us='.length)) / 1000
if (!(busyMs >= 0)) throw new Error(`--busy-us takes a number of microseconds, not ${JSON.stringify(busy)}`)
const port = Number(args.filter((a) => !a.startsWith('--')).at(-1) ?? 0)

const app = Fastify({ logger: false })
const ok = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
app.post('/', async (request) => {
  if (typeof request.body !== 'object') throw new Error('no body')
  if (busyMs > 0) {
    const end = performance.now() + busyMs
    while (performance.now() < end);
  }
  return ok
})
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ port, host: '127.0.0.1' })
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
