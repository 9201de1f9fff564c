/**
 * profanity / compileTerms figures quoted in plugins/profanity/README.md: build time and heap for a
 * 100k-term list (synthetic: mixed Latin words and CJK 2–4-character terms), the bundled lists' build,
 * and the per-message cost of `find` on 200-character chat messages.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node --expose-gc --import=@tapjs/typescript/import test/bench/profanity.ts
 *
 * Times are wall clock and, in brackets, this process's CPU time (steadier on a busy machine).
 */
import { termSteps } from '../../core/terms.js'
import { runToEnd } from '../../core/slices.js'
import { profanity, profanityOptions, readBundledList } from '../../plugins/profanity/index.js'
import { compileNormalizer } from '../../core/text/index.js'
import { silentLogger } from '../../core/logger.js'
import { createMemoryStore, namespaceStore } from '../../core/store/index.js'
import { createMessage } from '../../core/message.js'
import { ahoCorasickEngine } from '../fixtures/ahocorasick-engine.js'
import { automatonEngine } from '../../core/matcher/automaton.js'
import type { MatcherEngine } from '../../core/matcher/types.js'

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => {})
const heap = (): number => {
  gc()
  return process.memoryUsage().heapUsed
}
let seed = 42
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const latin = 'abcdefghijklmnopqrstuvwxyz'
const han = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现'
function term(i: number): string {
  if (i % 3 === 0) {
    let s = ''
    for (let k = 2 + rand(3); k > 0; k--) s += han[rand(han.length)]
    return s
  }
  let s = ''
  for (let k = 4 + rand(6); k > 0; k--) s += latin[rand(26)]
  return `${s}${i}`
}

const rows: string[] = []
const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
// A no-op engine isolates what compileTerms itself costs (normalising and indexing the patterns).
const noEngine: MatcherEngine = { name: 'none', build: (terms) => ({ size: terms.length, scan: () => [] }) }
const keep: unknown[] = []
for (const size of [10_000, 100_000]) {
  seed = 42
  const entries = Array.from({ length: size }, (_, i) => ({ pattern: i % 5 === 0 ? `*${term(i)}*` : term(i) }))
  for (const engine of [noEngine, ahoCorasickEngine, automatonEngine]) {
    const before = heap()
    const t0 = performance.now()
    const c0 = cpu()
    const set = runToEnd(termSteps(entries, {}, engine))
    const ms = performance.now() - t0
    const cms = cpu() - c0
    const mb = (heap() - before) / 1e6
    rows.push(`| compileTerms, ${size.toLocaleString('en')} synthetic terms, engine ${engine.name} | build ${ms.toFixed(0)} ms (CPU ${cms.toFixed(0)} ms) | heap +${mb.toFixed(1)} MB |`)
    if (set.size !== size) throw new Error('size')
    keep.push(set) // held, so the next "before" does not see this one collected
  }
}

keep.length = 0 // the per-message figures below should not pay for a heap full of 100k-term sets
gc()

const chat = [
  'hey are you coming tonight? 我们八点在老地方见 😀 bring the f.u.c.k-ing snacks lol ',
  '今日はありがとうございました！また遊ぼうね。see you soon, take care my friend 👍🏽 ',
  'This hit the spot, as sure as anything. Class assessment at 10, then cocktails 🍸 ',
]
const message = (i: number): string => (chat[i % 3]! + chat[(i + 1) % 3]! + chat[(i + 2) % 3]!).slice(0, 200)

const before = heap()
const t0 = performance.now()
const checker = await profanity.create(profanityOptions.parse({}), { log: silentLogger, baseDir: process.cwd(), name: 'profanity', store: namespaceStore(createMemoryStore(), 'profanity') })
const buildMs = performance.now() - t0
rows.push(`| profanity create(), bundled en+zh+ja lists | build ${buildMs.toFixed(0)} ms | heap +${((heap() - before) / 1e6).toFixed(1)} MB |`)

const msgs = Array.from({ length: 300 }, (_, i) => createMessage([{ MsgType: 'TIMTextElem', MsgContent: { Text: message(i) } }], undefined))
const texts = msgs.map((m) => m.texts[0]!.text)
const ctx = {} as Parameters<typeof checker.check>[1]
const perMessage = (label: string, fn: (i: number) => unknown): void => {
  for (let i = 0; i < 3000; i++) fn(i)
  const n = 20_000
  const t1 = performance.now()
  const c1 = cpu()
  for (let i = 0; i < n; i++) fn(i)
  const us = ((performance.now() - t1) * 1000) / n
  const cus = ((cpu() - c1) * 1000) / n
  rows.push(`| ${label}, 200-char mixed-script message | ${us.toFixed(1)} µs (CPU ${cus.toFixed(1)} µs) per message | |`)
}
perMessage('profanity check(), bundled lists, default engine', (i) => checker.check(msgs[i % 300]!, ctx))
const bundled = (await Promise.all(['en', 'zh', 'ja'].map((n) => readBundledList(n)))).flatMap((l) => l.terms.map((t) => ({ pattern: t.pattern })))
const norm = compileNormalizer()
perMessage('normalisation alone (all switches on)', (i) => norm.normalize(texts[i % 300]!))
for (const engine of [ahoCorasickEngine, automatonEngine]) {
  const set = runToEnd(termSteps(bundled, {}, engine))
  perMessage(`compileTerms(bundled lists).find(), engine ${engine.name}`, (i) => set.find(texts[i % 300]!))
}

console.log('| what | time | memory |\n|---|---|---|\n' + rows.join('\n'))
