#!/usr/bin/env node
// Soak: minutes of mixed traffic against the real binary (`node dist/server/cli/main.js serve`) on loopback, with
// the built-in plugins and two local plugin files; reports memory at start and end, requests sent, failures.
// Not part of `npm test`: `npm run soak` (build first: `npm run build`), or `node test/bench/soak.mjs
// --minutes 5 [--connections 8] [--sample-seconds 5] [--config FILE]` (`--help` lists the flags). Exits 1
// when a request failed or memory did not stay flat, 2 on a flag it cannot use.
//
// Memory is read from the server's own /metrics (prom-client default metrics): resident set size, and V8 heap
// used. Heap used saws up and down with garbage collection, so each level is the *lowest* sample of a window
// (what survived the last collection): the post-warm-up window against the last window of the run.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'
import { Agent, request } from 'undici'
import { parseFlags, positive, usageError, whole } from './flags.mjs'

const values = parseFlags({
  usage: ['npm run soak -- [flags]  (after npm run build)', 'node test/bench/soak.mjs [flags]'],
  about: `
Soak: minutes of mixed traffic (valid, malformed, unknown-command, bad-signature and garbled requests)
against the built binary, presend serve on loopback, with the built-in plugins and two local plugin
files. Reads the server's memory from its /metrics and reports requests sent, failures, and heap and
RSS after the warm-up against the end of the run, as JSON and a PASSED/FAILED line on stdout. Exits 1
when a request failed or memory did not stay flat. Writes no file of the project.`,
  flags: {
    minutes: { type: 'string', value: 'N', default: '5', help: 'how long the traffic runs, in minutes; 0.5 is half a minute' },
    connections: { type: 'string', value: 'N', default: '8', help: 'concurrent connections, each sending one request after another' },
    config: { type: 'string', value: 'FILE', help: 'serve with this presend config file instead', defaultText: 'a generated config with the built-in plugins and the two local plugins' },
    'sample-seconds': { type: 'string', value: 'N', default: '5', help: 'seconds between memory samples from /metrics' },
  },
})
const MINUTES = positive('minutes', values.minutes)
const CONNECTIONS = whole('connections', values.connections)
const SAMPLE_MS = positive('sample-seconds', values['sample-seconds']) * 1000
if (values.config !== undefined && !existsSync(values.config)) usageError(`--config names ${values.config}, which does not exist`)
const DURATION_MS = MINUTES * 60_000
/** Warm-up (JIT, lazily built caches, pools): the first 10% of the run, at least 20 s (less for short runs). */
const WARMUP_MS = Math.min(Math.max(20_000, DURATION_MS * 0.1), DURATION_MS / 3)
/** Each memory level is the lowest sample in a window this long. */
const WINDOW_MS = Math.min(60_000, (DURATION_MS - WARMUP_MS) / 3)
/** Flat: the end level within this margin of the post-warm-up level. */
const MARGIN = { heapRatio: 0.1, heapBytes: 8 * 1024 * 1024, rssRatio: 0.15, rssBytes: 24 * 1024 * 1024 }
const BUDGET_MS = 2000
const TOKEN = 'soak-token'

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixtures = path.join(root, 'test/reliability/fixtures')
const cli = path.join(root, 'dist/server/cli/main.js')

// --- the server ----------------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'presend-soak-'))
writeFileSync(path.join(dir, 'words.txt'), 'forbidden\nverboten\n')
const configFile = values.config ?? path.join(dir, 'presend.config.json')
// The bundled word lists when the build ships them; else a few inline words, so the soak still runs.
const bundledLists = existsSync(path.join(root, 'dist/plugins/profanity/lists'))
const profanity = bundledLists
  ? { action: 'mask' }
  : { action: 'mask', lists: [], words: ['*fuck*', 'shit', '傻逼', 'バカ', 'ass'], allow: ['Scunthorpe'] }
if (!bundledLists && values.config === undefined) console.log('note: dist/plugins/profanity/lists is missing (not copied by the build); profanity runs on inline words')
if (values.config === undefined) {
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        auth: { token: TOKEN },
        logging: { level: 'info' },
        plugins: [
          { use: 'profanity', options: profanity },
          { use: 'links', options: { action: 'replace' } },
          { use: 'keyword-rewrite', options: { preset: 'red-packet' } },
          { use: path.join(fixtures, 'wordlist.mjs'), options: { file: 'words.txt' } },
          { use: path.join(fixtures, 'slow.mjs'), options: { ms: 1, announce: false }, timeoutMs: 500 },
        ],
      },
      null,
      2,
    ),
  )
}

const child = spawn(process.execPath, [cli, 'serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, PRESEND_TOKEN: '', PORT: '', HOST: '' },
})
const logLevels = {}
let stderr = ''
let url
const listening = new Promise((resolve, reject) => {
  let buffered = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    // Always drained: a full pipe would block the server's logger.
    buffered += chunk
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const raw = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      try {
        const line = JSON.parse(raw)
        logLevels[line.level] = (logLevels[line.level] ?? 0) + 1
        if (typeof line.msg === 'string' && line.msg.startsWith('presend serving ')) resolve(line.url)
      } catch {
        logLevels.unparsed = (logLevels.unparsed ?? 0) + 1
      }
    }
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.on('exit', (code) => reject(new Error(`presend serve exited with ${code} before listening:\n${stderr}`)))
})
try {
  url = await listening
} catch (err) {
  console.error(err.message)
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
}
const base = new URL(url)
const metricsUrl = `${base.origin}/metrics`

// --- the traffic -----------------------------------------------------------------------------------------
let seed = 0x5eed
/** A small deterministic PRNG, so two runs send the same mix. */
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
const pick = (list) => list[Math.floor(rand() * list.length)]

const CLEAN = ['hello there, see you at 5', '今天天气很好', 'こんにちは、元気ですか', 'ok 👍🏽 see you', 'the class assessment is on Monday', 'Scunthorpe United won']
const DIRTY = ['what the fuck', 'you are a SHIT head', 'f.u.c.k this', 'ｆｕｃｋ', 'this is forbidden talk', 'send a red packet 红包 now', 'visit https://spam.example.com/win now', 'call me at www.example.org']
const UNKNOWN_COMMANDS = ['C2C.CallbackAfterSendMsg', 'Group.CallbackAfterSendMsg', 'Group.CallbackAfterNewMemberJoin', 'State.StateChange', 'Sns.CallbackFriendAdd', 'Made.Up']

function text() {
  const r = rand()
  // A unique part in every text and sender, so a per-message cache that never forgets would show as growth.
  const unique = `${counter.sent.toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`
  if (r < 0.45) return `${pick(CLEAN)} ${unique}`
  if (r < 0.9) return `${pick(DIRTY)} ${unique}`
  if (r < 0.97) return `${pick(CLEAN)} ${pick(DIRTY)} `.repeat(40) + unique
  return `${'a'.repeat(3000)}${unique}`
}

function element(t) {
  return { MsgType: 'TIMTextElem', MsgContent: { Text: t } }
}

function validBody(command) {
  const from = `user-${Math.floor(rand() * 1e6)}`
  const body = [element(text())]
  if (rand() < 0.2) body.push({ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x', Desc: 'level', Ext: '' } })
  if (rand() < 0.1) body.push({ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } })
  if (rand() < 0.05) body.push({ MsgType: 'TIMNewElem', MsgContent: { Anything: [1, 2, 3] } })
  if (command === 'C2C.CallbackBeforeSendMsg') return { CallbackCommand: command, From_Account: from, To_Account: 'bob', MsgSeq: 1, MsgRandom: 2, MsgTime: 3, MsgBody: body, CloudCustomData: '' }
  if (command === 'Group.CallbackBeforeSendMsg') return { CallbackCommand: command, GroupId: '@TGS#soak', Type: 'Public', From_Account: from, Operator_Account: from, Random: 4, MsgBody: body }
  return { CallbackCommand: command, Official_Account: '@TOA#soak', From_Account: from, MsgBody: body }
}

/** One request: what to send and which statuses count as correct. */
function nextRequest() {
  const r = rand()
  const now = String(Math.floor(Date.now() / 1000))
  const sign = createHash('sha256').update(`${TOKEN}${now}`).digest('hex')
  const auth = `&RequestTime=${now}&Sign=${sign}&SdkAppid=1400000000&ClientIP=10.0.0.1&OptPlatform=iOS`
  if (r < 0.75) {
    const command = pick(['C2C.CallbackBeforeSendMsg', 'C2C.CallbackBeforeSendMsg', 'Group.CallbackBeforeSendMsg', 'OfficialAccount.CallbackBeforeSendMsg'])
    return { kind: command.split('.')[0], query: `CallbackCommand=${command}${auth}`, body: JSON.stringify(validBody(command)), ok: [200] }
  }
  if (r < 0.85) {
    const command = pick(['C2C.CallbackBeforeSendMsg', 'Group.CallbackBeforeSendMsg'])
    const valid = JSON.stringify(validBody(command))
    const body = pick([
      valid.slice(0, Math.floor(valid.length / 2)),
      '',
      'null',
      '[]',
      JSON.stringify({ ...validBody(command), From_Account: 42 }),
      JSON.stringify({ ...validBody(command), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }),
      JSON.stringify({ ...validBody(command), MsgBody: 'text' }),
      `{"__proto__":{"polluted":1},${valid.slice(1)}`,
      JSON.stringify({ ...validBody(command), MsgBody: [element('x'.repeat(20000))] }),
    ])
    return { kind: 'malformed', query: `CallbackCommand=${command}${auth}`, body, ok: [200, 400, 413] }
  }
  if (r < 0.95) {
    const command = pick(UNKNOWN_COMMANDS)
    return { kind: 'unknown-command', query: `CallbackCommand=${command}${auth}`, body: JSON.stringify({ CallbackCommand: command, Anything: text() }), ok: [200] }
  }
  if (r < 0.98) return { kind: 'bad-sign', query: `CallbackCommand=C2C.CallbackBeforeSendMsg&RequestTime=${now}&Sign=${'0'.repeat(64)}`, body: JSON.stringify(validBody('C2C.CallbackBeforeSendMsg')), ok: [401] }
  return { kind: 'garbled-query', query: pick(['%E0%A4%A', 'CallbackCommand', 'a[b]=c&&', `CallbackCommand=${'x'.repeat(300)}${auth}`]), body: '{}', ok: [200, 400, 401] }
}

const counter = { sent: 0, failures: 0, byKind: {}, byStatus: {}, failureSamples: [], maxMs: 0 }
const dispatcher = new Agent({ connections: CONNECTIONS, pipelining: 1 })
const started = performance.now()
let stopped = false

function fail(req, why) {
  counter.failures++
  if (counter.failureSamples.length < 10) counter.failureSamples.push(`${req.kind}: ${why}`)
}

async function worker() {
  while (!stopped) {
    const req = nextRequest()
    counter.sent++
    counter.byKind[req.kind] = (counter.byKind[req.kind] ?? 0) + 1
    const t0 = performance.now()
    try {
      const res = await request(`${base.origin}${base.pathname}?${req.query}`, { method: 'POST', body: req.body, dispatcher, signal: AbortSignal.timeout(5000) })
      const raw = await res.body.text()
      const ms = performance.now() - t0
      counter.maxMs = Math.max(counter.maxMs, ms)
      counter.byStatus[res.statusCode] = (counter.byStatus[res.statusCode] ?? 0) + 1
      if (!req.ok.includes(res.statusCode)) fail(req, `status ${res.statusCode}: ${raw.slice(0, 120)}`)
      else if (ms >= BUDGET_MS) fail(req, `answered in ${Math.round(ms)} ms`)
      else {
        const reply = JSON.parse(raw)
        if (typeof reply.ActionStatus !== 'string' || !Number.isInteger(reply.ErrorCode)) fail(req, `not a callback reply: ${raw.slice(0, 120)}`)
      }
    } catch (err) {
      fail(req, `no reply: ${err.message}`)
    }
  }
}

// --- memory ----------------------------------------------------------------------------------------------
const samples = []
async function sample() {
  try {
    const res = await request(metricsUrl, { dispatcher })
    const textBody = await res.body.text()
    const read = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(textBody)?.[1])
    samples.push({ at: performance.now() - started, rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes'), sent: counter.sent })
  } catch (err) {
    console.error(`metrics sample failed: ${err.message}`)
  }
}
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`

await sample()
const sampler = setInterval(() => void sample(), SAMPLE_MS)
const progress = setInterval(() => {
  const last = samples.at(-1)
  const secs = (performance.now() - started) / 1000
  console.log(`[${secs.toFixed(0)} s] sent ${counter.sent} (${Math.round(counter.sent / secs)}/s), failures ${counter.failures}, rss ${last ? mb(last.rss) : '?'}, heap ${last ? mb(last.heap) : '?'}`)
}, 30_000)
console.log(`soak: ${MINUTES} min against ${url} (${CONNECTIONS} connections), warm-up ${Math.round(WARMUP_MS / 1000)} s, config ${configFile}`)

const workers = Array.from({ length: CONNECTIONS }, worker)
await new Promise((resolve) => setTimeout(resolve, DURATION_MS))
stopped = true
await Promise.all(workers)
clearInterval(sampler)
clearInterval(progress)
await sample()
const elapsedS = (performance.now() - started) / 1000

// --- verdict ---------------------------------------------------------------------------------------------
const windowOf = (from, to) => samples.filter((s) => s.at >= from && s.at <= to)
const startWindow = windowOf(WARMUP_MS, WARMUP_MS + WINDOW_MS)
const endWindow = windowOf(DURATION_MS - WINDOW_MS, Infinity)
const low = (list, key) => Math.min(...list.map((s) => s[key]))
const first = samples[0]
const level = {
  heapStart: low(startWindow, 'heap'),
  heapEnd: low(endWindow, 'heap'),
  rssStart: low(startWindow, 'rss'),
  rssEnd: low(endWindow, 'rss'),
}
const heapFlat = level.heapEnd <= Math.max(level.heapStart * (1 + MARGIN.heapRatio), level.heapStart + MARGIN.heapBytes)
const rssFlat = level.rssEnd <= Math.max(level.rssStart * (1 + MARGIN.rssRatio), level.rssStart + MARGIN.rssBytes)

child.kill('SIGTERM')
const exitCode = await new Promise((resolve) => child.on('exit', (code) => resolve(code)))
await dispatcher.close()
rmSync(dir, { recursive: true, force: true })

const summary = {
  minutes: MINUTES,
  connections: CONNECTIONS,
  requestsSent: counter.sent,
  requestsPerSecond: Math.round(counter.sent / elapsedS),
  failures: counter.failures,
  failureSamples: counter.failureSamples,
  byKind: counter.byKind,
  byStatus: counter.byStatus,
  slowestMs: Math.round(counter.maxMs),
  memory: {
    atStart: { rss: mb(first.rss), heapUsed: mb(first.heap) },
    afterWarmup: { rss: mb(level.rssStart), heapUsed: mb(level.heapStart) },
    atEnd: { rss: mb(level.rssEnd), heapUsed: mb(level.heapEnd) },
    heapGrowth: `${(((level.heapEnd - level.heapStart) / level.heapStart) * 100).toFixed(1)}%`,
    rssGrowth: `${(((level.rssEnd - level.rssStart) / level.rssStart) * 100).toFixed(1)}%`,
    samples: samples.length,
    flat: heapFlat && rssFlat,
  },
  serverLogLines: logLevels,
  serverExitCode: exitCode,
  serverStderr: stderr.slice(0, 500),
}
console.log(JSON.stringify(summary, null, 2))
console.log(
  `soak ${summary.memory.flat && counter.failures === 0 && exitCode === 0 ? 'PASSED' : 'FAILED'}: ${counter.sent} requests in ${elapsedS.toFixed(0)} s, ${counter.failures} failures; ` +
    `heap ${mb(level.heapStart)} → ${mb(level.heapEnd)} (${summary.memory.heapGrowth}), rss ${mb(level.rssStart)} → ${mb(level.rssEnd)} (${summary.memory.rssGrowth}) after warm-up; server exit ${exitCode}`,
)
process.exit(summary.memory.flat && counter.failures === 0 && exitCode === 0 ? 0 : 1)
