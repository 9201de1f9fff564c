import t from 'tap'
import { Breaker, type BreakerState } from '../../../core/store/breaker.js'

t.test('opens after failures in a row, probes after retryMs, closes on success', async (t) => {
  let now = 0
  const changes: BreakerState[] = []
  const b = new Breaker({ failures: 2, retryMs: 100, now: () => now, onChange: (s) => changes.push(s) })
  t.ok(b.allow())
  b.failure(new Error('1'))
  b.success()
  b.failure(new Error('1'))
  t.equal(b.state, 'closed', 'a success in between resets the count')
  b.failure(new Error('2'))
  t.equal(b.state, 'open')
  t.notOk(b.allow(), 'open: refused at once')
  now = 100
  t.ok(b.allow(), 'time for a probe')
  t.equal(b.state, 'half-open')
  t.notOk(b.allow(), 'one probe at a time')
  b.failure(new Error('probe failed'))
  t.equal(b.state, 'open')
  now = 150
  t.notOk(b.allow(), 'the wait starts again from the failed probe')
  now = 200
  t.ok(b.allow())
  b.success()
  t.equal(b.state, 'closed')
  t.same(changes, ['open', 'closed'], 'each outage reported once: opened, then closed')
})

t.test('defaults', async (t) => {
  const b = new Breaker()
  for (let i = 0; i < 3; i++) b.failure(new Error('x'))
  t.equal(b.state, 'open')
  t.notOk(b.allow())
})
