// Every per-message step is linear in the text and the hits: a 256 KB text with ~20k hits costs a small
// multiple of a 16 KB one with ~1.3k, through the whole route (JSON parse, validation, normalisation,
// matching, link finding, regexes, edit application with grapheme snapping, JSON text, reply
// serialisation). Before the grapheme snapper, each edit segmented the text again (Intl.Segments.containing()
// past 65,536 code units): a 96 KB text took 35 s. Ratios only, medians of three, in one process.
import t from 'tap'
import { postScaling, scalingPayload, scalingServer, scalingText } from '../bench/scaling-input.js'

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
