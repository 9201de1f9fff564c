// `npm run bench:matcher [-- --json <file>] [--quick] [--engine NAME] [--sizes 1000,10000]`:
// the matcher engines side by side (`--help` lists the flags).
//
// For 1k / 10k / 100k terms and each engine: build time (median of several builds), the heap and the
// ArrayBuffer memory a built matcher holds (process.memoryUsage() around forced GCs, hence
// --expose-gc), and scan throughput — M chars/s and messages/s, plus M chars per second of CPU time,
// which a busy machine disturbs less — over a corpus of realistic chat messages (English, Chinese,
// Japanese, emoji; 20–200 UTF-16 code units), once with few hits and once with terms spliced into
// every message. Prints Markdown tables; with --json <file> (or the BENCH_MATCHER_JSON env var) also
// writes { markdown, rows, machine } for `npm run bench`. --engine and --sizes narrow the run (for
// profiling with --cpu-prof).
//
// The data is deterministic (seeded PRNG), so runs compare like with like.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { ahoCorasickEngine } from '../fixtures/ahocorasick-engine.js'
import { automatonEngine } from '../../core/matcher/automaton.js'
import type { Matcher, MatcherEngine } from '../../core/matcher/types.js'
import { parseFlags, usageError } from './flags.mjs'
import { rng } from './rng.mjs'

const ALL_ENGINES = [automatonEngine, ahoCorasickEngine]
const flags = parseFlags({
  usage: ['npm run bench:matcher -- [flags]', 'TS_NODE_TRANSPILE_ONLY=1 node --expose-gc --import=@tapjs/typescript/import test/bench/matcher.ts [flags]'],
  about: `
The matcher engines (${ALL_ENGINES.map((e) => e.name).join(', ')}) side by side, from the TypeScript
sources (no build needed): for each list size and engine, build time, the heap and ArrayBuffer memory
a built matcher holds (hence node --expose-gc, which the npm script passes), and scan throughput over
2000 chat messages, with few hits and with list terms spliced in. Prints Markdown tables on stdout;
npm run bench runs it with --json and puts the tables into BENCHMARKS.md.`,
  flags: {
    quick: { type: 'boolean', help: '300 ms of scanning per measurement instead of 1500, to try it' },
    json: { type: 'string', value: 'FILE', help: 'also write { markdown, rows, machine, quick } as JSON to FILE', defaultText: 'the BENCH_MATCHER_JSON env var, else none' },
    engine: { type: 'string', value: 'NAME', help: `only this engine, one of ${ALL_ENGINES.map((e) => e.name).join(', ')}`, defaultText: 'both' },
    sizes: { type: 'string', value: 'LIST', default: '1000,10000,100000', help: 'the list sizes in terms, comma-separated' },
  },
})
const quick = flags.quick === true
if (flags.json === '') usageError('--json needs a file name, as in --json=matcher.json')
const jsonPath = flags.json ?? process.env.BENCH_MATCHER_JSON
if (flags.engine !== undefined && !ALL_ENGINES.some((e) => e.name === flags.engine)) {
  usageError(`--engine names "${flags.engine}", which is not one of ${ALL_ENGINES.map((e) => e.name).join(', ')}`)
}
if (!/^\d+(,\d+)*$/.test(flags.sizes) || flags.sizes.split(',').some((n) => Number(n) < 1)) {
  usageError(`--sizes takes whole numbers of at least 1, comma-separated, not "${flags.sizes}"`)
}
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  console.error('test/bench/matcher.ts needs --expose-gc to measure heap: run it with `npm run bench:matcher`.')
  process.exit(1)
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!

// --- Chat corpus -------------------------------------------------------------------------------
const EN = (
  'the be to of and a in that have I it for not on with he as you do at this but his by from they we say her ' +
  'she or an will my one all would there their what so up out if about who get which go me when make can like ' +
  'time no just him know take people into year your good some could them see other than then now look only come ' +
  'its over think also back after use two how our work first well way even new want because any these give day ' +
  'most us meeting tonight dinner thanks please sorry lol ok sure tomorrow weekend photo video call later home ' +
  'office build release tests green doc shared morning birthday happy great idea coffee lunch team project'
).split(' ')
const ZH =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跑'
const KANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだでどばびぶべぼアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロン'
const JA_KANJI = '日本語会議明資料準備時間今週来月電話確認連絡予定東京大阪新幹線駅店写真'
const EMOJI = ['😂', '🎉', '🙏', '👍', '❤️', '🍜', '🎂', '😅', '🔥', '👀', '🧧', '✨', '😭', '🤔']
const PUNCT_ZH = '，。！？、'

/** One chat message, 20–200 UTF-16 code units, in a script mix chosen per message. */
function chatMessage(r: () => number): string {
  const target = 20 + Math.floor(r() * 181)
  const kind = r()
  let out = ''
  while (out.length < target) {
    const x = r()
    if (kind < 0.45) {
      // English with the odd emoji
      out += x < 0.08 ? pick(r, EMOJI) + ' ' : x < 0.14 ? pick(r, EN) + ', ' : pick(r, EN) + ' '
    } else if (kind < 0.75) {
      // Chinese, some English words and emoji mixed in, as chat is
      out += x < 0.05 ? pick(r, EMOJI) : x < 0.1 ? ' ' + pick(r, EN) + ' ' : x < 0.16 ? pick(r, [...PUNCT_ZH]) : pick(r, [...ZH])
    } else if (kind < 0.92) {
      // Japanese: kana with kanji
      out += x < 0.04 ? pick(r, EMOJI) : x < 0.08 ? '。' : x < 0.35 ? pick(r, [...JA_KANJI]) : pick(r, [...KANA])
    } else {
      // mostly emoji and short words
      out += x < 0.5 ? pick(r, EMOJI) : pick(r, EN) + ' '
    }
  }
  // Cut to length without splitting a surrogate pair.
  let cut = Math.min(out.length, target)
  const last = out.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut--
  return out.slice(0, cut).trim().padEnd(20, '!')
}

const corpusRng = rng(1)
const messages = Array.from({ length: 2000 }, () => chatMessage(corpusRng))

// --- Term lists ----------------------------------------------------------------------------------
const require = createRequire(import.meta.url)
const english = require('an-array-of-english-words') as string[]
const chatWords = new Set(EN)
const latinPool = english.filter((w) => w.length >= 5 && w.length <= 12 && !chatWords.has(w))
// CJK terms draw on ~5k Han characters (a profanity list's range is wide) plus kana.
const hanPool = Array.from({ length: 0x6200 - 0x4e00 }, (_, i) => String.fromCharCode(0x4e00 + i)).concat([...ZH])
const kanaPool = [...KANA]

/** `n` terms: 60% English words (5–12 letters, none of the corpus's chat words), 40% CJK of 2–4 characters. */
function makeTerms(n: number, seed: number): string[] {
  const r = rng(seed)
  const out = new Set<string>()
  while (out.size < n) {
    if (r() < 0.6) out.add(pick(r, latinPool))
    else {
      const len = 2 + Math.floor(r() * 3)
      const pool = r() < 0.8 ? hanPool : kanaPool
      let w = ''
      for (let i = 0; i < len; i++) w += pick(r, pool)
      out.add(w)
    }
  }
  return [...out]
}

/** The corpus with terms from the list spliced in, about one per 30 code units (≥ 1 per message). */
function withHits(terms: readonly string[], seed: number): string[] {
  const r = rng(seed)
  return messages.map((m) => {
    let text = m
    const k = Math.max(1, Math.round(m.length / 30))
    for (let i = 0; i < k; i++) {
      let at = Math.floor(r() * text.length)
      const c = text.charCodeAt(at)
      if (c >= 0xdc00 && c <= 0xdfff) at-- // never between the halves of a pair
      text = text.slice(0, at) + pick(r, terms) + text.slice(at)
    }
    return text
  })
}

// --- Measurement ---------------------------------------------------------------------------------
interface Row {
  engine: string
  terms: number
  buildMs: number
  /** CPU time of the build (all of the process's threads, so GC helpers count too). */
  buildCpuMs: number
  heapMB: number
  arrayBuffersMB: number
  fewHits: Scan
  manyHits: Scan
}
interface Scan {
  mcharsPerSec: number
  messagesPerSec: number
  hitsPerMessage: number
  /** Throughput over the process's CPU time rather than wall time: steadier on a busy machine. */
  mcharsPerCpuSec: number
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Full collections, with a pause between so ArrayBuffer backing stores are released before we read. */
async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc!()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return process.memoryUsage()
}

async function measureBuild(
  engine: MatcherEngine,
  terms: readonly string[],
): Promise<{ ms: number; cpuMs: number; matcher: Matcher; heapMB: number; arrayBuffersMB: number }> {
  // Memory first, from a settled heap, so earlier builds' garbage cannot hide in the difference.
  const before = await settle()
  const matcher = engine.build(terms)
  const after = await settle()
  const times: number[] = []
  const cpuTimes: number[] = []
  const runs = terms.length >= 100_000 ? 3 : 5
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    engine.build(terms)
    times.push(performance.now() - t0)
    const cpu = process.cpuUsage(cpu0)
    cpuTimes.push((cpu.user + cpu.system) / 1000)
  }
  return {
    ms: median(times),
    cpuMs: median(cpuTimes),
    matcher,
    heapMB: (after.heapUsed - before.heapUsed) / 2 ** 20,
    arrayBuffersMB: (after.arrayBuffers - before.arrayBuffers) / 2 ** 20,
  }
}

let sink = 0
function measureScan(matcher: Matcher, texts: readonly string[]): Scan {
  const chars = texts.reduce((n, t) => n + t.length, 0)
  let hits = 0
  for (const t of texts) hits += matcher.scan(t).length
  // Warm up, then scan the whole corpus repeatedly for at least `budget` ms.
  for (let i = 0; i < 3; i++) for (const t of texts) sink += matcher.scan(t).length
  const budget = quick ? 300 : 1500
  let rounds = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let elapsed: number
  do {
    for (const t of texts) sink += matcher.scan(t).length
    rounds++
    elapsed = performance.now() - t0
  } while (elapsed < budget)
  const cpu = process.cpuUsage(cpu0)
  const seconds = elapsed / 1000
  return {
    mcharsPerSec: (chars * rounds) / seconds / 1e6,
    messagesPerSec: (texts.length * rounds) / seconds,
    hitsPerMessage: hits / texts.length,
    mcharsPerCpuSec: (chars * rounds) / ((cpu.user + cpu.system) / 1e6) / 1e6,
  }
}

// --engine NAME and --sizes 1000,10000 narrow the run (for profiling with --cpu-prof).
const engines = ALL_ENGINES.filter((e) => (flags.engine ?? e.name) === e.name)
const sizes = flags.sizes.split(',').map(Number)
const rows: Row[] = []
// One throwaway build and scan per engine first, so one-time allocations land outside the measurements.
for (const engine of engines) engine.build(makeTerms(100, 1)).scan(messages[0]!)
for (const size of sizes) {
  const terms = makeTerms(size, size)
  const many = withHits(terms, size + 1)
  for (const engine of engines) {
    const built = await measureBuild(engine, terms)
    const row: Row = {
      engine: engine.name,
      terms: size,
      buildMs: built.ms,
      buildCpuMs: built.cpuMs,
      heapMB: built.heapMB,
      arrayBuffersMB: built.arrayBuffersMB,
      fewHits: measureScan(built.matcher, messages),
      manyHits: measureScan(built.matcher, many),
    }
    rows.push(row)
    console.error(`  ${engine.name} ${size} terms: build ${row.buildMs.toFixed(0)} ms, ${row.fewHits.mcharsPerSec.toFixed(1)} M chars/s few hits`)
  }
}

// Both engines must find the same hits, or the comparison means nothing.
for (const size of sizes) {
  const same = rows.filter((r) => r.terms === size)
  for (const r of same) {
    if (r.fewHits.hitsPerMessage !== same[0]!.fewHits.hitsPerMessage || r.manyHits.hitsPerMessage !== same[0]!.manyHits.hitsPerMessage) {
      throw new Error(`${r.engine} and ${same[0]!.engine} disagree on the hits at ${size} terms`)
    }
  }
}

const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const corpusChars = messages.reduce((n, t) => n + t.length, 0)
const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ')
const lines = [
  `Corpus: ${messages.length} chat messages (English, Chinese, Japanese, emoji), ${fmt(corpusChars / messages.length, 0)} UTF-16 code units on average; ` +
    `"many hits" splices list terms into each message (about one per 30 code units). Terms: 60% English words, 40% CJK of 2–4 characters. ` +
    `Build: median of ${quick ? 'several' : '5 (3 at 100k)'} builds. Memory: what one built matcher retains after forced GCs — V8 heap and ArrayBuffers ` +
    `(typed arrays live outside the heap). Load average at the end of the run (1/5/15 min): ${load} on ${os.cpus().length} CPUs.`,
  '',
  '| engine | terms | build ms | build ms of CPU time | heap MB | ArrayBuffers MB |',
  '|---|--:|--:|--:|--:|--:|',
  // Memory deltas below ~0.5 MB are GC noise and can come out slightly negative: shown as 0.
  ...rows.map(
    (r) => `| ${r.engine} | ${r.terms.toLocaleString('en-US')} | ${fmt(r.buildMs, 0)} | ${fmt(r.buildCpuMs, 0)} | ${fmt(Math.max(0, r.heapMB))} | ${fmt(Math.max(0, r.arrayBuffersMB))} |`,
  ),
  '',
  '| engine | terms | hits | M chars/s | messages/s | hits/message | M chars/s of CPU time |',
  '|---|--:|---|--:|--:|--:|--:|',
  ...rows.flatMap((r) =>
    (['fewHits', 'manyHits'] as const).map((k) => {
      const x = r[k]
      return (
        `| ${r.engine} | ${r.terms.toLocaleString('en-US')} | ${k === 'fewHits' ? 'few' : 'many'} | ${fmt(x.mcharsPerSec)} | ` +
        `${fmt(x.messagesPerSec, 0)} | ${fmt(x.hitsPerMessage, 2)} | ${fmt(x.mcharsPerCpuSec)} |`
      )
    }),
  ),
]
const markdown = lines.join('\n')
console.log(markdown)
if (sink < 0) console.log(sink) // keeps the scans observable, so they cannot be optimised away

if (jsonPath) {
  const cpus = os.cpus()
  const machine = { cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`, node: process.version, date: new Date().toISOString(), loadavg: os.loadavg() }
  writeFileSync(jsonPath, JSON.stringify({ markdown, rows, machine, quick }, null, 2) + '\n')
  console.error(`wrote ${jsonPath}`)
}
