// The CLI's commands run in-process through main(argv, io) with captured output.
// (test/server/cli/process.test.ts runs the built binary as a child process.)
import t, { type Test } from 'tap'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { allow, definePlugin } from '../../../core/plugin.js'
import { z } from 'zod'
import { c2cRequest } from '../../../core/testing/index.js'
import { EXIT, formatResult, main, type CliIO } from '../../../server/cli/main.js'
import { sink } from '../fixtures/output.js'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))
const filter = (name: string) => path.join(fixtures, 'filters', name)
const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version

const stdinOf = (text: string): CliIO['stdin'] => Readable.from([Buffer.from(text)])
const tty: CliIO['stdin'] = { isTTY: true, async* [Symbol.asyncIterator]() {} }

async function run(argv: string[], io: Partial<CliIO> = {}, mainFn = main) {
  const stdout = sink()
  const stderr = sink()
  const code = await mainFn(argv, { stdout, stderr, env: {}, cwd: fixtures, stdin: stdinOf(''), ...io })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

/** A folder with a presend.config.json using the fixture plugins. */
function configDir(t: Test, extra: Record<string, unknown> = {}) {
  return t.testdir({
    'presend.config.json': JSON.stringify({
      plugins: [
        { use: filter('block-words.mjs'), options: { words: ['spam'] } },
        { use: `${filter('pair.mjs')}#quiet`, options: { max: 40 } },
        { use: filter('misc.mjs') },
      ],
      ...extra,
    }),
  })
}

t.test('help, version and usage errors', async (t) => {
  const none = await run([])
  t.equal(none.code, EXIT.ERROR)
  t.match(none.stderr, /^presend .+\n\nUsage: presend <command> \[options\]/)
  for (const flag of ['--help', '-h', 'help']) {
    const help = await run([flag])
    t.equal(help.code, EXIT.OK)
    t.match(help.stdout, 'Commands:\n  serve')
    t.match(help.stdout, 'Exit status: 0 success; 3 a usage, configuration or input error.')
  }
  t.same(await run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' })
  t.same(await run(['-v']), { code: 0, stdout: `${version}\n`, stderr: '' })
  const unknown = await run(['serv'])
  t.equal(unknown.code, EXIT.ERROR)
  t.equal(unknown.stderr, 'presend: unknown command "serv"; expected one of serve, check, validate, schema, init, new-pack (see presend --help).\n')
  const listed = [...(await run(['--help'])).stdout.matchAll(/^ {2}([a-z-]+) {3,}\S/gm)].map((m) => m[1])
  t.same(listed, ['serve', 'check', 'validate', 'schema', 'init', 'new-pack'], 'presend --help lists every command')
  for (const command of listed as string[]) {
    const help = await run([command, '--help'])
    t.equal(help.code, EXIT.OK)
    t.match(help.stdout, new RegExp(`^Usage: presend ${command} `), `${command} --help`)
    const bad = await run([command, '--bogus'])
    t.equal(bad.code, EXIT.ERROR)
    t.match(bad.stderr, new RegExp(`^presend ${command}: Unknown option '--bogus'.*\\n\\nUsage: presend ${command}`, 's'))
  }
  t.match((await run(['check', '-h'])).stdout, 'Exit status: 0 allowed (changed or not), 1 rejected, 2 dropped, 3 error.')
  t.match(await run(['validate', 'extra']), { code: EXIT.ERROR, stderr: /Unexpected argument 'extra'/ })
  const port = await run(['serve', '--port', 'http'])
  t.equal(port.code, EXIT.ERROR)
  t.match(port.stderr, /^presend serve: --port "http" is not a port number \(0–65535\)\.\n\nUsage: presend serve/)
  t.match(await run(['serve', '-p', '70000']), { code: EXIT.ERROR, stderr: /--port "70000"/ })
})

t.test('validate lists the plugins in run order', async (t) => {
  const dir = configDir(t, { auth: { token: 't' }, sdkAppId: 1400000001 })
  const { code, stdout, stderr } = await run(['validate'], { cwd: dir })
  t.equal(stderr, '')
  t.equal(code, EXIT.OK)
  t.equal(
    stdout,
    [
      `config:   ${path.join(dir, 'presend.config.json')}`,
      'server:   http://0.0.0.0:8080/  auth: token  sdkAppId: 1400000001',
      'pipeline: deadline 1500 ms, on fault allow',
      'store:    memory (one instance; set store.redis to share state between instances)',
      'plugins (4, in run order):',
      `  1. block-words  (use: ${filter('block-words.mjs')})`,
      `  2. quiet — drops messages longer than max characters  (use: ${filter('pair.mjs')}#quiet)`,
      `  3. masker  (use: ${filter('misc.mjs')})`,
      `  4. fragile  (use: ${filter('misc.mjs')})`,
      'OK: the configuration is valid.',
      '',
    ].join('\n'),
  )
})

t.test('validate with the embedded default and a built-in named as in config', async (t) => {
  const profanity = definePlugin({ name: 'profanity', description: 'swear words', options: z.object({ action: z.string() }), create: () => ({ check: () => allow() }) })
  const links = definePlugin({ name: 'links', options: z.object({ action: z.string() }), create: () => ({ check: () => allow() }) })
  const resolver = await t.mockImport<typeof import('../../../server/resolve.js')>('../../../server/resolve.js', {
    '../../../plugins/index.js': { builtinPlugins: { profanity, links } },
  })
  const validate = await t.mockImport<typeof import('../../../server/cli/validate.js')>('../../../server/cli/validate.js', { '../../../server/resolve.js': resolver })
  const mocked = await t.mockImport<typeof import('../../../server/cli/main.js')>('../../../server/cli/main.js', { '../../../server/cli/validate.js': validate })
  const { code, stdout, stderr } = await run(['validate'], { cwd: t.testdir({}) }, mocked.main)
  t.equal(stderr, '')
  t.equal(code, EXIT.OK)
  t.match(stdout, 'config:   embedded default (no presend.config.json found)')
  t.match(stdout, 'auth: none (set PRESEND_TOKEN or auth.token in production)')
  t.match(stdout, '  1. profanity — swear words\n  2. links\n')
})

t.test('validate and check fail with the error sentence', async (t) => {
  const typo = t.testdir({ 'presend.config.json': '{"plugins":[],"sever":{}}' })
  const bad = await run(['validate'], { cwd: typo })
  t.equal(bad.code, EXIT.ERROR)
  t.equal(
    bad.stderr,
    `presend validate: Invalid config in ${path.join(typo, 'presend.config.json')}: sever: unknown key (did you mean "server"?); expected one of server, auth, sdkAppId, pipeline, plugins, logging, metrics, operations, store, console.\n`,
  )
  const missing = await run(['check', '--config', 'nope.json', 'hi'], { cwd: typo })
  t.match(missing, { code: EXIT.ERROR, stderr: /^presend check: Config file .*nope\.json \(from --config\) does not exist/ })
  const options = t.testdir({ 'presend.config.json': JSON.stringify({ plugins: [{ use: filter('block-words.mjs'), options: { words: 3 } }] }) })
  t.match(await run(['validate'], { cwd: options }), {
    code: EXIT.ERROR,
    stderr: /^presend validate: Invalid options for plugin "block-words": plugins\[0\]\.options\.words: /,
  })
  t.match(await run(['validate', '-c', 'x.json'], { env: { PRESEND_CONFIG: 'also-missing.json' }, cwd: options }), {
    stderr: /x\.json \(from --config\)/,
  })
})

t.test('check: one text through the pipeline, exit code by decision', async (t) => {
  const dir = configDir(t)
  const allowRun = await run(['check', 'hello', 'there'], { cwd: dir })
  t.equal(allowRun.code, EXIT.OK)
  t.match(allowRun.stdout, /^decision: allow\nreply: {4}\{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0\}\ntrace:\n {2}block-words {2}allow {4}\d+\.\d\d ms\n {2}quiet {8}allow/)

  const rejected = await run(['check', 'buy spam now'], { cwd: dir })
  t.equal(rejected.code, EXIT.REJECT)
  t.match(rejected.stdout, 'decision: reject (by block-words)\n')
  t.match(rejected.stdout, '"ErrorCode":1')
  t.match(rejected.stdout, /trace:\n {2}block-words {2}reject {3}\d+\.\d\d ms {2}code 1 {2}matched "spam"\n$/)

  const dropped = await run(['check', 'x'.repeat(41)], { cwd: dir })
  t.equal(dropped.code, EXIT.DROP)
  t.match(dropped.stdout, 'decision: drop (by quiet)')

  const changed = await run(['check', 'my secret'], { cwd: dir })
  t.equal(changed.code, EXIT.OK)
  t.match(changed.stdout, 'decision: allow (changed)\n')
  t.match(changed.stdout, '"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"my ******"}}]')
  t.match(changed.stdout, / {2}masker {7}edit {5}\d+\.\d\d ms {2}masked a secret {2}\[element 0: replaced \[3, 9\)\]\n/)

  const fault = await run(['check', 'boom'], { cwd: dir })
  t.equal(fault.code, EXIT.OK, 'a fault follows the fault policy (allow)')
  t.match(fault.stdout, / {2}fragile {6}fault {4}\d+\.\d\d ms {2}error: .*fragile plugin broke/)

  const group = await run(['check', '--group', 'spam'], { cwd: dir })
  t.equal(group.code, EXIT.REJECT)
})

t.test('check: --group, --official-account and --command choose the command of a TEXT', async (t) => {
  // command-echo writes the command it saw into CloudCustomData, so the reply shows which request ran
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ plugins: [{ use: filter('command-echo.mjs') }] }) })
  const kindOf = async (args: string[]) => {
    const { code, stdout, stderr } = await run(['check', '--json', ...args, 'hello'], { cwd: dir })
    t.equal(stderr, '')
    t.equal(code, EXIT.OK)
    return (JSON.parse(stdout) as { reply: { CloudCustomData?: string } }).reply.CloudCustomData
  }
  t.equal(await kindOf([]), 'C2C.CallbackBeforeSendMsg', 'C2C by default')
  t.equal(await kindOf(['-g']), 'Group.CallbackBeforeSendMsg')
  t.equal(await kindOf(['--official-account']), 'OfficialAccount.CallbackBeforeSendMsg')
  t.equal(await kindOf(['-o']), 'OfficialAccount.CallbackBeforeSendMsg')
  t.equal(await kindOf(['--command', 'Group.CallbackBeforeSendMsg']), 'Group.CallbackBeforeSendMsg')
  t.equal(await kindOf(['--group', '--command=Group.CallbackBeforeSendMsg']), 'Group.CallbackBeforeSendMsg', 'two flags naming the same command agree')

  const typo = await run(['check', '--command', 'group.CallbackBeforeSendMsg', 'hi'], { cwd: dir })
  t.equal(typo.code, EXIT.ERROR)
  t.match(
    typo.stderr,
    /^presend check: --command "group\.CallbackBeforeSendMsg" is not a command presend can check \(did you mean "Group\.CallbackBeforeSendMsg"\?\); expected one of C2C\.CallbackBeforeSendMsg, Group\.CallbackBeforeSendMsg, OfficialAccount\.CallbackBeforeSendMsg, Sns\.CallbackPrevFriendAdd, .*OfficialAccount\.CallbackBeforeCreateOfficialAccount\.\n\nUsage: presend check/,
  )
  t.match(await run(['check', '--command', 'Sns.Whatever', 'hi'], { cwd: dir }), { code: EXIT.ERROR, stderr: /^presend check: --command "Sns\.Whatever" is not a command presend can check; expected one of / })
  t.match(await run(['check', '-g', '-o', 'hi'], { cwd: dir }), {
    code: EXIT.ERROR,
    stderr: /^presend check: --group, --official-account and --command each choose the command; give one \(got Group\.CallbackBeforeSendMsg and OfficialAccount\.CallbackBeforeSendMsg\)\./,
  })
  const body = JSON.stringify(c2cRequest({ text: 'hi' }))
  t.match(await run(['check', '--group'], { cwd: dir, stdin: stdinOf(body) }), {
    code: EXIT.ERROR,
    stderr: /^presend check: --group, --official-account and --command choose the command of a TEXT; a callback body on stdin names its own CallbackCommand\./,
  })
  t.match((await run(['check', '--help'])).stdout, /--command NAME {6}send TEXT as this callback command; one of:\n {28}C2C\.CallbackBeforeSendMsg\n/)
})

t.test('check --json prints one object', async (t) => {
  const dir = configDir(t, { sdkAppId: 1400000002 })
  const { code, stdout } = await run(['check', '--json', '-g', 'spam'], { cwd: dir })
  t.equal(code, EXIT.REJECT)
  const out = JSON.parse(stdout) as Record<string, unknown>
  t.same(Object.keys(out), ['decision', 'reply', 'changed', 'decidedBy', 'faults', 'trace'])
  t.match(out, { decision: 'reject', decidedBy: 'block-words', faults: 0, reply: { ErrorCode: 1 } })
})

t.test('check reads a whole callback body from stdin', async (t) => {
  const dir = configDir(t)
  const body = JSON.stringify(c2cRequest({ text: 'no spam please', cloudCustomData: 'x' }))
  t.match(await run(['check'], { cwd: dir, stdin: stdinOf(body) }), { code: EXIT.REJECT, stdout: /decision: reject/ })
  const strings = Readable.from(['{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b",', '"MsgBody":[]}'])
  t.match(await run(['check'], { cwd: dir, stdin: strings }), { code: EXIT.OK })

  const empty = await run(['check'], { cwd: dir, stdin: stdinOf(' \n') })
  t.equal(empty.code, EXIT.ERROR)
  t.match(empty.stderr, /^presend check: stdin was empty; give the message TEXT, or pipe a callback body \(JSON\) into stdin\.\n/)
  const notJson = await run(['check'], { cwd: dir, stdin: stdinOf('hello') })
  t.equal(notJson.code, EXIT.ERROR)
  t.match(notJson.stderr, /^presend check: stdin is not a JSON callback body: .+\.\n\nUsage: presend check/)
  const invalid = await run(['check'], { cwd: dir, stdin: stdinOf('{"CallbackCommand":"C2C.CallbackBeforeSendMsg"}') })
  t.equal(invalid.code, EXIT.ERROR)
  t.match(invalid.stderr, /^presend check: Invalid callback body: /)
  const terminal = await run(['check'], { cwd: dir, stdin: tty })
  t.equal(terminal.code, EXIT.ERROR)
  t.match(terminal.stderr, 'presend check: give the message TEXT, or pipe a callback body (JSON) into stdin.')
  const broken: CliIO['stdin'] = {
    // eslint-disable-next-line require-yield -- a stdin that fails before its first chunk
    async* [Symbol.asyncIterator]() {
      throw 'stdin went away'
    },
  }
  t.match(await run(['check'], { cwd: dir, stdin: broken }), { code: EXIT.ERROR, stderr: 'presend check: unexpected error: stdin went away\n' })
})

t.test('check runs the other callbacks from stdin and names the kind of each text in the trace', async (t) => {
  const dir = t.testdir({ 'presend.config.json': JSON.stringify({ plugins: [{ use: 'profanity' }] }) })
  const friends = {
    CallbackCommand: 'Sns.CallbackPrevFriendAdd',
    From_Account: 'id',
    FriendItem: [{ To_Account: 'id1', AddWording: 'hello' }, { To_Account: 'id2', AddWording: 'fuck you' }],
  }
  const out = await run(['check'], { cwd: dir, stdin: stdinOf(JSON.stringify(friends)) })
  t.equal(out.code, EXIT.REJECT)
  t.match(out.stdout, '"ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":38000,')
  t.match(out.stdout, /profanity +reject +\d+\.\d\d ms {2}friend "id2" {2}code 38000 {2}.*\[FriendItem\.1\.AddWording friend-wording: replaced \[0, 4\)\]/)
  const json = JSON.parse((await run(['check', '--json'], { cwd: dir, stdin: stdinOf(JSON.stringify(friends)) })).stdout) as { items: unknown }
  t.match(json.items, [{ to: 'id1', decision: 'allow' }, { to: 'id2', decision: 'reject', code: 38000 }])
  const push = c2cRequest({ body: [{ MsgType: 'TIMCustomElem', MsgContent: { Desc: 'fuck off', Data: 'x' } }] })
  t.match((await run(['check'], { cwd: dir, stdin: stdinOf(JSON.stringify(push)) })).stdout, '[element 0 custom-desc: replaced [0, 4)]')
})

t.test('formatResult covers every trace field', async (t) => {
  t.equal(
    formatResult({ decision: 'allow', reply: { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 }, changed: false, body: [], cloudCustomData: undefined, decidedBy: undefined, faults: 0, trace: [] }),
    'decision: allow\nreply:    {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}\ntrace:\n  (no plugins)\n',
  )
  const text = formatResult({
    decision: 'allow',
    reply: { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 },
    changed: false,
    body: [],
    cloudCustomData: undefined,
    decidedBy: undefined,
    faults: 0,
    trace: [{ plugin: 'a-long-plugin-name', outcome: 'allow', changes: [], durationMs: 0.123 }],
  })
  t.equal(text.split('\n')[3], '  a-long-plugin-name  allow    0.12 ms')
})
