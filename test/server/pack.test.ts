// The example filter pack, end to end: installed into a folder's node_modules the way npm would install it,
// loaded BY PACKAGE NAME from a config there, served over Fastify, checked by the CLI, and its own tests run
// against the current core (the canary role: a pack's tests catch core changes that break packs).
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { c2cRequest, groupRequest } from '../../core/testing/index.js'
import { buildServer } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { createPipelineFromConfig, resolvePlugin } from '../../server/resolve.js'
import { childEnv, outsideTap } from './fixtures/child-env.js'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const packDir = path.join(repoRoot, 'test/packs/presend-pack-example')
const cli = path.join(repoRoot, 'dist/server/cli/main.js')
const read = (file: string) => readFileSync(path.join(packDir, file), 'utf8')

const manifest = JSON.parse(read('package.json')) as Record<string, unknown>

t.test('the pack is discoverable and declares presend as a peer', async (t) => {
  t.equal(manifest.name, 'presend-pack-example')
  t.ok((manifest.keywords as string[]).includes('presend-pack'))
  t.same(manifest.peerDependencies, { presend: '^0.1.0' }, 'the minor it was written for: in 0.x a minor may break plugins')
  t.same(manifest.devDependencies, { presend: 'file:../../..' }, 'developed against the checkout it sits in')
  t.equal(manifest.type, 'module')
  t.match(manifest.exports, { '.': './index.js' })
})

/** A deployment folder: the pack copied in as npm installs it, presend linked to this repo (its dist/). */
function deployment(t: Test, config: unknown) {
  return t.testdir({
    'presend.config.json': JSON.stringify(config),
    node_modules: {
      'presend-pack-example': {
        'package.json': read('package.json'),
        'index.js': read('index.js'),
        'README.md': read('README.md'),
        test: { 'index.test.js': read('test/index.test.js') },
      },
      presend: t.fixture('symlink', repoRoot),
    },
  })
}

t.test('loaded by package name from the config folder', async (t) => {
  const dir = deployment(t, {
    plugins: [
      { use: 'presend-pack-example', options: { 'no-shouting': { minLetters: 5 } } },
      { use: 'presend-pack-example#phone-mask', name: 'phones-again', options: { keepLast: 0 } },
    ],
  })
  t.same((await resolvePlugin('presend-pack-example', { baseDir: dir })).map((p) => p.name), ['no-shouting', 'phone-mask'])
  const { config, baseDir } = await loadConfig({ cwd: dir, env: {} })
  const pipeline = await createPipelineFromConfig(config, { baseDir })
  t.same(pipeline.names, ['no-shouting', 'phone-mask', 'phones-again'])
  const shout = await pipeline.run(c2cRequest({ text: 'STOP SHOUTING' }))
  t.equal(shout.decision, 'reject')
  t.equal(shout.decidedBy, 'no-shouting')
  const phone = await pipeline.run(c2cRequest({ text: 'ring 13800138000' }))
  t.equal(phone.decision, 'allow')
  t.same(phone.reply.MsgBody, [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'ring *********00' } }], 'the first phone-mask ran; the renamed second one found nothing left')
  await pipeline.close()
})

t.test('the server serves with the pack', async (t) => {
  const dir = deployment(t, { plugins: [{ use: 'presend-pack-example' }] })
  const { config, baseDir } = await loadConfig({ cwd: dir, env: {} })
  const app = await buildServer(config, { baseDir, logger: false })
  t.teardown(() => app.close())
  const post = async (body: object) =>
    (await app.inject({ method: 'POST', url: '/?SdkAppid=1400000000&CallbackCommand=Group.CallbackBeforeSendMsg', payload: body })).json()
  t.match(await post(groupRequest({ text: 'EVERYONE LOOK AT THIS' })), { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'Please do not shout.' })
  t.match(await post(groupRequest({ text: 'my number is 555-123-4567' })), {
    ErrorCode: 0,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'my number is ***-***-**67' } }],
  })
})

t.test('presend check runs the pack from the deployment folder', async (t) => {
  const dir = deployment(t, { plugins: [{ use: 'presend-pack-example' }] })
  // Two independent processes: side by side.
  const [err, ok] = await Promise.all([
    run(...outsideTap(process.execPath, [cli, 'check', 'WHO TURNED OFF THE LIGHTS']), { cwd: dir, env: childEnv() }).catch((e: unknown) => e),
    run(...outsideTap(process.execPath, [cli, 'validate']), { cwd: dir, env: childEnv() }),
  ])
  t.match(err, { code: 1, stdout: /^decision: reject \(by no-shouting\)/ })
  t.match(ok.stdout, /1\. no-shouting — rejects messages written mostly in capital letters {2}\(use: presend-pack-example\)/)
  t.match(ok.stdout, /2\. phone-mask — masks phone numbers/)
})

t.test("the pack's own tests pass against this core (node:test: no test framework installed)", async (t) => {
  const dir = deployment(t, { plugins: [] })
  const cwd = path.join(dir, 'node_modules/presend-pack-example')
  const { stdout } = await run(...outsideTap(process.execPath, ['--test', '--test-reporter=tap', 'test/index.test.js']), { cwd, env: childEnv() })
  t.match(stdout, /^# pass (\d+)$/m)
  t.ok(Number(/^# pass (\d+)$/m.exec(stdout)?.[1]) >= 17, 'every case ran')
  t.match(stdout, /^# fail 0$/m, 'none failed')
})
