// Auth failures (401, 403) are logged once per interval with a count and a sample, not one line each:
// 16k bad requests used to write 4 MB of log (issue 18, item 7). Real HTTP, a short interval.
import t from 'tap'
import { request } from 'undici'
import { buildServer } from '../../server/app.js'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { RateLimitedLog } from '../../server/log-limiter.js'
import { sleep } from '../reliability/fixtures/helpers.js'

const C2C = 'C2C.CallbackBeforeSendMsg'

t.test('a flood of 401s and 403s writes one line at once and one summary per interval', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const config = configSchema.parse({ plugins: [], auth: { token: 'secret' }, logging: { repeatIntervalMs: 200 } }) as PresendConfig
  const app = await buildServer(config, { logger: { stream: { write: (l: string) => void lines.push(JSON.parse(l)) } } })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const refused = () => lines.filter((l) => l.code === 'PRESEND_UNAUTHORIZED')
  const bad = () => request(`${address}/?CallbackCommand=${C2C}&Sign=x&RequestTime=1`, { method: 'POST', body: '{}' }).then((r) => r.body.text())
  const started = Date.now()
  await Promise.all(Array.from({ length: 30 }, bad))
  await sleep(300)
  const elapsed = Date.now() - started
  const [first, ...summaries] = refused()
  t.match(first, { level: 40, msg: /^Sign does not match/ }, 'the first failure is logged at once')
  // However the 30 fall into intervals on a busy machine: one summary an interval at most, and every failure counted.
  t.ok(summaries.length >= 1 && summaries.length <= Math.ceil(elapsed / 200), `${summaries.length} summaries in ${elapsed} ms`)
  t.equal(1 + summaries.reduce((n, l) => n + (l.repeated as number), 0), 30)
  for (const summary of summaries) {
    t.match(summary, { level: 40, intervalMs: 200, msg: /^\d+ more authentication failures in the last 0\.2 s .*one of them: Sign does not match/ })
  }
  const logged = refused().length
  await sleep(500)
  t.equal(refused().length, logged, 'a quiet interval writes nothing')
  await bad()
  t.equal(refused().length, logged + 1, 'after a quiet interval the next failure is logged at once again')
  await bad()
  await bad()
  await app.close()
  t.match(refused()[logged + 1], { repeated: 2 }, 'close writes what was counted')
})
t.test('RateLimitedLog: flush with nothing counted writes nothing', async (t) => {
  const written: unknown[] = []
  const log = { warn: (...args: unknown[]) => void written.push(args) } as never
  const limiter = new RateLimitedLog(log, 50, 'things')
  limiter.flush()
  t.equal(written.length, 0)
  limiter.hit({}, 'one')
  limiter.flush()
  t.equal(written.length, 1)
})
