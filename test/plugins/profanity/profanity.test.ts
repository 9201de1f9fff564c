import t from 'tap'
import { fileURLToPath } from 'node:url'
import { checkMessage, c2cRequest, groupRequest } from '../../../core/testing/index.js'
import { textElement, customElement } from '../../../core/plugin.js'
import { isPresendError } from '../../../core/errors.js'
import { silentLogger } from '../../../core/logger.js'
import { createMemoryStore, namespaceStore } from '../../../core/store/index.js'
import { createMessage } from '../../../core/message.js'
import { profanity, profanityOptions, parseWordFile, readWordFile, pinyinKinds, BUNDLED_LISTS } from '../../../plugins/profanity/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import { list, readCases } from '../../core/text/fixtures/cases.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

t.test('fixture cases', async (t) => {
  for (const c of readCases(new URL('./fixtures/cases.txt', import.meta.url))) {
    const { options, text, texts, out, expect, command } = c.fields
    const body = texts === undefined ? (text === '' ? [customElement({ Data: 'x' })] : [textElement(text ?? '')]) : list(texts).map(textElement)
    const request = command === 'group' ? groupRequest({ body }) : c2cRequest({ body })
    const name = `${c.title} (line ${c.line})`
    const r = await checkMessage(profanity, options === undefined ? {} : JSON.parse(options), request)
    t.equal(r.faults, 0, `${name}: no fault`)
    if (out !== undefined) {
      t.equal(r.decision, 'allow', `${name}: decision`)
      t.same(r.body, list(out).map(textElement), `${name}: body`)
    } else if (expect === 'allow') {
      t.equal(r.decision, 'allow', `${name}: decision`)
      t.equal(r.changed, false, `${name}: unchanged`)
    } else if (expect === 'drop') {
      t.equal(r.decision, 'drop', `${name}: decision`)
    } else {
      t.equal(r.decision, 'reject', `${name}: decision`)
      t.equal(r.reply.ErrorCode, Number(/^reject (\d+)$/.exec(expect ?? '')?.[1]), `${name}: code`)
    }
  }
})

t.test('registered as a built-in under its config name', async (t) => {
  t.equal(builtinPlugins['profanity'], profanity)
  t.equal(profanity.name, 'profanity')
})

t.test('defaults', async (t) => {
  const o = profanityOptions.parse({})
  t.same(o, {
    words: [],
    files: [],
    lists: [...BUNDLED_LISTS],
    allow: [],
    action: 'mask',
    maskChar: '*',
    categories: {},
    normalize: {},
    forms: true,
    pinyin: false,
    noiseLetters: true,
    slots: 'all',
  })
})

t.test('pinyin: true, false, or the kinds to turn on', async (t) => {
  t.same([...pinyinKinds(profanityOptions.parse({ pinyin: true }).pinyin)], ['spelling', 'initials', 'homophones'])
  t.same([...pinyinKinds(profanityOptions.parse({}).pinyin)], [])
  t.same([...pinyinKinds(profanityOptions.parse({ pinyin: { homophones: false } }).pinyin)], ['spelling', 'initials'], 'an omitted kind is on')
  t.same([...pinyinKinds(profanityOptions.parse({ pinyin: { spelling: false, initials: false, homophones: false } }).pinyin)], [])
})

t.test('bad options fail at build, naming the key', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [{ maskChar: '**' }, /maskChar/],
    [{ maskChar: '' }, /maskChar/],
    [{ code: 5 }, /code/],
    [{ groupCode: 120001 }, /groupCode/],
    [{ lists: ['xx'] }, /lists/],
    [{ action: 'nuke' }, /action/],
    [{ categories: { severe: 'nuke' } }, /categories/],
    [{ normalize: { leetspeak: true } }, /normalize/],
    [{ wrods: [] }, /wrods/],
    [{ words: [''] }, /words/],
    [{ forms: 'yes' }, /forms/],
    [{ pinyin: 'on' }, /pinyin/],
    [{ pinyin: { tones: true } }, /pinyin/],
    [{ noiseLetters: 'on' }, /noiseLetters/],
  ]
  for (const [options, key] of bad) {
    const r = profanityOptions.safeParse(options)
    t.notOk(r.success, JSON.stringify(options))
    t.match(JSON.stringify(r.error?.issues), key, `${JSON.stringify(options)} names the key`)
  }
  t.ok(profanityOptions.safeParse({ maskChar: '👍🏽' }).success, 'an emoji with a skin tone is one character')
})

t.test('a bad pattern fails the build with PRESEND_INVALID_TERM', async (t) => {
  await t.rejects(checkMessage(profanity, { lists: [], words: ['*'] }, 'x'), { code: 'PRESEND_INVALID_TERM', message: /words|terms\[0\]/ })
})

t.test('word files: comments, blank lines, TAB categories, CRLF', async (t) => {
  t.same(parseWordFile('# comment\n\n  # indented comment\nfuck\tsevere\r\nass\n*darn*\t\n'), [
    { pattern: 'fuck', category: 'severe' },
    { pattern: 'ass', category: undefined },
    { pattern: '*darn*', category: undefined },
  ])
  t.same(parseWordFile('\tcategory-only\n'), [])
  t.same(await readWordFile('words.txt', fixtures), parseWordFile('# fixture words\nheck\tmild\n*frack*\tsevere\nsmeg\n'))
})

t.test('a large word file reads in slices, with the same result', async (t) => {
  const text = Array.from({ length: 5000 }, (_, i) => `word${i}\tc${i % 3}`).join('\n')
  const dir = t.testdir({ 'big.txt': text })
  const parsed = parseWordFile(text)
  t.equal(parsed.length, 5000)
  t.same(parsed[4999], { pattern: 'word4999', category: 'c1' })
  t.same(await readWordFile('big.txt', dir), parsed)
})

t.test('files are read relative to baseDir, their categories drive the action', async (t) => {
  const options = { lists: [], files: ['words.txt'], categories: { severe: 'reject' as const }, code: 120009 }
  const masked = await checkMessage(profanity, options, 'oh heck, smeg', { baseDir: fixtures })
  t.equal(masked.decision, 'allow')
  t.same(masked.body, [textElement('oh ****, ****')])
  const rejected = await checkMessage(profanity, options, 'fracking hell', { baseDir: fixtures })
  t.equal(rejected.decision, 'reject')
  t.equal(rejected.reply.ErrorCode, 120009)
})

t.test('an unreadable file fails the build with PRESEND_PROFANITY_FILE naming it', async (t) => {
  const env = { log: silentLogger, baseDir: fixtures, name: 'profanity', store: namespaceStore(createMemoryStore(), 'profanity') }
  try {
    await profanity.create(profanityOptions.parse({ lists: [], files: ['missing.txt'] }), env)
    t.fail('built')
  } catch (err) {
    t.ok(isPresendError(err, 'PRESEND_PROFANITY_FILE'))
    t.match((err as Error).message, /cannot read words file "missing\.txt" \(resolved to .*missing\.txt\)/)
  }
})

t.test('non-text elements are kept, edits land on the right element', async (t) => {
  const body = [customElement({ Data: 'fuck' }), textElement('ok'), textElement('fuck you')]
  const r = await checkMessage(profanity, { lists: [], words: ['fuck'] }, c2cRequest({ body }))
  t.same(r.body, [customElement({ Data: 'fuck' }), textElement('ok'), textElement('**** you')])
  t.match(r.trace[0], { plugin: 'profanity', outcome: 'edit', reason: 'profanity: 1 listed word found, masked' })
})

t.test('a message masked away entirely is dropped by the core', async (t) => {
  const r = await checkMessage(profanity, { lists: [], words: ['fuck'], maskChar: '*' }, 'fuck')
  t.equal(r.decision, 'allow')
  t.same(r.body, [textElement('****')])
})

t.test('reasons count the hits', async (t) => {
  const r = await checkMessage(profanity, { lists: [], words: ['a'], action: 'drop' }, 'a a')
  t.match(r.trace[0], { outcome: 'drop', reason: 'profanity: 2 listed words found' })
})

t.test('pathological input finishes far inside the 2 s budget', async (t) => {
  const chunk = 'f.u.c.k ｆｕｃｋ аss 傻 逼 fuuuuuuck sh1t バカンス . . . . 😀 '
  const inputs: Record<string, string> = {
    mixed: chunk.repeat(Math.ceil((12 * 1024) / chunk.length)).slice(0, 12 * 1024),
    dots: '.'.repeat(12 * 1024),
    repeats: 'a'.repeat(12 * 1024),
    confusables: 'аеорсух'.repeat(1800),
    letters: 'f u '.repeat(3 * 1024),
    allowed: 'バカンス'.repeat(3 * 1024),
  }
  const options = profanityOptions.parse({ words: ['バカ'], allow: ['バカンス'] })
  const checker = await profanity.create(options, { log: silentLogger, baseDir: fixtures, name: 'profanity', store: namespaceStore(createMemoryStore(), 'profanity') })
  const ctx = {} as Parameters<typeof checker.check>[1]
  for (const [name, text] of Object.entries(inputs)) {
    // CPU time rather than wall time: the figure is about the work, not about a busy test machine.
    const before = process.cpuUsage()
    const verdict = await checker.check(createMessage([textElement(text)], undefined), ctx)
    const used = process.cpuUsage(before)
    const ms = (used.user + used.system) / 1000
    t.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms of CPU, cold (budget 2000 ms)`)
    t.equal(verdict.type, 'allow', `${name}: a verdict`)
  }
})

t.test('slots: ["text"] reads text elements only; a push text is left as sent', async (t) => {
  const custom = customElement({ Data: '{}', Desc: 'darn it', Ext: '' })
  const request = c2cRequest({ body: [textElement('darn'), custom] })
  const result = await checkMessage(profanity, { lists: [], words: ['darn'], action: 'mask', slots: ['text'] }, request)
  t.same(result.body, [textElement('****'), custom])
})
