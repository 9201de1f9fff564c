// presend/testing under node:test, as a pack uses it: the built package, `node --test` in a child process,
// no test framework installed. A failing case is reported at its own line in the pack's file.
import t from 'tap'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { childEnv, outsideTap } from '../../server/fixtures/child-env.js'

const run = promisify(execFile)

t.test('node --test runs the cases, and a failure points at the case', async (t) => {
  // Under the repository (tap's fixtures folder), so `presend` resolves to this package's dist/.
  const dir = t.testdir({
    'shout.test.js': [
      "import { definePlugin, allow, reject, z } from 'presend'",
      "import { testPlugin, groupRequest } from 'presend/testing'",
      '',
      'const shout = definePlugin({',
      "  name: 'shout',",
      '  options: z.strictObject({ max: z.number().default(3), ...{} }),',
      '  create: ({ max }) => ({ check: (m) => ((m.texts[0]?.text.match(/[A-Z]/g)?.length ?? 0) > max ? reject({ groupCode: 10100 }) : allow()) }),',
      '})',
      '',
      'testPlugin(shout, {',
      '  cases: [',
      "    { name: 'quiet passes', text: 'hello', expect: 'allow' },",
      "    { name: 'group code', request: groupRequest({ text: 'HELLO' }), expect: { reject: 10100 } },",
      "    { name: 'wrong on purpose', text: 'HELLO', expect: 'allow' },",
      '  ],',
      '})',
      '',
    ].join('\n'),
  })
  const file = path.join(dir, 'shout.test.js')
  const err = (await run(...outsideTap(process.execPath, ['--test', '--test-reporter=tap', file]), { cwd: dir, env: childEnv() }).catch((e: unknown) => e)) as {
    code: number
    stdout: string
  }
  t.equal(err.code, 1, 'node --test fails the run')
  t.match(err.stdout, /^ok \d+ - quiet passes$/m)
  t.match(err.stdout, /^ok \d+ - group code$/m)
  t.match(err.stdout, /^not ok \d+ - wrong on purpose$/m)
  t.match(err.stdout, /case "wrong on purpose": expected 'allow', got \{ reject: 1, info: 'rejected by shout' \} \(by shout\)/)
  // The stack node:test prints: the case's line, then the testPlugin call. (Its own "location" field names
  // where test() was called, inside presend: node:test has no way to set it.)
  t.match(err.stdout, `  stack: |-\n    ${pathToFileURL(file).href}:14:13\n    ${pathToFileURL(file).href}:10:1\n`, 'the failure is located at the case in the pack file')
  t.match(err.stdout, /^# pass 2$/m)
  t.match(err.stdout, /^# fail 1$/m)
})
