// Build-time work in slices: the drivers give the event loop a turn between slices, and return (or throw)
// exactly what the steps do.
import t from 'tap'
import { copiedArray, createSlicer, EMPTY, runSliced, runToEnd, SLICE_MS, type Steps } from '../../core/slices.js'

/** Steps that yield `n` times, then return `n`; each step spins for `spinMs`. */
function* counting(n: number, spinMs = 0): Steps<number> {
  for (let i = 0; i < n; i++) {
    const until = performance.now() + spinMs
    while (performance.now() < until);
    yield
  }
  return n
}

function* failing(): Steps<number> {
  yield
  throw new Error('bad step')
}

t.test('runToEnd runs every step at once', async (t) => {
  let turned = false
  setImmediate(() => (turned = true))
  t.equal(runToEnd(counting(1000)), 1000)
  t.notOk(turned, 'no turn of the event loop in between')
  t.throws(() => runToEnd(failing()), /bad step/)
})

t.test('runSliced gives the event loop a turn once a slice has run its time', async (t) => {
  t.ok(SLICE_MS > 0 && SLICE_MS < 50, 'a slice is a few milliseconds')
  let turns = 0
  const ticker = setInterval(() => turns++, 0)
  // 40 steps of 1 ms with 4 ms slices: about ten breaks.
  t.equal(await runSliced(counting(40, 1), 4), 40)
  clearInterval(ticker)
  t.ok(turns >= 3, `timers ran between slices (${turns} times)`)
  t.equal(await runSliced(counting(3)), 3, 'short work: one slice, the default length')
  await t.rejects(runSliced(failing()), /bad step/, 'a throwing step rejects')
})

t.test('a Slicer pauses a loop of its own, and each() goes through every item in order', async (t) => {
  const slicer = createSlicer(0)
  let due = 0
  for (let i = 0; i < 255; i++) if (slicer.due()) due++
  t.equal(due, 0, 'the clock is read once per 256 calls')
  t.ok(slicer.due(), 'the 256th call, past a 0 ms slice, is due')
  let turned = false
  setImmediate(() => (turned = true))
  await slicer.pause()
  t.ok(turned, 'pause() let the event loop turn')

  const seen: number[] = []
  let turns = 0
  const ticker = setInterval(() => turns++, 0)
  await createSlicer(0).each(
    Array.from({ length: 3000 }, (_, i) => i),
    (i) => {
      seen.push(i)
      const until = performance.now() + 0.002
      while (performance.now() < until);
    },
  )
  clearInterval(ticker)
  t.same(seen, Array.from({ length: 3000 }, (_, i) => i), 'every item, in order')
  t.ok(turns > 0, `the event loop turned during each() (${turns} times)`)
  const quick: string[] = []
  await createSlicer().each(['a', 'b'], (s) => quick.push(s))
  t.same(quick, ['a', 'b'], 'the default slice length')
})

t.test('copiedArray copies, widens, trims and fills in steps', async (t) => {
  const from = Int32Array.from({ length: 70_000 }, (_, i) => i)
  let steps = 0
  const counted = function* <T>(inner: Steps<T>): Steps<T> {
    for (;;) {
      const r = inner.next()
      if (r.done === true) return r.value
      steps++
      yield
    }
  }
  const wide = runToEnd(counted(copiedArray(Int32Array, from, 200_000, -1)))
  t.equal(wide.length, 200_000)
  t.same([wide[0], wide[69_999], wide[70_000], wide[199_999]], [0, 69_999, -1, -1], 'the copy first, the rest filled')
  t.ok(steps >= 3, `a break between chunks (${steps} steps)`)
  const short = runToEnd(copiedArray(Int32Array, from, 5, -1))
  t.same([...short], [0, 1, 2, 3, 4], 'trimmed to the size asked for')
  const zeros = runToEnd(copiedArray(Uint8Array, EMPTY, 4, 0))
  t.same([...zeros], [0, 0, 0, 0], 'filling with 0 is a new array as made')
  t.same([...runToEnd(copiedArray(Uint8Array, EMPTY, 3, 1))], [1, 1, 1])
})
