// `presend serve` in-process: signals come from an injected emitter, logs from an injected stdout.
import t, { type Test } from 'tap'
import { EventEmitter } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { c2cRequest } from '../../../core/testing/index.js'
import { main, EXIT, type CliIO } from '../../../server/cli/main.js'
import { listenError, watchedFiles } from '../../../server/cli/serve.js'
import { validateConfig } from '../../../server/config.js'
import { runMain as run } from '../fixtures/run-main.js'
import { sink, waitFor } from '../fixtures/output.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const blockWords = path.join(fixtures, 'filters', 'block-words.mjs')

async function decide(url: string, text: string): Promise<number> {
  const res = await fetch(`${url}?SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg`, {
    method: 'POST',
    body: JSON.stringify(c2cRequest({ text })),
  })
  return ((await res.json()) as { ErrorCode: number }).ErrorCode
}

function start(t: Test, argv: string[], io: Partial<CliIO>) {
  const stdout = sink()
  const stderr = sink()
  const signals = new EventEmitter()
  const done = main(['serve', ...argv], { env: {}, stdout, stderr, signals, ...io })
  t.teardown(() => {
    // a test that failed midway must not leave a server behind
    signals.emit('SIGTERM', 'SIGTERM')
    return done
  })
  return { stdout, stderr, signals, done }
}

t.test('serve: listen, reload on --watch and SIGHUP, keep serving through bad reloads, stop on SIGTERM', async (t) => {
  const slow = { use: path.join(fixtures, 'filters', 'slow.mjs'), options: { ms: 300 } }
  const config = (plugins: unknown[]) => JSON.stringify({ logging: { level: 'info' }, server: { port: 8999 }, plugins: [...plugins, slow] })
  const dir = t.testdir({
    'presend.config.json': config([{ use: blockWords, options: { file: 'lists/words.txt' } }]),
    lists: { 'words.txt': 'spam\n' },
  })
  const cfg = path.join(dir, 'presend.config.json')
  const { stdout, signals, done } = start(t, ['--port', '0', '--host', '127.0.0.1', '--watch'], { cwd: dir })
  const [, url] = await waitFor(stdout, /"msg":"presend serving (http:\/\/127\.0\.0\.1:\d+\/)"/)
  t.notMatch(url, ':8999', '--port beats the file')
  t.match(stdout.text, /"level":40,[^\n]*"auth":"none","msg":"callback authentication is off: [^"]*PRESEND_TOKEN or auth\.token\)"/, 'no token: a warning says so')
  t.equal(await decide(url!, 'buy spam'), 1)
  t.equal(await decide(url!, 'green eggs'), 0)

  // --watch: an edited word list is in force after the reload, with no restart
  await writeFile(path.join(dir, 'lists/words.txt'), 'eggs\n')
  await waitFor(stdout, /"msg":"reloaded the pipeline"/)
  t.equal(await decide(url!, 'green eggs'), 1, 'the new list is in force')
  t.equal(await decide(url!, 'buy spam'), 0, 'the old list is gone')

  // a config that does not parse: the running configuration keeps serving
  await writeFile(cfg, '{ not json')
  signals.emit('SIGHUP', 'SIGHUP')
  await waitFor(stdout, /reload failed; the previous configuration keeps serving: Config file .* is not valid JSON/)
  t.equal(await decide(url!, 'green eggs'), 1, 'still the last good pipeline')

  // a config whose plugin options fail: the server keeps its pipeline (buildServer's reload says why)
  await writeFile(cfg, config([{ use: blockWords, options: { words: 3 } }]))
  signals.emit('SIGHUP', 'SIGHUP')
  await waitFor(stdout, /"msg":"reload failed; the previous pipeline keeps serving: Invalid options for plugin \\"block-words\\"/)
  t.equal(await decide(url!, 'green eggs'), 1)

  // a good config that no longer names the list: its folder is no longer watched
  await writeFile(cfg, config([{ use: blockWords, options: { words: ['ham'] } }]))
  signals.emit('SIGHUP', 'SIGHUP')
  const reloads = [...stdout.text.matchAll(/"msg":"reloaded the pipeline"/g)].length
  await waitFor(stdout, /"msg":"reloaded the pipeline"/, reloads + 1)
  t.equal(await decide(url!, 'ham and eggs'), 1)

  // a request in flight at SIGTERM is answered, and its keep-alive connection does not hold the exit
  const inFlight = decide(url!, 'slow one')
  await new Promise((r) => setTimeout(r, 100))
  const stopping = Date.now()
  signals.emit('SIGTERM', 'SIGTERM')
  t.equal(await inFlight, 0, 'answered')
  t.equal(await done, EXIT.OK)
  t.ok(Date.now() - stopping < 10_000, 'closed far inside keepAliveTimeout (72 s)')
  t.match(stdout.text, /"signal":"SIGTERM".*"msg":"shutting down: answering in-flight requests, then exiting"/)
  t.equal(signals.listenerCount('SIGHUP') + signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT'), 0, 'listeners removed')
})

t.test('a second stop signal stops waiting', async (t) => {
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ logging: { level: 'warn' }, plugins: [] }) })
  const { stdout, signals, done } = start(t, ['-p', '0', '--host', '127.0.0.1'], { cwd: dir })
  // with logging at warn there is no "serving" line; wait until the signal handlers are in place
  while (signals.listenerCount('SIGINT') === 0) await new Promise((r) => setTimeout(r, 10))
  signals.emit('SIGINT', 'SIGINT')
  signals.emit('SIGINT', 'SIGINT')
  t.equal(await done, 3)
  t.match(stdout.text, /"msg":"second stop signal: exiting without waiting for in-flight requests"/)
})

t.test('a port in use is an error, and the app is closed', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)))
  const port = (blocker.address() as { port: number }).port
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ logging: { level: 'silent' }, plugins: [] }) })
  const stderr = sink()
  // the process's own stdout: pino writes to fd 1 directly (silent here, so nothing shows)
  const code = await main(['serve', '--host', '127.0.0.1', '--port', String(port)], { cwd: dir, env: {}, stdout: process.stdout, stderr })
  t.equal(code, EXIT.ERROR)
  t.equal(
    stderr.text,
    `presend serve: Cannot listen on 127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use (another presend, or another server); stop it or choose another with --port, PORT or server.port.\n`,
  )
})

t.test('operations.port: serve listens there for /healthz and /metrics; a port in use there is an error too', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)))
  const taken = (blocker.address() as { port: number }).port
  const config = (port: number) => JSON.stringify({ logging: { level: 'info' }, server: { port: 0, host: '127.0.0.1' }, operations: { port }, plugins: [] })
  const dir = t.testdir({ 'presend.config.json': config(taken) })
  const stderr = sink()
  t.equal(await main(['serve'], { cwd: dir, env: {}, stdout: sink(), stderr }), EXIT.ERROR)
  t.match(stderr.text, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${taken}: .*choose another operations\\.port`))

  const ok = t.testdir({ 'presend.config.json': config(0) })
  const { stdout, signals, done } = start(t, [], { cwd: ok })
  const [, at] = await waitFor(stdout, /operations endpoints \(\/healthz, \/metrics\) at (http:\/\/127\.0\.0\.1:\d+)/)
  const [, serving] = await waitFor(stdout, /presend serving (http:\/\/127\.0\.0\.1:\d+)/)
  t.equal((await fetch(`${at}/healthz`)).status, 200)
  t.equal((await fetch(`${at}/metrics`)).status, 200)
  t.equal((await fetch(`${serving}/healthz`)).status, 404, 'not on the callback port')
  signals.emit('SIGTERM', 'SIGTERM')
  t.equal(await done, 0)
  await t.rejects(fetch(`${at}/healthz`), 'the operations listener closes with the server')
})

t.test('listen failures a user can fix are said so; anything else is passed on as it is', async (t) => {
  const fail = (code: string) => Object.assign(new Error(`listen ${code}`), { code })
  t.match(listenError(fail('EADDRINUSE'), '0.0.0.0', 8080), { code: 'PRESEND_LISTEN_FAILED', message: /^Cannot listen on 0\.0\.0\.0:8080: port 8080 on 0\.0\.0\.0 is already in use/ })
  t.match(listenError(fail('EACCES'), '0.0.0.0', 80), { code: 'PRESEND_LISTEN_FAILED', message: /ports below 1024 need privileges\); choose another with --port, PORT or server\.port\.$/ })
  t.match(listenError(fail('EADDRNOTAVAIL'), '192.0.2.1', 8080), { code: 'PRESEND_LISTEN_FAILED', message: /192\.0\.2\.1 is not an address of this machine; use --host, HOST or server\.host/ })
  t.match(listenError(fail('EADDRINUSE'), '127.0.0.1', 9091, 'operations.port'), { message: /already in use \(another presend, or another server\); stop it or choose another operations\.port\.$/ })
  t.match(listenError(fail('EADDRNOTAVAIL'), '192.0.2.1', 9091, 'operations.port'), { message: /192\.0\.2\.1 is not an address of this machine; use another operations\.host/ })
  const other = fail('ENOTFOUND')
  t.equal(listenError(other, 'nowhere.invalid', 8080), other)
  t.equal(listenError('not an error', 'h', 1), 'not an error')
})

t.test('a bad config stops serve before it listens', async (t) => {
  const stderr = sink()
  const code = await main(['serve', '--config', 'missing.json'], { cwd: t.testdir({}), env: {}, stdout: sink(), stderr })
  t.equal(code, EXIT.ERROR)
  t.match(stderr.text, /^presend serve: Config file .*missing\.json \(from --config\) does not exist/)
})

// The cluster itself (forked workers): cluster.test.ts in-process, workers.test.ts on the built binary.
t.test('--workers takes a number of processes and checks the config before forking', async (t) => {
  const dir = t.testdir({ unbuildable: { 'presend.config.json': JSON.stringify({ plugins: [{ use: 'no-such-plugin' }] }) } })
  for (const bad of ['0', 'two', '65']) {
    const r = await run(['serve', '--workers', bad], dir)
    t.equal(r.code, EXIT.ERROR)
    t.match(r.stderr, new RegExp(`--workers "${bad}" is not a number of processes`))
    t.match(r.stderr, /Usage: presend serve/)
  }
  // A config that cannot serve fails once, in the primary, before any worker starts (both flag spellings).
  for (const argv of [['--workers', '2'], ['--workers=2']]) {
    const r = await run(['serve', ...argv, '--config', 'missing.json'], dir)
    t.equal(r.code, EXIT.ERROR)
    t.match(r.stderr, /missing\.json/)
    t.notMatch(r.stderr, /starting 2 workers/)
  }
  // A config that loads but whose plugins cannot build fails in the primary too.
  const broken = await run(['serve', '--workers', '2'], path.join(dir, 'unbuildable'))
  t.equal(broken.code, EXIT.ERROR)
  t.match(broken.stderr, /no-such-plugin/)
  t.notMatch(broken.stderr, /starting 2 workers/)
  // One worker is the ordinary single process.
  const one = await run(['serve', '--workers', '1', '--config', 'missing.json'], dir)
  t.equal(one.code, EXIT.ERROR)
  t.match(one.stderr, /missing\.json/)
})

t.test('watchedFiles: the config, local plugin files and files named in options', async (t) => {
  const dir = t.testdir({
    'presend.config.json': '{}',
    'words.txt': 'x',
    lists: { 'a.txt': 'a', 'b.txt': 'b' },
    'filter.mjs': '',
  })
  const file = path.join(dir, 'presend.config.json')
  const config = validateConfig({
    plugins: [
      { use: './filter.mjs#one', options: { file: 'words.txt', nested: { lists: ['lists/a.txt', pathToFileURL(path.join(dir, 'lists/b.txt')).href] } } },
      { use: 'profanity', options: { words: ['lists', 'not-a-file.txt', '', 'a\nb', 'x'.repeat(5000)], n: 3, on: true, none: null } },
      { use: './missing.mjs' },
    ],
  })
  t.same(watchedFiles({ config, file, baseDir: dir }).sort(), [
    path.join(dir, 'filter.mjs'),
    path.join(dir, 'lists/a.txt'),
    path.join(dir, 'lists/b.txt'),
    file,
    path.join(dir, 'words.txt'),
  ].sort())
  t.same(watchedFiles({ config: validateConfig({ plugins: [] }), file: undefined, baseDir: dir }), [], 'the embedded default watches nothing')
})

t.test('with a callback token, no warning about authentication', async (t) => {
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ logging: { level: 'info' }, plugins: [] }) })
  const { stdout, signals, done } = start(t, ['--port', '0', '--host', '127.0.0.1'], { cwd: dir, env: { PRESEND_TOKEN: 'xxxxyyyy' } })
  await waitFor(stdout, /"msg":"presend serving /)
  signals.emit('SIGTERM', 'SIGTERM')
  t.equal(await done, 0)
  t.notMatch(stdout.text, /callback authentication is off/)
})
