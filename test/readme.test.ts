// The README's examples are real: this runs each against the built package (`presend` resolves to dist/
// through the package's own exports) and compares what it prints with what the README says it prints.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { childEnv, outsideTap } from './server/fixtures/child-env.js'

const root = fileURLToPath(new URL('..', import.meta.url))

// Every `<!-- name-example:start -->` section: the SDK quick start, the word-list example.
for (const name of ['sdk', 'words']) {
  t.test(`README ${name} example prints what the README says`, async (t) => {
    const readme = await readFile(`${root}/README.md`, 'utf8')
    const section = new RegExp(`<!-- ${name}-example:start -->([\\s\\S]*?)<!-- ${name}-example:end -->`).exec(readme)?.[1]
    t.ok(section, `README has the ${name}-example section`)
    const code = /```js\n([\s\S]*?)```/.exec(section ?? '')?.[1]
    const expected = /```text\n([\s\S]*?)```/.exec(section ?? '')?.[1]
    t.ok(code && expected, 'the section has the code and its output')
    // Inside the package folder, so the bare `presend` specifier resolves to this package.
    const dir = t.testdir({})
    const file = `${dir}/example.mjs`
    await writeFile(file, code as string)
    const { stdout } = await promisify(execFile)(...outsideTap(process.execPath, [file]), { cwd: dir, env: childEnv() })
    t.equal(stdout, expected)
  })
}

// Configuration examples: each `<!-- config-example -->` JSON block is valid against the shipped JSON Schema
// (as an editor would check it) and against presend's own validation; each `<!-- config-example: invalid -->`
// block is refused by both, and `presend validate` prints the ```text block that follows it, word for word.
t.test('README config examples validate against the shipped schema; its error examples fail as shown', async (t) => {
  const [{ Ajv }, { validateConfig }, { main }] = await Promise.all([
    import('ajv'),
    import('../server/config.js'),
    import('../server/cli/main.js'),
  ])
  const schema = JSON.parse(await readFile(`${root}/dist/config.schema.json`, 'utf8')) as object
  const validate = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema)
  const readme = await readFile(`${root}/README.md`, 'utf8')
  const examples = [...readme.matchAll(/<!-- config-example(: invalid)? -->\n```json\n([\s\S]*?)```/g)]
  t.ok(examples.length >= 4, 'README has its config examples')
  for (const example of examples) {
    const [, invalid, text] = example as unknown as [string, string | undefined, string]
    if (invalid === undefined) {
      const config = JSON.parse(text) as unknown
      t.ok(validate(config), `valid for editors: ${text.slice(0, 60)}…`)
      t.doesNotThrow(() => validateConfig(config), 'and for presend')
      continue
    }
    let config: unknown
    try {
      config = JSON.parse(text)
    } catch {
      config = undefined // a syntax example: no schema can judge it
    }
    if (config !== undefined) t.notOk(validate(config), `refused by the schema: ${text.trim()}`)
    // The README shows the error for a file at /srv/presend/presend.config.json.
    const dir = t.testdir({ 'presend.config.json': text })
    const shown = /^[\s\S]*?```text\n([\s\S]*?)```/.exec(readme.slice((example.index ?? 0) + example[0].length))?.[1]
    let stderr = ''
    const code = await main(['validate'], { cwd: dir, env: {}, stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } })
    t.equal(code, 3, 'presend validate refuses it')
    t.equal(stderr.replaceAll(dir, '/srv/presend'), shown, 'and says what the README shows')
  }
})

// The plugin example is the example pack's first plugin, word for word, and its test example passes under
// `node --test` as written; with one option left out it fails as the README shows.
t.test('README plugin and testing examples: one no-shouting, tests that pass, a failure as shown', async (t) => {
  const readme = await readFile(`${root}/README.md`, 'utf8')
  const block = (name: string) => new RegExp(`<!-- ${name}:start -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1] ?? ''
  const plugin = block('plugin-example')
  const test = block('plugin-test-example')
  t.ok(plugin && test, 'README has both examples')
  const pack = await readFile(`${root}/test/packs/presend-pack-example/index.js`, 'utf8')
  t.ok(pack.includes(plugin.slice(plugin.indexOf('/**'))), "the README's no-shouting is the example pack's, word for word")

  const dir = t.testdir({ 'index.js': plugin, test: { 'no-shouting.test.js': test } })
  const run = (file: string) =>
    promisify(execFile)(...outsideTap(process.execPath, ['--test', '--test-reporter=spec', file]), { cwd: dir, env: childEnv() }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (e: unknown) => e as { code: number; stdout: string },
    )
  await writeFile(`${dir}/test/failing.test.js`, test.replace('options: { code: 120001, groupCode: 10100 }', 'options: { groupCode: 10100 }'))
  // Two independent `node --test` runs: side by side.
  const [passing, failing] = await Promise.all([run('test/no-shouting.test.js'), run('test/failing.test.js')])
  t.equal(passing.code, 0)
  t.match(passing.stdout, /^ℹ pass 5$/m, 'every case of the README test passes')
  t.match(passing.stdout, /^ℹ fail 0$/m)

  t.equal(failing.code, 1)
  const shown = /<!-- plugin-test-failure -->\n```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const printed = failing.stdout.replaceAll(pathToFileURL(`${dir}/test/failing.test.js`).href, 'file:///home/me/presend-pack-acme/test/no-shouting.test.js')
  const [first, ...rest] = shown.trimEnd().split('\n')
  t.match(printed, `${first!.replace(/\(.*\)$/, '(')}`, 'the failing case, named')
  t.match(printed, rest.join('\n'), 'the message and the two lines of the stack, as the README shows them')
})
