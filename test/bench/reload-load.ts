// Shared by the reload-latency test (test/server/reload-large-list.test.ts) and its benchmark
// (test/bench/reload.ts): a deterministic large word list, a steady bounded load of callbacks, and the
// latency of the requests that overlapped a window of time.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { Agent, request } from 'undici'
import { c2cRequest } from '../../core/testing/index.js'
import { rng } from './rng.mjs'

/**
 * Write `count` distinct lower-case words (5–10 letters, seeded, so every run compiles the same list) to
 * `dir/words.txt`, one a line; returns the path and the first word (a listed word a message can carry).
 */
export function writeWordList(dir: string, count = 250_000, seed = 18): { file: string; first: string } {
  const random = rng(seed)
  const words = new Set<string>()
  while (words.size < count) {
    let w = ''
    for (let i = 5 + Math.floor(random() * 6); i > 0; i--) w += String.fromCharCode(97 + Math.floor(random() * 26))
    words.add(w)
  }
  const file = path.join(dir, 'words.txt')
  writeFileSync(file, [...words].join('\n') + '\n')
  return { file, first: words.values().next().value! }
}

/** One callback of a load run. */
export interface Sample {
  sentAt: number
  doneAt: number
  /** HTTP 200 with a JSON body; false for any error or other status. */
  ok: boolean
  /** The reply changed the message (a listed word was masked). */
  masked: boolean
}

/**
 * Keep `connections` callbacks in flight against `url` (each connection sends its next request when the
 * last one is answered, so the load is bounded) until `stop()`; every fourth message carries `listed`.
 */
export function steadyLoad(url: string, listed: string, connections = 8) {
  const samples: Sample[] = []
  const dispatcher = new Agent({ connections, pipelining: 1 })
  const bodies = [c2cRequest({ text: `a message with ${listed} in it` }), c2cRequest({ text: 'an ordinary message, nothing to mask' })].map(
    (b) => JSON.stringify(b),
  )
  let stopped = false
  let n = 0
  const worker = async () => {
    while (!stopped) {
      const sample: Sample = { sentAt: performance.now(), doneAt: 0, ok: false, masked: false }
      samples.push(sample)
      try {
        const res = await request(`${url}?CallbackCommand=C2C.CallbackBeforeSendMsg`, {
          method: 'POST',
          body: bodies[n++ % 4 === 0 ? 0 : 1],
          dispatcher,
          signal: AbortSignal.timeout(10_000),
        })
        const reply = (await res.body.json()) as { ActionStatus?: unknown; MsgBody?: unknown }
        sample.ok = res.statusCode === 200 && reply.ActionStatus === 'OK'
        sample.masked = JSON.stringify(reply.MsgBody ?? '').includes('*')
      } catch {
        sample.ok = false
      }
      sample.doneAt = performance.now()
    }
  }
  const running = Promise.all(Array.from({ length: connections }, worker))
  return {
    samples,
    async stop(): Promise<Sample[]> {
      stopped = true
      await running
      await dispatcher.close()
      return samples
    },
  }
}

/** Latency figures (ms) of the samples whose request overlapped `[from, to]`. */
export function latencies(samples: readonly Sample[], from: number, to: number) {
  const during = samples.filter((s) => s.doneAt >= from && s.sentAt <= to)
  const ms = during.map((s) => s.doneAt - s.sentAt).sort((a, b) => a - b)
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0
  return {
    count: ms.length,
    failed: during.filter((s) => !s.ok).length,
    p50: at(0.5),
    p99: at(0.99),
    max: ms[ms.length - 1] ?? 0,
  }
}

/** Round for a report line. */
export const fmt = (ms: number) => Math.round(ms * 10) / 10
