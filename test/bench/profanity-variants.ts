/**
 * What the profanity plugin's generated variants cost, quoted in plugins/profanity/README.md: build time and
 * heap of create() with word forms and the pinyin mode off and on (the bundled lists; a 100k-word list of
 * real English words), and the per-message cost of check() in each configuration, measured in one process
 * in interleaved rounds so a busy machine moves them alike (the ratio is the figure to read).
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node --expose-gc --import=@tapjs/typescript/import test/bench/profanity-variants.ts
 */
import { createRequire } from 'node:module'
import { loadPinyinExpander, profanity, profanityOptions, type ProfanityOptionsInput } from '../../plugins/profanity/index.js'
import { silentLogger } from '../../core/logger.js'
import { createMemoryStore, namespaceStore } from '../../core/store/index.js'
import { createMessage } from '../../core/message.js'

const require = createRequire(import.meta.url)
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => {})
/** The JS heap and the typed arrays outside it (the automaton's tables live there). */
const heap = (): number => {
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const env = { log: silentLogger, baseDir: process.cwd(), name: 'profanity', store: namespaceStore(createMemoryStore(), 'profanity') }
type Checker = Awaited<ReturnType<typeof profanity.create>>

const rows: string[] = []
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/**
 * Build each configuration `rounds` times, interleaved (a busy machine then slows them alike): the median
 * wall and CPU time, and the heap one build holds. Returns the last checker of each.
 */
async function builds(configs: Array<[string, ProfanityOptionsInput]>, rounds: number): Promise<Checker[]> {
  const wall = configs.map(() => [] as number[])
  const used = configs.map(() => [] as number[])
  const held = configs.map(() => 0)
  const last: Array<Checker | undefined> = []
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, options]] of configs.entries()) {
      last[i] = undefined // the previous build of this configuration is not counted in "before"
      const before = heap()
      const t0 = performance.now()
      const c0 = cpu()
      last[i] = await profanity.create(profanityOptions.parse(options), env)
      wall[i]!.push(performance.now() - t0)
      used[i]!.push(cpu() - c0)
      held[i] = heap() - before
    }
  }
  configs.forEach(([label], i) => {
    rows.push(`| ${label} | ${median(wall[i]!).toFixed(0)} ms (CPU ${median(used[i]!).toFixed(0)} ms) | +${(held[i]! / 1e6).toFixed(1)} MB |`)
  })
  return last as Checker[]
}

// Read the bundled lists once before measuring (once a process), and load pinyin-pro, timed on its own.
await profanity.create(profanityOptions.parse({ forms: false }), env)
{
  const before = heap()
  const t0 = performance.now()
  const c0 = cpu()
  await loadPinyinExpander()
  rows.push(`| loading pinyin-pro and the homophone table (once a process, at the first build with pinyin on) | ${(performance.now() - t0).toFixed(0)} ms (CPU ${(cpu() - c0).toFixed(0)} ms) | +${((heap() - before) / 1e6).toFixed(1)} MB |`)
}
const [off, forms, pinyin, quiet] = (await builds(
  [
    ['bundled lists, forms off', { forms: false }],
    ['bundled lists, forms on (the default)', {}],
    ['bundled lists, forms on, pinyin on', { pinyin: true }],
    ['bundled lists, forms on, noise letters off', { noiseLetters: false }],
  ],
  7,
)) as [Checker, Checker, Checker, Checker]

const english = (require('an-array-of-english-words') as string[]).filter((w) => w.length >= 4)
const big = Array.from({ length: 100_000 }, (_, i) => english[Math.floor((i * english.length) / 100_000)]!)
await builds(
  [
    ['100,000 English words as `words`, no bundled list, forms off', { lists: [], words: big, forms: false }],
    ['100,000 English words as `words`, no bundled list, forms on', { lists: [], words: big }],
  ],
  3,
)
gc()

const chat = [
  'hey are you coming tonight? 我们八点在老地方见 😀 bring the f.u.c.k-ing snacks lol ',
  '今日はありがとうございました！また遊ぼうね。see you soon, take care my friend 👍🏽 ',
  'This hit the spot, as sure as anything. Class assessment at 10, then cocktails 🍸 ',
  '你今天吃饭了吗？我刚下班，明天一起去看电影吧，票我已经买好了 ',
]
const message = (i: number): string => (chat[i % 4]! + chat[(i + 1) % 4]! + chat[(i + 2) % 4]!).slice(0, 200)
const msgs = Array.from({ length: 400 }, (_, i) => createMessage([{ MsgType: 'TIMTextElem', MsgContent: { Text: message(i) } }], undefined))
const ctx = {} as Parameters<Checker['check']>[1]
// The same chat with an everyday word shaped like noise letters in every message ("bananas", "caravan"),
// so the noise-letter lookup spells it out and looks it up in each: the worst case of a message with no hit.
const noisy = msgs.map((_, i) => {
  const text = (message(i).slice(0, 180) + (i % 2 === 0 ? ' bananas' : ' caravan')).slice(0, 200)
  return createMessage([{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }], undefined)
})
const configs: Array<[string, Checker, typeof msgs]> = [
  ['forms off', off, msgs],
  ['forms on, noise letters off', quiet, msgs],
  ['forms on, noise letters on (default)', forms, msgs],
  ['forms on, pinyin on', pinyin, msgs],
  ['forms on, noise letters off, a word shaped like noise letters in each', quiet, noisy],
  ['forms on, noise letters on (default), a word shaped like noise letters in each', forms, noisy],
]
const total = new Map<string, number>(configs.map(([name]) => [name, 0]))
const N = 5_000
for (const [, checker, texts] of configs) for (let i = 0; i < 2_000; i++) checker.check(texts[i % 400]!, ctx)
for (let round = 0; round < 8; round++) {
  for (const [name, checker, texts] of configs) {
    const c0 = cpu()
    for (let i = 0; i < N; i++) checker.check(texts[(i + round) % 400]!, ctx)
    total.set(name, total.get(name)! + (cpu() - c0))
  }
}
const base = total.get('forms off')! / (8 * N)
for (const [name] of configs) {
  const us = (total.get(name)! * 1000) / (8 * N)
  rows.push(`| check(), 200-character mixed chat, ${name} | ${us.toFixed(1)} µs CPU a message | ×${(us / (base * 1000)).toFixed(2)} of forms off |`)
}
console.log('| what | time | memory / ratio |\n|---|---|---|\n' + rows.join('\n'))
