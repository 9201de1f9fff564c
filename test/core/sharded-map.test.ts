// The build-time map split over shards: a Map, key for key, whatever the keys look like.
import t from 'tap'
import { ShardedMap } from '../../core/sharded-map.js'

t.test('ShardedMap keeps every key as a Map would, and visits each once', async (t) => {
  const map = new ShardedMap<number>()
  const keys = ['', 'a', 'ab', 'abc', '傻逼', '😀x', ...Array.from({ length: 5000 }, (_, i) => `word${i}`)]
  keys.forEach((k, i) => map.set(k, i))
  map.set('a', 99)
  t.equal(map.size, keys.length, 'a key set twice counts once')
  t.equal(map.get('a'), 99, 'the last value set wins')
  t.equal(map.get('abc'), 3)
  t.ok(map.has(''), 'the empty key is a key')
  t.notOk(map.has('missing'))
  t.equal(map.get('missing'), undefined)
  const seen: string[] = []
  for (const shard of map.shards()) for (const key of shard.keys()) seen.push(key)
  t.same(seen.sort(), [...keys].sort(), 'every key once, across the shards')
  t.ok(map.shards().filter((s) => s.size > 0).length > 100, 'the keys spread over the shards')
})
