// Latency of callbacks while `presend serve` reloads a large word list: the built binary as a child process,
// a steady bounded load from this process, then a real SIGHUP. Prints the p50/p99/max of the requests before
// the reload and of those that overlapped it, and how long the reload took (SIGHUP to "reloaded the pipeline").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { killIfRunning, startServe } from '../reliability/fixtures/helpers.js'
import { parseFlags, whole } from './flags.mjs'
import { fmt, latencies, steadyLoad, writeWordList } from './reload-load.js'

const flags = parseFlags({
  usage: ['npm run bench:reload -- [flags]', 'TS_NODE_TRANSPILE_ONLY=1 node --import=@tapjs/typescript/import test/bench/reload.ts [flags]'],
  about: `
The built server (dist/, so run "npm run build" first; the npm script does) serving a profanity word file,
under a steady load of callbacks; the file is replaced by one of --words seeded words and the server gets
SIGHUP. Reports callback latency before and during the reload, and the reload's duration, as one line of
JSON and one of text. The figure RELIABILITY.md quotes.`,
  flags: {
    words: { type: 'string', value: 'N', default: '250000', help: 'words in the list the reload compiles' },
    forms: { type: 'boolean', help: 'let the profanity plugin add word forms (-s, -ed, -ing: about 4× the terms)' },
    connections: { type: 'string', value: 'N', default: '8', help: 'callbacks in flight at any time' },
    baseline: { type: 'string', value: 'MS', default: '2000', help: 'load before the SIGHUP, in milliseconds' },
  },
})
const words = whole('words', flags.words)
const connections = whole('connections', flags.connections)
const baselineMs = whole('baseline', flags.baseline)

const dir = mkdtempSync(path.join(tmpdir(), 'presend-reload-'))
try {
  writeFileSync(path.join(dir, 'words.txt'), 'placeholder\n')
  const configFile = path.join(dir, 'presend.config.json')
  const options = { files: ['words.txt'], lists: [], forms: flags.forms === true }
  writeFileSync(configFile, JSON.stringify({ logging: { level: 'info' }, plugins: [{ use: 'profanity', options }] }))
  const serve = await startServe(configFile, dir)
  try {
    const { first } = writeWordList(dir, words)
    const load = steadyLoad(serve.url, first, connections)
    await new Promise((r) => setTimeout(r, baselineMs))
    const hupAt = performance.now()
    serve.child.kill('SIGHUP')
    await serve.waitFor((l) => l.msg === 'reloaded the pipeline', 120_000)
    const reloadedAt = performance.now()
    await new Promise((r) => setTimeout(r, 300))
    const samples = await load.stop()
    const before = latencies(samples, hupAt - baselineMs / 2, hupAt)
    const during = latencies(samples, hupAt, reloadedAt)
    const result = { words, forms: options.forms, connections, reloadMs: fmt(reloadedAt - hupAt), before, during, failed: samples.filter((s) => !s.ok).length }
    console.log(JSON.stringify(result))
    console.log(
      `reload of ${words} words${options.forms ? ' (with forms)' : ''}: ${fmt(reloadedAt - hupAt)} ms; ` +
        `before: ${before.count} callbacks, p50 ${fmt(before.p50)} ms, p99 ${fmt(before.p99)} ms; ` +
        `during: ${during.count} callbacks, p50 ${fmt(during.p50)} ms, p99 ${fmt(during.p99)} ms, max ${fmt(during.max)} ms; ${result.failed} failed`,
    )
    serve.child.kill('SIGTERM')
    await serve.exited
  } finally {
    killIfRunning(serve.child)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
