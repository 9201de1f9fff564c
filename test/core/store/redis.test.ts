// The Redis store against a real redis-server (started on a free loopback port, no persistence).
import t from 'tap'
import { createMemoryStore, StoreUnavailableError, type StoreOp } from '../../../core/store/index.js'
import { createRedisStore, redactUrl, type RedisStore } from '../../../core/store/redis.js'
import { startRedis } from '../../fixtures/redis-server.js'

const redis = await startRedis()
t.teardown(() => redis.stop())

async function ready(store: RedisStore): Promise<RedisStore> {
  await store.ping()
  t.teardown(() => store.close())
  return store
}

t.test('each operation, keys hash-tagged under the prefix', async (t) => {
  const store = await ready(createRedisStore({ url: redis.url, keyPrefix: 'p1:', timeoutMs: 500 }))
  t.equal(store.kind, 'redis')
  const ops: StoreOp[] = [
    { op: 'hit', key: 'rl:alice', windowMs: 60_000 },
    { op: 'hit', key: 'rl:alice', windowMs: 60_000 },
    { op: 'distinct', key: 'd', member: 'g1', windowMs: 60_000 },
    { op: 'distinct', key: 'd', member: 'g2', windowMs: 60_000 },
    { op: 'seen', key: 's', ttlMs: 60_000 },
    { op: 'seen', key: 's', ttlMs: 60_000 },
    { op: 'get', key: 'v' },
    { op: 'set', key: 'v', value: 'x', ttlMs: 60_000 },
    { op: 'get', key: 'v' },
  ]
  t.same(await store.exec(ops), [1, 2, 1, 2, false, true, undefined, true, 'x'])
  await store.ping()
  const defaults = await ready(createRedisStore({ url: redis.url }))
  t.same(await defaults.exec([{ op: 'get', key: 'v' }]), [undefined], 'another prefix (presend:), another key')
  const keys = (await store.client.keys('*')).sort()
  t.ok(keys.every((k) => k.startsWith('{p1:')), 'every key starts with its hash tag and the prefix')
  t.ok(keys.some((k) => /^\{p1:rl:alice\}:\d+$/.test(k)), 'a counter key carries its window')
  t.ok((await store.client.pttl('{p1:v}')) > 0, 'every key expires')
})

t.test('memory and Redis give the same answers on the same sequence', async (t) => {
  // One clock for both, standing still: on the real one, a counting window that ended between the two stores'
  // calls of one batch would make them differ.
  const clock = () => 1_700_000_030_000
  const store = await ready(createRedisStore({ url: redis.url, keyPrefix: 'diff:', timeoutMs: 500, now: clock }))
  const memory = createMemoryStore({ now: clock })
  // A seeded sequence over few keys, so counters, repeats and members collide.
  let seed = 7
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n)
  const sequence: StoreOp[][] = []
  for (let i = 0; i < 120; i++) {
    const key = `k${rand(4)}`
    const choice = rand(5)
    const op: StoreOp =
      choice === 0 ? { op: 'hit', key: `h${key}`, windowMs: 60_000 }
        : choice === 1 ? { op: 'distinct', key: `d${key}`, member: `m${rand(6)}`, windowMs: 60_000 }
          : choice === 2 ? { op: 'seen', key: `s${key}`, ttlMs: 60_000 }
            : choice === 3 ? { op: 'set', key: `v${key}`, value: String(i), ttlMs: 60_000 }
              : { op: 'get', key: `v${key}` }
    sequence.push(rand(3) === 0 ? [op, { op: 'hit', key: 'shared', windowMs: 60_000 }] : [op])
  }
  const fromRedis: unknown[] = []
  const fromMemory: unknown[] = []
  for (const batch of sequence) {
    fromRedis.push(await store.exec(batch))
    fromMemory.push(memory.exec(batch))
  }
  t.same(fromRedis, fromMemory)
})

t.test('a command Redis refuses fails the call', async (t) => {
  const store = await ready(createRedisStore({ url: redis.url, keyPrefix: 'bad:', timeoutMs: 500 }))
  // A distinct-count key holding a string: ZADD answers WRONGTYPE.
  await store.client.set('{bad:d}', 'not a sorted set')
  await t.rejects(store.exec([{ op: 'distinct', key: 'd', member: 'm', windowMs: 1000 }]) as Promise<unknown>, { name: 'StoreUnavailableError', message: /refused a command: .*WRONGTYPE/ })
})

t.test('a slow Redis times out; failures in a row open the breaker, which fails at once and then recovers', async (t) => {
  const states: string[] = []
  const ops: Array<string | undefined> = []
  const logged: string[] = []
  const logger = { debug() {}, info: (m: unknown) => logged.push(String(m)), warn() {}, error: (_o: unknown, m?: string) => logged.push(String(m)) }
  const store = await ready(createRedisStore({
    url: redis.url, timeoutMs: 20, breakerFailures: 2, breakerRetryMs: 150, logger,
    observer: { op: (_s, e) => ops.push(e), state: (s) => states.push(s) },
  }))
  // A frozen server keeps its connections and answers nothing: the calls wait past their timeout.
  redis.pause()
  const hit: StoreOp[] = [{ op: 'hit', key: 'k', windowMs: 1000 }]
  await t.rejects(store.exec(hit) as Promise<unknown>, /did not answer within 20 ms/)
  await t.rejects(store.exec(hit) as Promise<unknown>, /did not answer within 20 ms/)
  t.equal(store.state, 'open')
  const started = performance.now()
  await t.rejects(store.exec(hit) as Promise<unknown>, StoreUnavailableError)
  t.ok(performance.now() - started < 20, 'an open breaker answers at once, without waiting for the timeout')
  redis.resume()
  await new Promise((r) => setTimeout(r, 160))
  const [count] = (await store.exec(hit)) as number[]
  // The calls that timed out may still be applied once Redis thaws: a timeout does not mean "not counted".
  t.ok(count! >= 1 && count! <= 3, `the probe succeeds (count ${count})`)
  t.equal(store.state, 'closed')
  t.same(states, ['open', 'closed'])
  t.same(ops, ['timeout', 'timeout', 'unavailable', undefined])
  t.equal(logged.filter((l) => l.includes('not answering')).length, 1, 'the outage is logged once')
  t.equal(logged.filter((l) => l.includes('answers again')).length, 1, 'the recovery is logged once')
})

t.test('Redis killed: calls fail fast; Redis back: the store reconnects by itself', async (t) => {
  const server = await startRedis()
  t.teardown(() => server.stop())
  const store = await ready(createRedisStore({ url: server.url, timeoutMs: 200, breakerRetryMs: 50 }))
  t.same(await store.exec([{ op: 'hit', key: 'k', windowMs: 60_000 }]), [1])
  await server.kill()
  for (let i = 0; i < 3; i++) await t.rejects(store.exec([{ op: 'hit', key: 'k', windowMs: 60_000 }]) as Promise<unknown>, StoreUnavailableError)
  t.equal(store.state, 'open')
  await server.restart()
  const until = performance.now() + 3000
  let answer: unknown
  while (answer === undefined && performance.now() < until) {
    answer = await (store.exec([{ op: 'hit', key: 'k', windowMs: 60_000 }]) as Promise<unknown>).catch(() => undefined)
    if (answer === undefined) await new Promise((r) => setTimeout(r, 50))
  }
  t.same(answer, [1], 'answers again (a fresh Redis: the count starts over)')
  t.equal(store.state, 'closed')
})

t.test('ping says why an unreachable Redis is unreachable, without its password', async (t) => {
  const store = createRedisStore({ url: 'redis://user:secret@127.0.0.1:1', timeoutMs: 10, redis: { retryStrategy: () => null } })
  t.teardown(() => store.close())
  const err = await store.ping().then(() => undefined, (e: Error) => e)
  t.match(err, { name: 'StoreUnavailableError', message: /Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1 is unreachable: connect ECONNREFUSED/ })
  // A host that swallows the connection (a frozen server) is given up on after the connect timeout (2 s unless
  // set; 200 ms here).
  redis.pause()
  const frozen = createRedisStore({ url: redis.url, redis: { lazyConnect: false, connectTimeout: 200 } })
  t.teardown(() => frozen.close())
  const started = performance.now()
  await t.rejects(frozen.ping(), /is unreachable: no answer within 200 ms/)
  redis.resume()
  t.ok(performance.now() - started >= 190)
  t.notMatch(err?.message, /secret/)
  t.equal(redactUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379')
})
