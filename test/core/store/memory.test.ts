import t from 'tap'
import { createMemoryStore, namespaceStore, whenReady, type StoreOp } from '../../../core/store/index.js'

function clock(start = 1_000_000) {
  const c = { now: start, tick: (ms: number) => (c.now += ms), read: () => c.now }
  return c
}

t.test('hit counts in fixed windows', async (t) => {
  const c = clock()
  const store = createMemoryStore({ now: c.read })
  const hit = (key: string) => (store.exec([{ op: 'hit', key, windowMs: 1000 }]) as number[])[0]
  t.equal(hit('a'), 1)
  t.equal(hit('a'), 2)
  t.equal(hit('b'), 1, 'keys count apart')
  c.tick(1000)
  t.equal(hit('a'), 1, 'a new window starts again')
})

t.test('distinct counts members in a sliding window', async (t) => {
  const c = clock()
  const store = createMemoryStore({ now: c.read })
  const d = (member: string) => (store.exec([{ op: 'distinct', key: 'k', member, windowMs: 1000 }]) as number[])[0]
  t.equal(d('g1'), 1)
  t.equal(d('g1'), 1, 'the same member again')
  c.tick(500)
  t.equal(d('g2'), 2)
  c.tick(600)
  t.equal(d('g3'), 2, 'g1 (noted 1100 ms ago) has left the window')
  c.tick(2000)
  t.equal(d('g1'), 1, 'the whole key expired')
})

t.test('seen, get and set with a TTL', async (t) => {
  const c = clock()
  const store = createMemoryStore({ now: c.read })
  const ops: StoreOp[] = [{ op: 'seen', key: 's', ttlMs: 100 }, { op: 'get', key: 'v' }, { op: 'set', key: 'v', value: 'x', ttlMs: 100 }, { op: 'get', key: 'v' }]
  t.same(store.exec(ops), [false, undefined, true, 'x'])
  t.same(store.exec([{ op: 'seen', key: 's', ttlMs: 100 }]), [true])
  c.tick(100)
  t.same(store.exec([{ op: 'seen', key: 's', ttlMs: 100 }, { op: 'get', key: 'v' }]), [false, undefined], 'both expired')
  await store.ping()
  await store.close()
  t.same(store.exec([{ op: 'get', key: 's' }]), [undefined], 'close forgets everything')
})

t.test('the least recently used key goes past maxKeys', async (t) => {
  const store = createMemoryStore({ maxKeys: 2 })
  store.exec([{ op: 'set', key: 'a', value: '1', ttlMs: 10_000 }, { op: 'set', key: 'b', value: '2', ttlMs: 10_000 }])
  store.exec([{ op: 'get', key: 'a' }])
  store.exec([{ op: 'set', key: 'c', value: '3', ttlMs: 10_000 }])
  t.same(store.exec([{ op: 'get', key: 'a' }, { op: 'get', key: 'b' }, { op: 'get', key: 'c' }]), ['1', undefined, '3'])
  t.equal(createMemoryStore().kind, 'memory')
})

t.test('a plugin sees its own namespace', async (t) => {
  const store = createMemoryStore()
  const a = namespaceStore(store, 'a')
  const b = namespaceStore(store, 'b')
  t.equal(a.hit('k', 1000), 1)
  t.equal(a.hit('k', 1000), 2)
  t.equal(b.hit('k', 1000), 1, 'another plugin, another counter')
  t.equal(a.distinct('d', 'm', 1000), 1)
  t.equal(a.seen('s', 1000), false)
  t.equal(a.set('v', 'x', 1000), undefined)
  t.equal(a.get('v'), 'x')
  t.equal(b.get('v'), undefined)
  t.same(a.batch([{ op: 'get', key: 'v' }]), ['x'])
})

t.test('a store that throws becomes a rejected promise; whenReady waits for promises', async (t) => {
  const broken = namespaceStore({ kind: 'x', exec: () => { throw new Error('boom') }, ping: async () => {}, close: async () => {} }, 'p')
  await t.rejects(broken.hit('k', 1) as Promise<number>, /boom/)
  const slow = namespaceStore({ kind: 'x', exec: async (ops) => ops.map(() => 7), ping: async () => {}, close: async () => {} }, 'p')
  t.equal(await slow.hit('k', 1), 7)
  t.equal(await whenReady(Promise.resolve(2), (n) => n * 2), 4)
  t.equal(whenReady(2, (n) => n * 2), 4)
})
