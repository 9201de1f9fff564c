// Finding where a case is written: the caller's frame in a stack, then each case name's literal in its file.
import t from 'tap'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { callerLocation, caseLocations } from '../../../core/testing/case-location.js'

const kit = path.resolve('core/testing/test-plugin.ts')

t.test('callerLocation: the first frame outside the kit and Node, in either frame style', async (t) => {
  const stack = [
    'Error',
    `    at testPlugin (${kit}:80:15)`,
    '    at node:internal/modules/run_main:1:1',
    '    at async Promise.all (index 0)',
    '    at file:///work/pack/test/index.test.js:12:3',
    '    at Object.<anonymous> (/work/pack/other.js:1:1)',
  ].join('\n')
  t.same(callerLocation(stack), { file: 'file:///work/pack/test/index.test.js', line: 12, column: 3 })
  t.same(callerLocation(`Error\n    at Test.<anonymous> (/work/pack/test/x.test.ts:7:9)`), { file: '/work/pack/test/x.test.ts', line: 7, column: 9 })
  t.same(callerLocation(`Error\n    at ${pathToFileURL(kit).href}:3:3`), undefined, 'only kit frames: no caller')
  t.equal(callerLocation(undefined), undefined, 'no stack at all')
})

t.test('caseLocations: each name in order from the call on; the call when it is not there', async (t) => {
  const dir = t.testdir({
    'cases.test.js': [
      "const before = 'quiet' // the same words before the call do not count",
      'testPlugin(plugin, {',
      '  cases: [',
      "    { name: 'quiet', expect: 'allow' },",
      '    { name: "it\'s \\"loud\\"", expect: \'drop\' },',
      '    { name: `a ${"template"}`, expect: \'allow\' },',
      "    { expect: 'allow', name: 'quiet' },",
      "    { name: 'back\\\\slash', expect: 'allow' },",
      '  ],',
      '})',
    ].join('\n'),
  })
  const file = path.join(dir, 'cases.test.js')
  const call = { file, line: 2, column: 1 }
  t.same(caseLocations(call, ['quiet', 'it\'s "loud"', 'generated', 'quiet', 'back\\slash']), [
    { file, line: 4, column: 13 },
    { file, line: 5, column: 13 },
    call,
    { file, line: 7, column: 30 },
    { file, line: 8, column: 13 },
  ])
  t.same(caseLocations({ ...call, file: pathToFileURL(file).href }, ['quiet'])[0], { file: pathToFileURL(file).href, line: 4, column: 13 }, 'a file: URL frame')
  const gone = { file: path.join(dir, 'missing.js'), line: 1, column: 1 }
  t.same(caseLocations(gone, ['a', 'b']), [gone, gone], 'an unreadable file: every case at the call')
  t.same(caseLocations({ file, line: 99, column: 1 }, ['quiet']), [{ file, line: 99, column: 1 }], 'a call past the end finds nothing')
})
