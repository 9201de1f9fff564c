// `npm run bench:worst-case [-- --seconds N] [--body-limit BYTES]`: a search for slow callbacks. For each config — the default
// (profanity with the bundled lists, mask; links, replace) and "heavy" (every built-in plugin at its heaviest
// settings: strikes, rate-limit and duplicates on the memory store with limits no run reaches, so every
// callback runs every plugin; profanity with every list, word forms and pinyin; links with e-mails and an
// allow list; contacts with every kind, mask and an allow list; keyword-rewrite with the red-packet preset,
// word, regex and tagging rules; custom-elem with an element, a per-sender one and a CloudCustomData patch;
// every slot read, jsonText rules in CloudCustomData and a custom element's Data) — it sends hand-made worst
// shapes (each aimed at a costly path of one plugin), then random texts built from adversarial pieces
// (separators between letters and digits, repeats, leet, pinyin, emoji and ZWJ sequences, combining marks,
// Chinese, numerals, full-width digits, links, dots, `@`, cue words), mutating the slowest found so far, for
// N seconds (default 20) each, at the default body limit (16 KB) or --body-limit BYTES (the pipeline's
// maxTextLength raised with it, so texts that large are checked, not handed to the fault policy: the
// heaviest setting an operator can choose).
// Every callback carries the text in a text element and pieces of it in the other slots (a custom element's
// Desc and Data, a location, a file name, a merged forward, CloudCustomData).
// Prints the slowest callbacks (ms through the whole route, app.inject, the lowest of five runs) and what
// they were made of, then every shape's time.
// Deterministic (seeded PRNG) apart from timing.
import { performance } from 'node:perf_hooks'
import { c2cRequest } from '../../core/testing/index.js'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { buildServer, type PresendServer } from '../../server/app.js'
import { rng } from './rng.mjs'

const secondsAt = process.argv.indexOf('--seconds')
const SECONDS = secondsAt > 0 ? Number(process.argv[secondsAt + 1]) : 20
const limitAt = process.argv.indexOf('--body-limit')
const BODY = limitAt > 0 ? Number(process.argv[limitAt + 1]) : 16 * 1024
const onlyAt = process.argv.indexOf('--config')
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined
if (!Number.isInteger(SECONDS) || SECONDS < 1 || !Number.isInteger(BODY) || BODY < 1024) {
  console.error('usage: npm run bench:worst-case -- [--seconds N (whole, ≥ 1)] [--body-limit BYTES (whole, ≥ 1024)] [--config default|heavy]')
  process.exit(2)
}
/** Characters a generated text starts from before it is cut to fit the body. */
const LENGTH = Math.max(8000, Math.floor(BODY / 2))
const random = rng(18)

/** A count no run reaches: the store-backed plugins do all their work on every callback and never refuse one. */
const NEVER = Number.MAX_SAFE_INTEGER
const DAY = 86_400_000

const CONFIGS: Record<string, unknown> = {
  default: {},
  heavy: {
    pipeline: {
      jsonText: [
        { in: 'cloud-custom-data', paths: ['note', 'items.*.text'] },
        { in: 'custom-data', paths: ['text', 'items.*.text'] },
      ],
    },
    plugins: [
      { use: 'strikes', options: { max: NEVER, windowMs: DAY, cooldownMs: DAY, count: ['refused', 'edited'] } },
      {
        use: 'rate-limit',
        options: { limits: [{ per: 'sender', max: NEVER, windowMs: DAY }, { per: 'sender-group', max: NEVER, windowMs: DAY }, { per: 'group', max: NEVER, windowMs: DAY }] },
      },
      { use: 'duplicates', options: { maxRepeats: NEVER, maxTargets: NEVER, windowMs: DAY, minLength: 1 } },
      { use: 'profanity', options: { slots: 'all', forms: true, pinyin: true, allow: ['scunthorpe', 'hell yeah'] } },
      { use: 'links', options: { slots: 'all', emails: true, allowDomains: ['example.com', '例子.测试', 'docs.presend.io'] } },
      { use: 'contacts', options: { slots: 'all', allow: ['+86 400-812-3123', 'presend_help', '10001', 'help@presend.io'] } },
      {
        use: 'keyword-rewrite',
        options: {
          slots: 'all',
          preset: { name: 'red-packet', cloudCustomData: { redPacket: true } },
          allow: ['wechat pay'],
          ifPresent: 'replace',
          rules: [
            { match: ['*wechat*', 'weixin', 'qq*', '*加我*'], replace: '[contact]', elem: { Desc: 'flagged', Data: 'contact' } },
            { match: 'lottery*', cloudCustomData: { flags: { lottery: true } } },
            { regex: 'wx[-_ ]?id[:：]?\\s*\\w+', replace: '#' },
            { regex: '(?:[0-9]|\\d)+$', replace: '#' },
            { regex: '(a|b|ab)*c', replace: '#' },
          ],
        },
      },
      {
        use: 'custom-elem',
        options: {
          elem: { Desc: 'CustomElement.MemberLevel', Data: 'LV1' },
          byAccount: { jared: { Data: 'LV9' } },
          ifPresent: 'replace',
          cloudCustomData: { presend: { tagged: true } },
        },
      },
    ],
  },
}

const PIECES = [
  'f.u.c.k', 's h i t', 'f\u200bu\u200bc\u200bk', 'ｆｕｃｋ', 'sh1t', 'fuuuuuck', '傻逼', '傻 逼', '红包', 'hong bao',
  'a.io', 'http://x.cn/a?b=c', 'www.', 'a@b.co', '...', '@@', '1111', 'wx_id: ab12', '👨‍👩‍👧', '👍🏽', 'e\u0301\u0301\u0301',
  '\u0600', 'aaaa', 'abab', 'ＡＢＣ', 'ß', 'İ', '\u00ad', ' ', '  ', '\n', '.', '-', '_', '笨蛋', 'wechat', '加我',
  // Contact details and what they are made of: digits with separators, numerals, full-width and circled
  // digits, country codes, cue words, e-mail parts, id and card numbers.
  '1 ', '1-', '0', '1.1', '13812345678', '138 1234 5678', '+86 ', '00', '(010)', '一三八', '〇', '幺', '１３８', '①',
  '❶', '𝟏', '　', '微信', 'vx ', 'V信', 'QQ', 'qq 12345', '扣扣', '🟢', '加微', ' abc_123', '@', '＠', 'a.b', 'a-',
  '11010519491231002x', '6222021234567890128', '4111111111111111', 'cao ni ma', 'cnm', 'caonima',
]

function randomText(max: number): string {
  const parts: string[] = []
  let n = 0
  // Either three neighbouring pieces over and over, or any piece.
  const few = random() < 0.4 ? Math.floor(random() * (PIECES.length - 2)) : -1
  while (n < max) {
    const piece = PIECES[few >= 0 ? few + Math.floor(random() * 3) : Math.floor(random() * PIECES.length)] as string
    parts.push(piece)
    n += piece.length
  }
  return parts.join('').slice(0, max)
}

function mutate(text: string): string {
  const at = Math.floor(random() * text.length)
  const piece = PIECES[Math.floor(random() * PIECES.length)] as string
  return (text.slice(0, at) + piece.repeat(1 + Math.floor(random() * 40)) + text.slice(at)).slice(0, text.length)
}

/** The callback for `text`: the text element, and pieces of it in every other slot a C2C message has. */
function payload(text: string): string {
  const head = text.slice(0, 200)
  const body = [
    { MsgType: 'TIMTextElem', MsgContent: { Text: text } },
    { MsgType: 'TIMCustomElem', MsgContent: { Desc: head, Data: JSON.stringify({ text: text.slice(0, 100), items: [{ text: text.slice(100, 200) }] }) } },
    { MsgType: 'TIMLocationElem', MsgContent: { Desc: text.slice(0, 50), Latitude: 22.5, Longitude: 113.9 } },
    { MsgType: 'TIMFileElem', MsgContent: { FileName: `${text.slice(0, 40)}.pdf`, FileSize: 1, Url: 'https://example.com/f', UUID: 'u', Download_Flag: 2 } },
    { MsgType: 'TIMRelayElem', MsgContent: { Title: text.slice(0, 30), AbstractList: [text.slice(30, 60)], MsgList: [{ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text.slice(0, 100) } }] }] } },
  ]
  return JSON.stringify({ ...c2cRequest({ body: body as never }), CloudCustomData: JSON.stringify({ note: head, items: [{ text: text.slice(0, 100) }] }) })
}

/** The longest text of this shape whose callback still fits the body limit (JSON escapes counted). */
function fit(text: string): string {
  let t = text
  while (Buffer.byteLength(payload(t)) > BODY - 64) t = t.slice(0, Math.floor(t.length * 0.95))
  return t
}

async function time(app: PresendServer, text: string): Promise<number> {
  const body = payload(text)
  const started = performance.now()
  const res = await app.inject({ method: 'POST', url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg', payload: body, headers: { 'content-type': 'application/json' } })
  const ms = performance.now() - started
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${res.body.slice(0, 200)}`)
  return ms
}

/** `piece` repeated to `n` code units. */
const times = (piece: string) => (n: number) => piece.repeat(Math.ceil(n / piece.length))

const SHAPES: Record<string, (n: number) => string> = {
  'a×n': times('a'),
  'f.u.c.k×n': times('f.u.c.k '),
  '傻逼×n': times('傻逼'),
  'cao ni ma×n': times('cao ni ma '),
  'links×n': times('a.io '),
  'dots×n': times('.'),
  'emoji ZWJ×n': times('👨‍👩‍👧 '),
  combining: (n) => `f${'\u0301'.repeat(n - 4)}uck`,
  'digits then x': (n) => `${'1'.repeat(n - 1)}x`,
  'abab×n': times('ab'),
  '@×n': times('a@'),
  // contacts: chains of digits with separators, read whole and as runs of their groups.
  '1 1 1…': times('1 '),
  '1-1-1…': times('1-'),
  '1..1..1…': times('1..'),
  '0 1 0 1…': times('0 1 '),
  '4 4 4…': times('4 '),
  '+1 +1…': times('+1 '),
  '00 00…': times('00 '),
  'mobiles×n': times('13812345678 '),
  'landlines×n': times('010-12345678 '),
  'full-width mobiles×n': times('１３８１２３４５６７８　'),
  'full-width digits': times('１'),
  'Chinese numerals×n': times('一三八一二三四五六七八，'),
  '〇 numerals': times('〇一〇 '),
  'circled digits': times('①③⑧'),
  'math digits': times('𝟏𝟑𝟖'),
  'id numbers×n': times('11010519491231002x '),
  'cards×n': times('6222021234567890128 '),
  'a1a1…': times('a1'),
  // contacts: cue words and ids.
  '微信×n': times('微信'),
  'vx×n': times('vx'),
  'vx id×n': times('vx abc_123 '),
  'QQ×n': times('QQ '),
  'QQ number×n': times('qq 12345 '),
  '加微信 :×n': times('加微信: '),
  '🟢×n': times('🟢'),
  // contacts and links: e-mail addresses.
  'e-mails×n': times('a@b.co '),
  'a.a.a…@': (n) => `${'a.'.repeat(n / 2 - 2)}@x`,
  'x@a.a.a…': (n) => `x@${'a.'.repeat(n / 2 - 2)}`,
  'a-a-a…@': (n) => `${'a-'.repeat(n / 2 - 2)}@x`,
  '＠×n': times('a＠'),
}

for (const [name, raw] of Object.entries(CONFIGS)) {
  if (ONLY !== undefined && name !== ONLY) continue
  const rawPipeline = (raw as { pipeline?: object }).pipeline
  const pipeline = BODY > 16 * 1024 ? { ...rawPipeline, maxTextLength: BODY } : rawPipeline
  const config = configSchema.parse({ ...(raw as object), ...(pipeline === undefined ? {} : { pipeline }), server: { bodyLimit: BODY } }) as PresendConfig
  const app = await buildServer(config, { logger: false, defaultMetrics: false })
  const found: Array<{ ms: number; what: string; text: string }> = []
  await time(app, 'warm up f.u.c.k a.io 红包 13812345678 vx abc_123 a@b.co')
  const shapes: Array<{ shape: string; ms: number; units: number }> = []
  for (const [shape, make] of Object.entries(SHAPES)) {
    const text = fit(make(LENGTH))
    await time(app, text)
    const ms = Math.min(await time(app, text), await time(app, text))
    shapes.push({ shape, ms, units: text.length })
    found.push({ ms, what: `shape ${shape} (${text.length} units)`, text })
  }
  const until = performance.now() + SECONDS * 1000
  let tries = 0
  while (performance.now() < until) {
    tries++
    const slowest = found.reduce((a, b) => (b.ms > a.ms ? b : a))
    const text = fit(random() < 0.5 ? randomText(LENGTH) : mutate(slowest.text))
    const ms = await time(app, text)
    // A slow one is timed again: only what stays slow counts (a collection or a neighbour makes one run slow).
    if (ms > slowest.ms * 0.8) found.push({ ms: Math.min(ms, await time(app, text)), what: `random #${tries} (${text.length} units)`, text })
  }
  // The ten slowest timed again, three times each, the lowest kept: what is left is the input, not the moment.
  found.sort((a, b) => b.ms - a.ms)
  for (const f of found.slice(0, 10)) f.ms = Math.min(f.ms, await time(app, f.text), await time(app, f.text), await time(app, f.text))
  found.sort((a, b) => b.ms - a.ms)
  console.log(`\n### ${name} config, body limit ${BODY} bytes${BODY > 16 * 1024 ? ` (maxTextLength ${BODY})` : ''}: ${tries} random callbacks in ${SECONDS} s, plus ${shapes.length} shapes\n`)
  console.log('| ms (lowest of 5 runs) | callback | starts with |')
  console.log('|---|---|---|')
  for (const f of found.slice(0, 5)) console.log(`| ${f.ms.toFixed(1)} | ${f.what} | \`${JSON.stringify(f.text.slice(0, 24)).slice(1, -1)}\` |`)
  console.log(`\nShapes (ms, lowest of 2 runs after a warm-up): ${shapes.map((s) => `${s.shape} ${s.ms.toFixed(1)}`).join('; ')}`)
  await app.close()
}
