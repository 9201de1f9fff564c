// Reload under load, on the real binary: `node dist/server/cli/main.js serve` with a word-list plugin file, traffic
// flowing; the list file changes and SIGHUP arrives — zero failed requests, and the new list is in force for
// every request sent after the reload. Then broken configurations and a broken list on SIGHUP: the old
// pipeline keeps serving and the log (JSON lines on stdout) says why. Finally SIGTERM: exit 0.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { FIXTURES, killIfRunning, sleep, startServe, traffic, type Exchange } from './fixtures/helpers.js'

const WORDLIST = path.join(FIXTURES, 'wordlist.mjs')
const PHASE_MS = 600

t.test('SIGHUP under load swaps the word list with zero failed requests; broken reloads keep the old pipeline', async (t) => {
  const dir = t.testdir({
    'words.txt': 'alpha\n',
    'presend.config.json': JSON.stringify({ plugins: [{ use: WORDLIST, options: { file: 'words.txt' } }] }),
  })
  const configFile = path.join(dir, 'presend.config.json')
  const serve = await startServe(configFile, dir)
  t.teardown(() => killIfRunning(serve.child))

  const decision = (ex: Exchange) => ex.reply?.ErrorCode
  const load = traffic(serve.url, (n) => (n % 2 === 0 ? `say alpha ${n}` : `say beta ${n}`))
  await sleep(PHASE_MS)

  // 1. The list changes; SIGHUP; the new pipeline is swapped in while requests flow.
  writeFileSync(path.join(dir, 'words.txt'), 'beta\n')
  const hupAt = performance.now()
  serve.child.kill('SIGHUP')
  await serve.waitFor((l) => l.msg === 'reloaded the pipeline')
  const reloadedAt = performance.now()
  await sleep(PHASE_MS)

  // 2. A config that is not JSON: the reload fails, the running pipeline keeps serving, the log says why.
  writeFileSync(configFile, '{ "plugins": [ }')
  const linesBefore = serve.lines.length
  serve.child.kill('SIGHUP')
  const badJson = await serve.waitFor((l) => serve.lines.indexOf(l) >= linesBefore && l.level === 50)
  await sleep(PHASE_MS / 2)

  // 3. A valid config whose plugin cannot build (its list file is missing): same.
  writeFileSync(configFile, JSON.stringify({ plugins: [{ use: WORDLIST, options: { file: 'missing.txt' } }] }))
  const linesBefore2 = serve.lines.length
  serve.child.kill('SIGHUP')
  const badList = await serve.waitFor((l) => serve.lines.indexOf(l) >= linesBefore2 && l.level === 50)
  await sleep(PHASE_MS / 2)

  // 4. A config with a mistyped key: same.
  writeFileSync(configFile, JSON.stringify({ plugins: [{ use: WORDLIST, options: { file: 'words.txt' } }], pipline: {} }))
  const linesBefore3 = serve.lines.length
  serve.child.kill('SIGHUP')
  const badKey = await serve.waitFor((l) => serve.lines.indexOf(l) >= linesBefore3 && l.level === 50)
  await sleep(PHASE_MS / 2)

  const exchanges = await load.stop()
  const failed = exchanges.filter((ex) => ex.error !== undefined || ex.statusCode !== 200)
  t.same(failed.slice(0, 5), [], 'zero failed requests')
  t.equal(failed.length, 0)
  t.ok(exchanges.length > 100, `${exchanges.length} requests sent`)

  const before = exchanges.filter((ex) => ex.doneAt < hupAt)
  const after = exchanges.filter((ex) => ex.sentAt > reloadedAt)
  t.ok(before.length > 10 && after.length > 10, `${before.length} answered before SIGHUP, ${after.length} sent after the reload`)
  t.ok(before.every((ex) => decision(ex) === (ex.text.includes('alpha') ? 1 : 0)), 'before: the old list (alpha) was in force')
  t.ok(after.every((ex) => decision(ex) === (ex.text.includes('beta') ? 1 : 0)), 'after: the new list (beta) is in force, through every failed reload')

  t.match(String(badJson.msg), /reload failed; the previous configuration keeps serving: .*not valid JSON/, 'a broken file: the log says why')
  t.match(String(badList.msg), /reload failed; the previous pipeline keeps serving: .*missing\.txt/, 'a plugin that cannot build: the log names it')
  t.match(String(badKey.msg), /reload failed.*pipline: unknown key \(did you mean "pipeline"\?\)/, 'a mistyped key: the log names it')
  t.equal(serve.lines.filter((l) => l.msg === 'reloaded the pipeline').length, 1, 'only the good reload swapped the pipeline')

  serve.child.kill('SIGTERM')
  const { code } = await serve.exited
  t.equal(code, 0, 'exit 0 after SIGTERM')
  t.equal(serve.stderr(), '', 'nothing on stderr')
  t.comment(`reload under load: ${exchanges.length} requests, ${failed.length} failed, 1 reload and 3 refused reloads`)
})
