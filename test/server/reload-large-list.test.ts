// Reloading a 250k-word list never blocks serving (issue 18): `presend serve` in-process on 127.0.0.1
// port 0 with a profanity file of 250,000 seeded words, a steady load of callbacks over real HTTP, then
// SIGHUP (from the injected signal emitter, into the very handler a real signal reaches). The list
// compiles in slices, so requests keep being answered while it builds: the slowest of them wait a slice,
// not the build. Ratios only — the reload's p99 against the reload's own duration (a build that held the
// event loop would make them equal) and against the p99 before it. Figures: RELIABILITY.md; the same
// measurement on the built binary with a real SIGHUP: test/bench/reload.ts.
import t from 'tap'
import { EventEmitter } from 'node:events'
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import path from 'node:path'
import { main } from '../../server/cli/main.js'
import { fmt, latencies, steadyLoad, writeWordList } from '../bench/reload-load.js'
import { sink } from './fixtures/output.js'

const BASELINE_MS = 1200
const AFTER_MS = 200

/** The first log line (JSON) whose `msg` passes `test`, polling every 10 ms. */
async function logLine(out: { text: string }, test: (msg: string) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const started = performance.now()
  for (;;) {
    for (const raw of out.text.split('\n')) {
      if (raw === '') continue
      const line = JSON.parse(raw) as Record<string, unknown>
      if (typeof line.msg === 'string' && test(line.msg)) return line
    }
    if (performance.now() - started > timeoutMs) throw new Error(`no such log line within ${timeoutMs} ms:\n${out.text.slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

t.test('SIGHUP with a 250k-word list: callbacks keep being answered while it compiles', async (t) => {
  // Start on a short list (serving waits for the build), then reload onto the large one.
  const dir = t.testdir({ 'words.txt': 'placeholder\n' })
  const config = { logging: { level: 'info' }, plugins: [{ use: 'profanity', options: { files: ['words.txt'], lists: [], forms: false } }] }
  const configFile = path.join(dir, 'presend.config.json')
  writeFileSync(configFile, JSON.stringify(config))

  const stdout = sink()
  const signals = new EventEmitter()
  const startedAt = performance.now()
  const done = main(['serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1'], {
    env: {},
    stdout,
    stderr: sink(),
    signals,
    cwd: dir,
  })
  t.teardown(() => {
    signals.emit('SIGTERM', 'SIGTERM')
    return done
  })
  const serving = await logLine(stdout, (m) => m.startsWith('presend serving '))
  const startMs = performance.now() - startedAt

  const { first } = writeWordList(dir)
  const load = steadyLoad(String(serving.url), first)
  await new Promise((r) => setTimeout(r, BASELINE_MS))
  const delay = monitorEventLoopDelay({ resolution: 5 })
  const hupAt = performance.now()
  delay.enable()
  signals.emit('SIGHUP', 'SIGHUP')
  await logLine(stdout, (m) => m === 'reloaded the pipeline')
  const reloadedAt = performance.now()
  delay.disable()
  await new Promise((r) => setTimeout(r, AFTER_MS))
  const samples = await load.stop()
  const masked = samples.filter((s) => s.masked && s.sentAt > reloadedAt).length

  const before = latencies(samples, hupAt - BASELINE_MS / 2, hupAt)
  const during = latencies(samples, hupAt, reloadedAt)
  const reloadMs = reloadedAt - hupAt
  const lagMs = delay.max / 1e6
  t.comment(
    `start on a short list ${fmt(startMs)} ms; reload onto 250k words ${fmt(reloadMs)} ms; before: ${before.count} requests, p99 ${fmt(before.p99)} ms; ` +
      `during: ${during.count} requests, p50 ${fmt(during.p50)} ms, p99 ${fmt(during.p99)} ms, max ${fmt(during.max)} ms; event-loop delay max ${fmt(lagMs)} ms`,
  )
  t.equal(samples.filter((s) => !s.ok).length, 0, 'every callback answered 200 OK')
  t.ok(masked > 0, `the new list is in force after the reload (${masked} messages masked)`)
  t.ok(during.count >= 20, `${during.count} callbacks overlapped the reload (a blocked loop answers only those already in flight)`)
  t.ok(during.p99 < reloadMs / 4, `p99 during the reload (${fmt(during.p99)} ms) is under a quarter of the reload (${fmt(reloadMs)} ms)`)
  t.ok(lagMs < reloadMs / 4, `the event loop never stalled for a quarter of the reload (longest ${fmt(lagMs)} ms)`)
  t.ok(during.p99 < Math.max(before.p99, 1) * 25, `p99 during the reload (${fmt(during.p99)} ms) within 25× the p99 before it (${fmt(before.p99)} ms)`)
})
