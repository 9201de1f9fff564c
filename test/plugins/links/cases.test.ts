// Table-driven behaviour of the links plugin: every case in fixtures/cases.json runs one message through a
// one-plugin pipeline (deep-frozen input, reject-on-fault) and checks the exact text that comes out.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { testPlugin, type Expectation, type OptionsOf, type PluginCase } from '../../../core/testing/index.js'
import links from '../../../plugins/links/index.js'

type FixtureExpect = string | { reject: number; info?: string } | { drop: true }
interface FixtureGroup {
  title: string
  options: OptionsOf<typeof links>
  cases: Array<[name: string, input: string, expect: FixtureExpect]>
}

const groups = JSON.parse(readFileSync(new URL('fixtures/cases.json', import.meta.url), 'utf8')) as FixtureGroup[]

function expectation(input: string, expected: FixtureExpect): Expectation {
  if (typeof expected !== 'string') return 'drop' in expected ? 'drop' : expected
  // An unchanged text means "allowed and untouched", which testPlugin checks as `changed === false`.
  return expected === input ? 'allow' : { text: expected }
}

let total = 0
for (const group of groups) {
  t.test(group.title, async (t) => {
    const cases: PluginCase[] = group.cases.map(([name, text, expected]) => ({ name, text, expect: expectation(text, expected) }))
    total += cases.length
    testPlugin(t, links, { options: group.options, cases })
  })
}

t.test('the fixture holds cases', async (t) => {
  t.ok(groups.length >= 5, 'several option groups')
  t.ok(total >= 100, `at least 100 cases (found ${total})`)
})
