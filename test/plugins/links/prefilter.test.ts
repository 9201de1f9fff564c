// The prefilter is exact: with it and without it (the full finder on every text, both scans, no
// shortcut), the finder reports the same links and the plugin answers the same, on generated texts
// biased towards what links are made of and on every real text the repository's fixtures hold. And it
// does its job: ordinary sentences with full stops and decimals never reach the full finder.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import t from 'tap'
import { createPipeline, type Pipeline } from '../../../core/pipeline/index.js'
import { definePlugin } from '../../../core/plugin.js'
import { c2cRequest, deepFreeze, textElement } from '../../../core/testing/index.js'
import links, { createLinkFinder, createLinksChecker, createPrefilter, type LinkFinder } from '../../../plugins/links/index.js'

const SEED = 20261204
const RUNS = 3000
const PLUGIN_RUNS = 400

// Pieces of links and of the text around them: schemes, TLDs that are words or file extensions, hosts in
// other scripts and in full-width letters, tickers, numbers and the punctuation every rule of the finder
// turns on (dots of every width, slashes, colons, "@", quotes, CJK and full-width marks, invisible and
// object-replacement characters, emoji).
const WORDS = [
  'ok', 'so', 'now', 'store', 'evil', 'io', 'com', 'cn', 't', 'co', 'x', 'me', 'a_b', 'TVI', 'CA', 'HK', 'How', 'p', 'm', 'today',
  'http', 'https', 'ws', 'wss', 'ftp', 'mailto', 'hxxp', 'www', 'localhost', 'xn--p1ai', 'node', 'js', 'py', 'zip', 'v1', '5pm',
  '3', '5', '10', '192', '168', '0700', '中国', '例子', '测试', '看', '请访问', '吧', '网址', 'рф', 'пример', 'bücher', 'ｅｖｉｌ',
  'ｉｏ', 'ｈｔｔｐｓ', '１２', 'ｃｏｍ', 'bob', 'john.doe', 'user:pass', 'news', 'url', 'link', 'a', 'b',
]
const MARKS = [
  '.', '.', '.', '.', '。', '．', '｡', '/', '/', '//', '／', ':', '：', '@', '＠', '$', "'", "'", '"', '~', '～', '=', '?', '#', '-', '_',
  '，', '」', '「', '、', '！', '？', '（', '）', '(', ')', '…', '“', '”', ' ', ' ', ' ', '\n', '\u200b', '\u200d', '\ufeff', '\u00ad',
  '\u202e', '\ufffc', '😀', '👍🏽', '🇨🇳', '①', '\u3000',
]
const DOTS = ['.', '.', '。', '．', '｡']
const TLD_LIKE = ['io', 'com', 'so', 'now', 'me', 'py', 'CA', 'How', 'http', 'js', 'zz', '中国', 'рф', 'ｉｏ', 'xn--p1ai', '1']
// A host, most of the time with a real TLD, sometimes after a scheme, "www." or a user, sometimes with a path.
const hostLike = fc
  .tuple(
    fc.constantFrom('', '', '', 'http://', 'https://', 'ws://', '//', 'hxxp://', 'www.', 'a@', '$'),
    fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }),
    fc.constantFrom(...DOTS),
    fc.constantFrom(...TLD_LIKE),
    fc.constantFrom('', '', '/', '/x', "/x'y", '/x。', '?a=b', ':8080'),
  )
  .map(([prefix, labels, dot, tld, tail]) => `${prefix}${labels.join(dot)}${dot}${tld}${tail}`)
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 5, arbitrary: fc.constantFrom(...MARKS) },
  { weight: 2, arbitrary: hostLike },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }) },
)
const chatText = fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join(''))

function fixtureTexts(): string[] {
  const root = new URL('../../', import.meta.url)
  const texts: string[] = []
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect)
  }
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)(fixtures|bench\/corpus)\/.*\.(json|txt)$/.test(f))
  for (const file of files) {
    const content = readFileSync(new URL(file, root), 'utf8')
    texts.push(...content.split('\n'))
    // A JSON fixture's strings too, unescaped; one made to be broken is read as lines only.
    if (file.endsWith('.json')) {
      try {
        collect(JSON.parse(content))
      } catch {}
    }
  }
  return texts
}

const finders = (emails: boolean): [LinkFinder, LinkFinder] => [
  createLinkFinder({ emails }),
  createLinkFinder({ emails, prefilter: false }),
]
const both = { emails: finders(true), plain: finders(false) }

/** The texts on which the two finders differ, with what each found. */
function differences(texts: Iterable<string>): unknown[] {
  const out: unknown[] = []
  for (const text of texts) {
    for (const [name, [on, off]] of Object.entries(both)) {
      const found = on(text)
      const full = off(text)
      if (JSON.stringify(found) !== JSON.stringify(full)) out.push({ text, finder: name, found, full })
    }
  }
  return out
}

t.test('real texts: the finder reports the same links with the prefilter', async (t) => {
  const texts = fixtureTexts()
  t.ok(texts.length > 1000, `${texts.length} fixture texts`)
  t.ok(texts.filter((text) => both.plain[1](text).length > 0).length > 200, 'many of them hold links')
  t.same(differences(texts), [])
})

t.test('generated texts: the finder reports the same links with the prefilter', async (t) => {
  let withLinks = 0
  const stats = fc.check(
    fc.property(chatText, (text) => {
      if (both.emails[1](text).length > 0) withLinks++
      assert.deepEqual(differences([text]), [])
    }),
    { seed: SEED, numRuns: RUNS },
  )
  if (stats.failed) t.fail(fc.defaultReportMessage(stats) ?? 'failed')
  else t.pass(`${stats.numRuns} texts, seed ${SEED}`)
  t.ok(withLinks > RUNS / 10, `the generator makes links often enough to matter (${withLinks} of ${RUNS})`)
})

// The plugin built on a finder without the prefilter, under the same name and options.
const unfiltered = definePlugin({
  ...links,
  create: (options) => createLinksChecker(options, createLinkFinder({ emails: options.emails, prefilter: false })),
})

t.test('the plugin answers the same with the prefilter, on generated and real texts', async (t) => {
  const optionSets = [{}, { emails: true, action: 'strip', allowDomains: ['example.com'] }, { action: 'reject', denyDomains: ['evil.io'] }]
  const pipelines: Array<[Pipeline, Pipeline]> = []
  for (const options of optionSets) {
    pipelines.push([await createPipeline({ plugins: [[links, options]] }), await createPipeline({ plugins: [[unfiltered, options]] })])
  }
  t.teardown(() => Promise.all(pipelines.flat().map((p) => p.close())))
  const answer = async (pipeline: Pipeline, texts: string[]) => {
    const result = await pipeline.run(deepFreeze(c2cRequest({ body: texts.map(textElement) })))
    return { decision: result.decision, reply: result.reply, reason: result.trace[0]?.reason, changes: result.trace[0]?.changes }
  }
  const compare = async (texts: string[]) => {
    for (const [on, off] of pipelines) assert.deepEqual(await answer(on, texts), await answer(off, texts), JSON.stringify(texts))
  }
  const stats = await fc.check(
    fc.asyncProperty(fc.array(chatText, { minLength: 1, maxLength: 3 }), compare),
    { seed: SEED, numRuns: PLUGIN_RUNS },
  )
  if (stats.failed) t.fail(fc.defaultReportMessage(stats) ?? 'failed')
  else t.pass(`${stats.numRuns} messages, seed ${SEED}`)
  const fixtures = readFileSync(new URL('fixtures/messages.txt', import.meta.url), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'))
  for (const text of fixtures) await compare([text])
  t.pass(`${fixtures.length} messages of fixtures/messages.txt`)
})

t.test('ordinary sentences never reach the full finder', async (t) => {
  const prefilter = createPrefilter({ emails: true })
  for (const text of [
    '今天天气很好，我们一起去公园散步吧！Then grab a coffee at the corner shop? 😀 See you at 5pm.',
    'The price is 3.5 dollars.',
    'I will be there at 7.30. Bring 2.5 kg of rice!',
    '好的。明天见。',
    'ありがとう。また明日！',
    'Version 1.2 is out, 3.14 is pi…',
  ]) {
    t.equal(prefilter(text), false, text)
  }
  t.equal(createPrefilter({ emails: false })('mail bob@x'), false, 'an "@" alone matters only when emails are reported')
  t.equal(createPrefilter({ emails: true })('mail bob@x'), true)
})

t.test('every TLD starts with a letter, which the prefilter relies on', async (t) => {
  const tlds = createRequire(import.meta.url)('tlds') as string[]
  t.same(tlds.filter((tld) => !/^\p{L}/u.test(tld)), [])
})
