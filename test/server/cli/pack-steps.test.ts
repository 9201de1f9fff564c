// The README's pack steps run word for word from an empty folder (scaffold --ts, npm install, npm test, npm
// pack, install by name next to a config, validate, check), then the pack served by name over the Fastify
// app. The scaffold itself is tested in new-pack.test.ts.
import t from 'tap'
import { Ajv } from 'ajv'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { groupRequest } from '../../../core/requests.js'
import { buildServer } from '../../../server/app.js'
import { loadConfig } from '../../../server/config.js'
import { childEnv, outsideTap } from '../fixtures/child-env.js'
import { runMain as run } from '../fixtures/run-main.js'

// The README steps take about 15 s of CPU; on a machine shared with other builds the wall time can be many
// times that, past tap's default of 120 s for a file.
t.setTimeout(600_000)

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

const read = (...parts: string[]) => readFileSync(path.join(...parts), 'utf8')

t.test("README's pack steps, word for word from an empty folder: scaffold --ts, install, test, pack, serve by name", async (t) => {
  const started = Date.now()
  const readme = read(repoRoot, 'README.md')
  const script = /<!-- pack-steps:start -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  // Step 1 gets presend: here it is this repository, built by the test run already (running npm ci in it
  // would replace the node_modules this test runs from). Everything after runs as written.
  const setup = ['PRESEND="$HOME/src/presend"       # where your presend checkout is', '(cd "$PRESEND" && npm ci)         # installs presend\'s dependencies and builds it into dist/']
  for (const line of setup) t.ok(script.includes(`${line}\n`), `README step 1: ${line.slice(0, 40)}…`)
  const steps = script.replace(`${setup[0]}\n`, `PRESEND=${JSON.stringify(repoRoot.replace(/\/$/, ''))}\n`).replace(`${setup[1]}\n`, '')

  const dir = t.testdir({})
  // Offline where the npm cache has it (TypeScript and @types/node, from presend's own install): no registry
  // round trips in a test.
  const env = childEnv({ npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' })
  const result = await promisify(execFile)(...outsideTap('sh', ['-e', '-c', steps]), { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  )
  t.equal(result.code, 1, `the last step, presend check, exits 1 for a rejected message\n${result.stderr}`)
  t.match(result.stdout, /^# pass 7$/m, "npm test: the scaffolded pack's tests pass")
  t.match(result.stdout, /^# fail 0$/m)
  t.match(result.stdout, /1\. acme — rejects messages that contain a blocked word {2}\(use: presend-pack-acme\)\nOK: the configuration is valid\./, 'validate lists the plugin loaded by name')
  t.match(result.stdout, /^decision: reject \(by acme\)$/m, 'check: rejected by the pack')
  t.notMatch(result.stderr, /EBADENGINE|ERESOLVE|install-scripts/, 'npm had nothing to warn about')

  // The deployment the steps made: presend serves the pack by package name and answers a callback.
  const deploy = path.join(dir, 'deploy')
  const { config, baseDir } = await loadConfig({ cwd: deploy, env: {} })
  const app = await buildServer(config, { baseDir, logger: false })
  t.teardown(() => app.close())
  t.same(app.presend.pipeline.names, ['acme'])
  const reply = await app.inject({
    method: 'POST',
    url: '/?SdkAppid=1400000000&CallbackCommand=Group.CallbackBeforeSendMsg',
    payload: groupRequest({ text: 'totally forbidden' }),
  })
  t.same(reply.json(), { ActionStatus: 'OK', ErrorInfo: 'This message contains a blocked word.', ErrorCode: 1 })

  // Editors can check the pack's options too: the schema with --config knows them.
  const schema = await run(['schema', '--config', 'presend.config.json'], deploy)
  const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(schema.stdout) as object)
  t.ok(validate({ plugins: [{ use: 'presend-pack-acme', options: { words: ['forbidden'], code: 120001 } }] }))
  t.notOk(validate({ plugins: [{ use: 'presend-pack-acme', options: { wrods: ['forbidden'] } }] }), 'a misspelt option of the pack')
  t.comment(`README pack steps and serving took ${((Date.now() - started) / 1000).toFixed(1)} s`)
})
