// The built binary as a real process: config file, real HTTP, SIGHUP after editing the word list,
// SIGTERM with a request in flight, exit 0. dist/ is built by `npm test`'s pretest.
import t from 'tap'
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { c2cRequest } from '../../../core/testing/index.js'
import { childEnv, outsideTap } from '../fixtures/child-env.js'
import { runMain } from '../fixtures/run-main.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const cli = path.join(repoRoot, 'dist/server/cli/main.js')
const filter = (name: string) => path.join(repoRoot, 'test/server/fixtures/filters', name)

interface LogLine {
  msg?: string
  url?: string
  [key: string]: unknown
}

async function decide(url: string, text: string): Promise<{ ErrorCode: number; ErrorInfo: string }> {
  const res = await fetch(`${url}?SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg`, {
    method: 'POST',
    // no Content-Type, as Tencent documents none
    body: JSON.stringify(c2cRequest({ text })),
  })
  return (await res.json()) as { ErrorCode: number; ErrorInfo: string }
}

t.test('presend serve as a process: HTTP, SIGHUP reload of the word list, SIGTERM → exit 0', async (t) => {
  const dir = t.testdir({
    'config.json': JSON.stringify({
      server: { port: 8998 },
      logging: { level: 'info' },
      plugins: [
        { use: filter('block-words.mjs'), options: { file: 'words.txt' } },
        { use: filter('slow.mjs'), options: { ms: 400 } },
      ],
    }),
    'words.txt': 'spam\n',
  })
  const child = spawn(...outsideTap(process.execPath, [cli, 'serve', '--config', 'config.json', '--host', '127.0.0.1']), {
    cwd: dir,
    env: childEnv({ PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  // pino writes one JSON object per line; wait for lines by message
  const lines: LogLine[] = []
  const waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = []
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine
    try {
      line = JSON.parse(text) as LogLine
    } catch {
      return
    }
    lines.push(line)
    for (const w of [...waiters]) {
      if (!w.test(line)) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(line)
    }
  })
  const waitForLog = (test: (l: LogLine) => boolean, what: string) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = lines.find(test)
      if (seen) return resolve(seen)
      const timer = setTimeout(() => reject(new Error(`no log line "${what}" within 15 s; stderr: ${stderr}`)), 15_000)
      waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) })
    })

  const serving = await waitForLog((l) => l.msg?.startsWith('presend serving') === true, 'presend serving')
  const url = serving.url!
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
  t.not(url, 'http://127.0.0.1:8998/', 'PORT beats the file')

  t.match(await decide(url, 'buy spam now'), { ErrorCode: 1, ErrorInfo: 'blocked word' })
  t.match(await decide(url, 'green eggs'), { ErrorCode: 0 })
  const health = await fetch(new URL('/healthz', url))
  t.equal(health.status, 200)

  await writeFile(path.join(dir, 'words.txt'), 'eggs\nham\n')
  child.kill('SIGHUP')
  await waitForLog((l) => l.msg === 'reloaded the pipeline', 'reloaded the pipeline')
  t.match(await decide(url, 'green eggs'), { ErrorCode: 1 }, 'the edited list is in force')
  t.match(await decide(url, 'buy spam now'), { ErrorCode: 0 }, 'the removed word passes')

  // SIGTERM while a slow request is in flight: it is still answered, then the process exits 0
  const inFlight = decide(url, 'slow please')
  await new Promise((r) => setTimeout(r, 100))
  child.kill('SIGTERM')
  t.match(await inFlight, { ErrorCode: 0 }, 'the in-flight request is answered')
  const { code, signal } = await exited
  t.equal(signal, null)
  t.equal(code, 0, 'exit 0 after a graceful shutdown')
  t.ok(lines.some((l) => l.msg === 'shutting down: answering in-flight requests, then exiting'))
})

t.test('the binary: --version, check and validate exit codes', async (t) => {
  const spawnRun = (args: string[], input?: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(...outsideTap(process.execPath, [cli, ...args]), { cwd: dir, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
      child.on('close', (code) => resolve({ code, stdout, stderr }))
      child.stdin.end(input ?? '')
    })
  // What only a real process shows (exit statuses 0, 1 and 3 as the process's own, stdin from a pipe) runs
  // the binary, the processes side by side; the rest of the table runs main() itself, the same code.
  const inProcess = (args: string[]) => runMain(args, dir)
  const dir = t.testdir({
    'presend.config.json': JSON.stringify({ plugins: [{ use: filter('block-words.mjs'), options: { words: ['spam'] } }] }),
  })
  const [version, spam, piped, unknown] = await Promise.all([
    spawnRun(['--version']),
    spawnRun(['check', 'spam']),
    spawnRun(['check'], JSON.stringify(c2cRequest({ text: 'more spam' }))),
    spawnRun(['nope']),
  ])
  t.match(version, { code: 0, stdout: /^\d+\.\d+\.\d+\n$/ })
  t.match(await inProcess(['check', 'hello']), { code: 0, stdout: /^decision: allow\n/ })
  t.match(spam, { code: 1, stdout: /^decision: reject \(by block-words\)\n/ })
  t.match(piped, { code: 1 })
  t.match(await inProcess(['validate']), { code: 0, stdout: /OK: the configuration is valid\.\n$/ })
  t.match(await inProcess(['validate', '--config', 'nope.json']), { code: 3, stderr: /does not exist/ })
  t.match(unknown, { code: 3, stderr: /unknown command "nope"/ })
})

// `npm start` on a fresh clone: the built binary with no config file at all.
t.test(
  'the binary validates the embedded default from dist/ (the build copies the bundled word lists)',
  async (t) => {
    const dir = t.testdir({})
    const child = spawn(...outsideTap(process.execPath, [cli, 'validate']), { cwd: dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    t.equal(code, 0, out)
    t.match(out, /1\. profanity.*\n {2}2\. links/)
  },
)
