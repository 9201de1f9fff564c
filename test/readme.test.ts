// The README's examples are real: this runs each against the built package (`presend` resolves to dist/
// through the package's own exports) and compares what it prints with what the README says it prints.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

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
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir })
    t.equal(stdout, expected)
  })
}
