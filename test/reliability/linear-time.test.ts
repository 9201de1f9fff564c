// Every per-message step is linear in the text and the hits: a 256 KB text with ~20k hits costs a small
// multiple of a 16 KB one with ~1.3k, through the whole route (JSON parse, validation, normalisation,
// matching, link finding, regexes, edit application with grapheme snapping, JSON text, reply
// serialisation). Before the grapheme snapper, each edit segmented the text again (Intl.Segments.containing()
// past 65,536 code units): a 96 KB text took 35 s. Ratios only, medians of three, in one process. Also the
// option regexes that backtrack catastrophically on V8, on RE2.
import t from 'tap'
import { compileSafeRegExp } from '../../core/safe-regex.js'
import { postScaling, scalingPayload, scalingServer, scalingText } from '../bench/scaling-input.js'
import { PATHOLOGICAL } from '../fixtures/pathological-regexes.js'

t.test('16× the text and the hits costs at most 40× the time', async (t) => {
  const app = await scalingServer()
  t.teardown(() => app.close())
  const small = scalingPayload(scalingText(16 * 1024, true))
  const large = scalingPayload(scalingText(256 * 1024, true))
  const time = async (payload: string): Promise<number> => {
    const started = performance.now()
    const reply = await postScaling(app, payload)
    t.equal(reply.ErrorCode, 0)
    return performance.now() - started
  }
  // Warm up both paths (first compilations, lazy tables), then alternate so a busy spell hits both.
  await time(small)
  await time(large)
  const smalls: number[] = []
  const larges: number[] = []
  for (let i = 0; i < 3; i++) {
    smalls.push(await time(small))
    larges.push(await time(large))
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1] as number
  const ratio = median(larges) / median(smalls)
  t.ok(ratio <= 40, `256 KB took ${ratio.toFixed(1)}× the time of 16 KB (medians ${median(larges).toFixed(0)} / ${median(smalls).toFixed(1)} ms)`)
  // Every hit edited in the large text too: nothing ran out of its budget.
  const reply = await postScaling(app, large)
  const text = reply.MsgBody?.[0]?.MsgContent.Text ?? ''
  t.notOk(/darn|\bbad\b|a\.io|wx42|笨蛋/.test(text), 'every hit replaced')
})

/** Median of `runs` timings of `reps` calls of `fn`, in ms. */
function medianMs(fn: () => unknown, reps: number, runs = 3): number {
  fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    for (let j = 0; j < reps; j++) fn()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[runs >> 1] as number
}

/** How often `fn` must run for a sample of at least 10 ms, so that timer and GC noise stay small beside it. */
function repsFor(fn: () => unknown): number {
  const one = medianMs(fn, 1)
  return Math.max(1, Math.ceil(10 / Math.max(one, 0.01)))
}

// Option regexes (core/safe-regex.ts): the patterns that backtrack catastrophically on V8 run on RE2 in linear time.
t.test('the patterns that backtrack catastrophically on V8 run in linear time', async (t) => {
  for (const [source, adversarial] of PATHOLOGICAL) {
    const re = compileSafeRegExp(source, 'gu')
    // 4 times the text costs at most 16 times the time (linear: ~4; backtracking: astronomically more). Both
    // sizes are past the length (262,144 / program size) up to which RE2 uses its bounded bit-state
    // backtracker, faster per character than the automata it uses beyond.
    // Flat strings (not ropes), so the first run does not pay for flattening; the lowest ratio of three tries,
    // since a collection or a busy neighbour can only make one try slower, and super-linear growth shows in all.
    const small = Buffer.from(adversarial(65_536)).toString()
    const large = Buffer.from(adversarial(262_144)).toString()
    const reps = repsFor(() => [...re.matchAll(small)].length)
    let ratio = Infinity
    for (let i = 0; i < 3 && ratio >= 16; i++) {
      ratio = Math.min(ratio, medianMs(() => [...re.matchAll(large)].length, reps) / medianMs(() => [...re.matchAll(small)].length, reps))
    }
    t.ok(ratio < 16, `${source}: 4× the text took ${ratio.toFixed(1)}× the time`)
  }
})
