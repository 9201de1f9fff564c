// The pipeline in process, without HTTP: messages/s of the default pipeline, of an empty pipeline (the
// core's own overhead), and of each built-in plugin alone. Prints one JSON object { rows, markdown }.
// Run by `npm run bench` (its "Pipeline in process" section); flags (`--help` lists them): --quick.
// Measures the built package (dist/): `npm run build` first.
import { parseFlags } from './flags.mjs'

const flags = parseFlags({
  usage: ['npm run bench -- --no-server --no-matcher  (this bench alone, into BENCHMARKS.md)', 'node test/bench/pipeline.mjs [flags]  (after npm run build)'],
  about: `
The pipeline in process, without HTTP, on the built package (dist/): messages/s of the default
pipeline, of an empty pipeline (the core's own overhead) and of each built-in plugin alone, over the
chat corpus (test/bench/corpus/), and of the default pipeline on the old single payload. Each row is the best of 5 slices after a warm-up. Prints one JSON object
{ rows, markdown } on stdout; npm run bench puts the markdown into BENCHMARKS.md.`,
  flags: {
    quick: { type: 'boolean', help: 'to try the harness: 500 ms of slices per row instead of 2000, after a warm-up of a quarter of that' },
  },
})
const quick = flags.quick === true
const ms = quick ? 500 : 2000

// Imported once the flags are good: dist/ is not needed for --help or a mistyped flag.
const { createPipeline } = await import('../../dist/core/index.js')
const { builtinPlugins } = await import('../../dist/plugins/index.js')
const { defaultConfig } = await import('../../dist/server/config.js')
const { createPipelineFromConfig } = await import('../../dist/server/resolve.js')
const { corpusRequests, payload } = await import('./data.mjs')

const requests = corpusRequests()
const chars = requests.reduce((n, r) => n + r.MsgBody[0].MsgContent.Text.length, 0) / requests.length

const SLICES = 5

async function measure(label, pipeline, messages = requests) {
  // Warm-up (the JIT, and the normaliser's per-character tables) for a quarter of the time, then
  // `SLICES` slices of `ms / SLICES`, as many messages as fit in each: the best slice counts, the one
  // least disturbed by the other tenants of this shared machine.
  const run = async (budget) => {
    let n = 0
    const start = performance.now()
    while (performance.now() - start < budget) {
      for (let i = 0; i < 100; i++) await pipeline.run(messages[(n + i) % messages.length])
      n += 100
    }
    return (performance.now() - start) / n
  }
  await run(ms / 4)
  let best = Infinity
  for (let s = 0; s < SLICES; s++) best = Math.min(best, await run(ms / SLICES))
  await pipeline.close()
  return { label, perSecond: 1000 / best, usPerMessage: best * 1000 }
}

const rows = []
rows.push(await measure('empty pipeline (core overhead)', await createPipeline({ plugins: [] })))
rows.push(await measure('default pipeline (embedded config)', await createPipelineFromConfig(defaultConfig, { baseDir: process.cwd() })))
rows.push(await measure('default pipeline, the old single payload', await createPipelineFromConfig(defaultConfig, { baseDir: process.cwd() }), [payload()]))
const alone = {
  profanity: {},
  links: {},
  'keyword-rewrite': { preset: 'red-packet' },
  'custom-elem': { elem: { Desc: 'CustomElement.MemberLevel', Data: 'LV1' } },
  contacts: {},
}
for (const [name, options] of Object.entries(alone)) {
  const plugin = builtinPlugins[name]
  if (plugin) rows.push(await measure(`${name} alone`, await createPipeline({ plugins: [[plugin, options]] })))
}
// profanity's pinyin mode (issue 17): the zh list's terms also in pinyin, initials and homophones.
rows.push(await measure('profanity alone, pinyin on', await createPipeline({ plugins: [[builtinPlugins.profanity, { pinyin: true }]] })))
// contacts on texts that each hold a contact detail (what it masks costs more than what it passes).
const contactTexts = ['加我微信 zhang_san88 详聊', '电话 138-1234-5678', '一三八一二三四五六七八', 'QQ：12345678', 'mail me: a.b@example.com', '座机 (0755) 8888 1234', '+44 20 7946 0958']
const contactRequests = contactTexts.map((text) => ({ ...payload(), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] }))
if (builtinPlugins.contacts) rows.push(await measure('contacts alone, every text a contact detail', await createPipeline({ plugins: [[builtinPlugins.contacts, {}]] }), contactRequests))
const base = rows[0].usPerMessage
const markdown = [
  `The chat corpus (test/bench/corpus/): ${requests.length} messages in rotation, ${Math.round(chars)} characters of text on average (one row: the bench's old single payload, ${payload().MsgBody[0].MsgContent.Text.length} characters); per row a warm-up of ${ms / 4} ms, then the best of ${SLICES} slices of ${ms / SLICES} ms.`,
  '',
  '| pipeline | messages/s | µs per message | µs over the empty pipeline |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.label} | ${Math.round(r.perSecond)} | ${r.usPerMessage.toFixed(2)} | ${(r.usPerMessage - base).toFixed(2)} |`),
].join('\n')
console.log(JSON.stringify({ rows, markdown }))
