// The embedded default configuration with the real built-in plugins: what `npm start` serves with no file.
import t from 'tap'
import { c2cRequest } from '../../core/testing/index.js'
import { defaultConfig } from '../../server/config.js'
import { createPipelineFromConfig } from '../../server/resolve.js'

t.test('the embedded default builds and masks swear words and links', async (t) => {
  const pipeline = await createPipelineFromConfig(defaultConfig, { baseDir: t.testdir({}) })
  t.teardown(() => pipeline.close())
  t.same(pipeline.names, ['profanity', 'links'])
  const clean = await pipeline.run(c2cRequest({ text: 'see you at the assessment tomorrow' }))
  t.equal(clean.decision, 'allow')
  t.equal(clean.changed, false)
  const dirty = await pipeline.run(c2cRequest({ text: 'you asshole, go to https://evil.example.com/x' }))
  t.equal(dirty.decision, 'allow')
  t.equal(dirty.changed, true)
  const text = (dirty.body[0]?.MsgContent as { Text: string }).Text
  t.notMatch(text, /asshole/, 'the swear word is masked')
  t.notMatch(text, /evil\.example\.com/, 'the link is replaced')
  t.same(dirty.trace.map((e) => e.outcome), ['edit', 'edit'])
})
