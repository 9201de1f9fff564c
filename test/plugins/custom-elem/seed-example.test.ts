// The seed example from Tencent's documentation, answered from configuration alone: the text is kept, the
// member level is appended as a TIMCustomElem and CloudCustomData is replaced.
import t from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { checkMessage, seedRequest, deepFreeze } from '../../../core/testing/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import customElem from '../../../plugins/custom-elem/index.js'
import { readFileSync } from 'node:fs'
import { loadConfig } from '../../../server/config.js'
import { buildServer } from '../../../server/app.js'

const options = {
  elem: { Desc: 'CustomElement.MemberLevel', Data: 'LV1' },
  cloudCustomData: 'your new cloud custom data',
}

const expectedReply =
  '{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,' +
  '"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}},' +
  '{"MsgType":"TIMCustomElem","MsgContent":{"Desc":"CustomElement.MemberLevel","Data":"LV1"}}],' +
  '"CloudCustomData":"your new cloud custom data"}'

t.test('the seed request gets exactly the documented modified reply', async (t) => {
  const result = await checkMessage(customElem, options, seedRequest())
  t.equal(result.decision, 'allow')
  t.equal(result.changed, true)
  t.equal(result.faults, 0)
  t.equal(JSON.stringify(result.reply), expectedReply)
  t.match(result.trace, [{ plugin: 'custom-elem', outcome: 'edit' }])
})

t.test('the same reply from a JSON config naming the built-in plugin', async (t) => {
  const config = JSON.parse(JSON.stringify({ plugins: [{ use: 'custom-elem', options }] })) as {
    plugins: Array<{ use: string; options: unknown }>
  }
  const entry = config.plugins[0]!
  t.equal(builtinPlugins[entry.use], customElem, 'registered under its config name')
  const pipeline = await createPipeline({ plugins: [[builtinPlugins[entry.use]!, entry.options]] })
  t.teardown(() => pipeline.close())
  const result = await pipeline.run(deepFreeze(seedRequest()))
  t.equal(JSON.stringify(result.reply), expectedReply)
})

t.test('end to end: the bundled server with a JSON config file answers the raw seed request', async (t) => {
  const file = new URL('fixtures/seed.config.json', import.meta.url).pathname
  const { config, baseDir } = await loadConfig({ file, env: {} })
  const app = await buildServer(config, { baseDir, logger: false, defaultMetrics: false })
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg&SdkAppid=1400000000&ClientIP=1.2.3.4&OptPlatform=iOS',
    headers: { 'content-type': 'application/json' },
    payload: readFileSync(new URL('fixtures/seed-request.json', import.meta.url), 'utf8'),
  })
  t.equal(res.statusCode, 200)
  t.equal(res.body, expectedReply)
})
