// `npm run bench:worst-case [-- --seconds N] [--body-limit BYTES]`: a search for slow callbacks. For each config — the default
// (profanity with the bundled lists, mask; links, replace) and "heavy" (profanity with every option on,
// links, keyword-rewrite with the red-packet preset, word rules and regex rules, every slot read, a jsonText
// rule) — it sends hand-made worst shapes, then random texts built from adversarial pieces (separators
// between letters, repeats, leet, emoji and ZWJ sequences, combining marks, Chinese, links, dots, `@`, digits),
// mutating the slowest found so far, for N seconds (default 20) each, at the default body limit (16 KB) or
// --body-limit BYTES (the pipeline's maxTextLength raised with it, so texts that large are checked, not
// handed to the fault policy: the heaviest setting an operator can choose).
// Prints the slowest callbacks (ms through the whole route, app.inject, the lowest of five runs) and what
// they were made of.
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
if (!Number.isInteger(SECONDS) || SECONDS < 1 || !Number.isInteger(BODY) || BODY < 1024) {
  console.error('usage: npm run bench:worst-case -- [--seconds N (whole, ≥ 1)] [--body-limit BYTES (whole, ≥ 1024)]')
  process.exit(2)
}
/** Characters a generated text starts from before it is cut to fit the body. */
const LENGTH = Math.max(8000, Math.floor(BODY / 2))
const random = rng(18)

const CONFIGS: Record<string, unknown> = {
  default: {},
  heavy: {
    pipeline: { jsonText: [{ in: 'cloud-custom-data', paths: ['note', 'items.*.text'] }] },
    plugins: [
      { use: 'profanity', options: { slots: 'all' } },
      { use: 'links', options: { slots: 'all' } },
      {
        use: 'keyword-rewrite',
        options: {
          slots: 'all',
          preset: 'red-packet',
          rules: [
            { match: ['*wechat*', 'weixin', 'qq*', '*加我*'], replace: '[contact]' },
            { regex: 'wx[-_ ]?id[:：]?\\s*\\w+', replace: '#' },
            { regex: '(?:[0-9]|\\d)+$', replace: '#' },
            { regex: '(a|b|ab)*c', replace: '#' },
          ],
        },
      },
    ],
  },
}

const PIECES = [
  'f.u.c.k', 's h i t', 'f\u200bu\u200bc\u200bk', 'ｆｕｃｋ', 'sh1t', 'fuuuuuck', '傻逼', '傻 逼', '红包', 'hong bao',
  'a.io', 'http://x.cn/a?b=c', 'www.', 'a@b.co', '...', '@@', '1111', 'wx_id: ab12', '👨‍👩‍👧', '👍🏽', 'e\u0301\u0301\u0301',
  '\u0600', 'aaaa', 'abab', 'ＡＢＣ', 'ß', 'İ', '\u00ad', ' ', '  ', '\n', '.', '-', '_', '笨蛋', 'wechat', '加我',
]

function randomText(max: number): string {
  const parts: string[] = []
  let n = 0
  const kind = Math.floor(random() * 4)
  while (n < max) {
    // Either a few pieces over and over, or any piece.
    const piece = PIECES[kind === 0 ? Math.floor(random() * 3) : Math.floor(random() * PIECES.length)] as string
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

/** The longest text of this shape that still fits the body limit in a C2C callback (JSON escapes counted). */
function fit(text: string): string {
  let t = text
  while (Buffer.byteLength(JSON.stringify(c2cRequest({ text: t }))) > BODY - 512) t = t.slice(0, Math.floor(t.length * 0.9))
  return t
}

async function time(app: PresendServer, text: string): Promise<number> {
  const payload = JSON.stringify({ ...c2cRequest({ text }), CloudCustomData: JSON.stringify({ note: text.slice(0, 200), items: [{ text: text.slice(0, 100) }] }) })
  const started = performance.now()
  const res = await app.inject({ method: 'POST', url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg', payload, headers: { 'content-type': 'application/json' } })
  const ms = performance.now() - started
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${res.body.slice(0, 200)}`)
  return ms
}

const SHAPES: Record<string, (n: number) => string> = {
  'a×n': (n) => 'a'.repeat(n),
  'f.u.c.k×n': (n) => 'f.u.c.k '.repeat(n / 8),
  '傻逼×n': (n) => '傻逼'.repeat(n / 2),
  'links×n': (n) => 'a.io '.repeat(n / 5),
  'dots×n': (n) => '.'.repeat(n),
  'emoji ZWJ×n': (n) => '👨‍👩‍👧 '.repeat(n / 9),
  combining: (n) => `f${'\u0301'.repeat(n - 4)}uck`,
  'digits then x': (n) => `${'1'.repeat(n - 1)}x`,
  'abab×n': (n) => 'ab'.repeat(n / 2),
  '@×n': (n) => 'a@'.repeat(n / 2),
}

for (const [name, raw] of Object.entries(CONFIGS)) {
  const rawPipeline = (raw as { pipeline?: object }).pipeline
  const pipeline = BODY > 16 * 1024 ? { ...rawPipeline, maxTextLength: BODY } : rawPipeline
  const config = configSchema.parse({ ...(raw as object), ...(pipeline === undefined ? {} : { pipeline }), server: { bodyLimit: BODY } }) as PresendConfig
  const app = await buildServer(config, { logger: false, defaultMetrics: false })
  const found: Array<{ ms: number; what: string; text: string }> = []
  await time(app, 'warm up f.u.c.k a.io 红包')
  for (const [shape, make] of Object.entries(SHAPES)) {
    const text = fit(make(LENGTH))
    await time(app, text)
    found.push({ ms: Math.min(await time(app, text), await time(app, text)), what: `shape ${shape} (${text.length} units)`, text })
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
  console.log(`\n### ${name} config, body limit ${BODY} bytes${BODY > 16 * 1024 ? ` (maxTextLength ${BODY})` : ''}: ${tries} random callbacks in ${SECONDS} s, plus ${Object.keys(SHAPES).length} shapes\n`)
  console.log('| ms (lowest of 5 runs) | callback | starts with |')
  console.log('|---|---|---|')
  for (const f of found.slice(0, 5)) console.log(`| ${f.ms.toFixed(1)} | ${f.what} | \`${JSON.stringify(f.text.slice(0, 24)).slice(1, -1)}\` |`)
  await app.close()
}
