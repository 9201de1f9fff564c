// `npm run bench:scaling [-- --quick]`: how the cost of one callback grows with its text, 1 KB → 1 MB, with
// few hits (ten in all) and many (one every ~13 code units), through the whole route of a server with
// profanity (mask), links and keyword-rewrite (a word rule and a regex rule) and a jsonText rule: JSON
// parsing, validation, normalisation, matching, link finding, regexes, edits with grapheme snapping, JSON
// text, reply serialisation. Prints a Markdown table (median of 3 runs a size after a warm-up; --quick: one
// run, up to 256 KB). Linear growth shows as a flat "µs / KB" column. Plugin budgets are 2000 ms (the most
// the schema allows): a row whose plugins ran out of time is marked, since work was then skipped.
import { performance } from 'node:perf_hooks'
import { postScaling, scalingPayload, scalingServer, scalingText } from './scaling-input.js'

const quick = process.argv.includes('--quick')
const SIZES = [1, 4, 16, 64, 256, 1024].filter((kb) => !quick || kb <= 256)
const RUNS = quick ? 1 : 3

const app = await scalingServer()
const HIT = /darn|\bbad\b|a\.io|wx42|笨蛋/
console.log(`Node ${process.version}, ${RUNS} run(s) a size, median; times of the whole route (app.inject)\n`)
console.log('| text | hits | ms | µs / KB | growth for 4× the text |')
console.log('|---|---|---|---|---|')
for (const many of [false, true]) {
  let previous: number | undefined
  for (const kb of SIZES) {
    const text = scalingText(kb * 1024, many)
    const payload = scalingPayload(text)
    await postScaling(app, payload) // warm-up
    const times: number[] = []
    let complete = true
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now()
      const reply = await postScaling(app, payload)
      times.push(performance.now() - started)
      if (HIT.test(reply.MsgBody?.[0]?.MsgContent.Text ?? '')) complete = false
    }
    const ms = times.sort((a, b) => a - b)[times.length >> 1] as number
    const hits = many ? Math.round(text.length / 13) : 10
    const growth = previous === undefined ? '' : `${(ms / previous).toFixed(1)}×`
    console.log(`| ${kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`} | ${hits.toLocaleString('en')} | ${ms.toFixed(1)}${complete ? '' : ' (budget ran out)'} | ${((ms * 1000) / kb).toFixed(0)} | ${growth} |`)
    previous = ms
  }
}
await app.close()
