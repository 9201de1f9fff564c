// The floor: a bare Fastify POST route that parses the same JSON and answers OK.
// Usage: node bare-server.mjs <port>
import Fastify from 'fastify'

const app = Fastify({ logger: false })
const ok = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }
app.post('/', async (request) => {
  if (typeof request.body !== 'object') throw new Error('no body')
  return ok
})
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' })
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
