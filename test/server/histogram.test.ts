// BoundHistogram: the same export as prom-client's own Histogram for the same observations, in both of the
// registry's formats; reset; values that are not numbers.
import t from 'tap'
import fc from 'fast-check'
import { Histogram, Registry } from 'prom-client'
import { BoundHistogram } from '../../server/histogram.js'

const BUCKETS = [0.00002, 0.0001, 0.001, 0.01, 1, 2]
const options = { name: 'x_seconds', help: 'How long x took, in seconds.' }

/** Two registries, prom-client's Histogram in one and a BoundHistogram in the other, fed the same observations. */
function pair(observations: ReadonlyArray<readonly [string, number]>): { theirs: Registry; ours: Registry } {
  const theirs = new Registry()
  const reference = new Histogram({ ...options, labelNames: ['plugin'], buckets: BUCKETS, registers: [theirs] })
  const ours = new Registry()
  const bound = new BoundHistogram({ ...options, buckets: BUCKETS })
  ours.registerMetric(bound.metric)
  for (const [plugin, value] of observations) {
    reference.observe({ plugin }, value)
    bound.series({ plugin }).observe(value)
  }
  return { theirs, ours }
}

t.test("the text and JSON exports equal prom-client's Histogram's", async (t) => {
  const observation = fc.tuple(fc.constantFrom('a', 'b', 'c"\\'), fc.oneof(fc.constantFrom(0, ...BUCKETS, 3), fc.double({ min: 0, max: 5, noNaN: true })))
  await fc.assert(
    fc.asyncProperty(fc.array(observation, { maxLength: 40 }), async (observations) => {
      const { theirs, ours } = pair(observations)
      t.equal(await ours.metrics(), await theirs.metrics())
      // As JSON, the form a cluster's workers send theirs in: keys, order and all.
      t.equal(JSON.stringify(await ours.getMetricsAsJSON()), JSON.stringify(await theirs.getMetricsAsJSON()))
    }),
    { numRuns: 200 },
  )
})

t.test('a series shows at 0 from when it is bound, and again at 0 after a reset', async (t) => {
  const registry = new Registry()
  const h = new BoundHistogram({ ...options, buckets: BUCKETS })
  registry.registerMetric(h.metric)
  t.equal(registry.getSingleMetric('x_seconds'), h.metric, 'found by name')
  const s = h.series({ plugin: 'a' })
  t.equal(h.series({ plugin: 'a' }), s, 'one series per label set')
  t.match(await registry.metrics(), 'x_seconds_count{plugin="a"} 0\n')
  s.observe(0.5)
  t.match(await registry.metrics(), 'x_seconds_bucket{le="1",plugin="a"} 1\nx_seconds_bucket{le="2",plugin="a"} 1\nx_seconds_bucket{le="+Inf",plugin="a"} 1\nx_seconds_sum{plugin="a"} 0.5\n')
  registry.resetMetrics()
  const text = await registry.metrics()
  t.match(text, 'x_seconds_bucket{le="1",plugin="a"} 0\n')
  t.match(text, 'x_seconds_sum{plugin="a"} 0\nx_seconds_count{plugin="a"} 0\n')
})

t.test('a value that is not a finite number is not counted (prom-client would throw, failing the request)', async (t) => {
  const h = new BoundHistogram({ ...options, buckets: BUCKETS })
  const s = h.series({})
  for (const value of [NaN, Infinity, -Infinity]) s.observe(value)
  s.observe(0.001)
  t.equal(s.count, 1)
  t.equal(s.sum, 0.001)
  t.match(await h.get(), { type: 'histogram', aggregator: 'sum', values: [{ labels: { le: 0.00002 }, value: 0 }] })
})
