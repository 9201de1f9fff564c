// The pipeline in process, without HTTP: messages/s of the default pipeline, of an empty pipeline (the
// core's own overhead), and of each built-in plugin alone. Prints one JSON object { rows, markdown }.
import { createPipeline } from '../../dist/core/index.js'
import { builtinPlugins } from '../../dist/plugins/index.js'
import { defaultConfig } from '../../dist/server/config.js'
import { createPipelineFromConfig } from '../../dist/server/resolve.js'
import { payload, texts } from './data.mjs'

const quick = process.argv.includes('--quick')
const ms = quick ? 500 : 2000

const requests = texts.map((text) => ({ ...payload(), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] }))
requests.push(payload())
const chars = requests.reduce((n, r) => n + r.MsgBody[0].MsgContent.Text.length, 0) / requests.length

async function measure(label, pipeline) {
  // warm-up, then as many messages as fit in `ms`
  for (let i = 0; i < 2000; i++) await pipeline.run(requests[i % requests.length])
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) await pipeline.run(requests[(n + i) % requests.length])
    n += 100
  }
  const elapsed = performance.now() - start
  await pipeline.close()
  return { label, perSecond: (n / elapsed) * 1000, usPerMessage: (elapsed * 1000) / n }
}

const rows = []
rows.push(await measure('empty pipeline (core overhead)', await createPipeline({ plugins: [] })))
rows.push(await measure('default pipeline (embedded config)', await createPipelineFromConfig(defaultConfig, { baseDir: process.cwd() })))
const alone = {
  profanity: {},
  links: {},
  'keyword-rewrite': { preset: 'red-packet' },
  'custom-elem': { elem: { Desc: 'CustomElement.MemberLevel', Data: 'LV1' } },
}
for (const [name, options] of Object.entries(alone)) {
  const plugin = builtinPlugins[name]
  if (plugin) rows.push(await measure(`${name} alone`, await createPipeline({ plugins: [[plugin, options]] })))
}
const base = rows[0].usPerMessage
const markdown = [
  `Average text ${Math.round(chars)} characters, ${requests.length} different messages in rotation, ${ms} ms per row.`,
  '',
  '| pipeline | messages/s | µs per message | µs over the empty pipeline |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.label} | ${Math.round(r.perSecond)} | ${r.usPerMessage.toFixed(2)} | ${(r.usPerMessage - base).toFixed(2)} |`),
].join('\n')
console.log(JSON.stringify({ rows, markdown }))
