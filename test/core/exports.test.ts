// Pins the public runtime exports of every entry point in package.json's exports map (as under-pressure's
// exports test does), so nothing leaves — or slips into — the API by accident, and keeps the README's
// "API stability" list the same. Adding an export on purpose? Add it here and to that list.
import t from 'tap'
import { readFile } from 'node:fs/promises'

const ENTRIES: Record<string, { module: string; names: string[] }> = {
  presend: {
    module: 'core/index',
    names: [
      'BEFORE_SEND_COMMANDS', 'DECIDED_COMMANDS', 'ERROR_CODES', 'KNOWN_MSG_TYPES', 'MAX_REGEX_LENGTH',
      'OK_REPLY', 'PresendError', 'SLOT_KINDS', 'StoreUnavailableError', 'allow', 'appendElement',
      'beforeSendRequestSchema', 'c2cRejectCode', 'c2cRequestSchema', 'callbackQuerySchema',
      'callbackReplySchema', 'compileSafeRegExp', 'compileTerms', 'compileTermsAsync', 'createMemoryStore',
      'createMessage', 'createPipeline', 'customElement', 'definePlugin', 'drop', 'edit',
      'elementContentSchemas', 'elementText', 'friendRejectCode', 'groupRejectCode', 'groupRequestSchema',
      'insertElement', 'isBeforeSendCommand', 'isDecidedCommand', 'isPresendError', 'msgBodySchema',
      'msgElementSchema', 'officialAccountRequestSchema', 'parseRequest', 'reject', 'rejectOptionsShape',
      'removeElement', 'replaceText', 'setCloudCustomData', 'slotKinds', 'slotsOption', 'textElement',
      'whenReady', 'z',
    ],
  },
  'presend/plugins': {
    module: 'plugins/index',
    names: [
      'builtinPlugins', 'contacts', 'customElem', 'duplicates', 'keywordRewrite', 'links', 'profanity',
      'rateLimit', 'strikes',
    ],
  },
  'presend/server': {
    module: 'server/index',
    names: [
      'buildServer', 'checkAuth', 'computeSign', 'configSchema', 'consolePlugin', 'createPipelineFromConfig',
      'createRedisStore', 'createStoreFromConfig', 'createStoreMetrics', 'defaultConfig', 'loadConfig',
      'presendPlugin', 'resolvePlugin',
    ],
  },
  'presend/testing': {
    module: 'core/testing/index',
    names: [
      'c2cRequest', 'checkMessage', 'customElement', 'deepFreeze', 'groupRequest', 'officialAccountRequest',
      'requestFor', 'seedRequest', 'testPlugin', 'textElement',
    ],
  },
}

for (const [entry, { module, names }] of Object.entries(ENTRIES)) {
  t.test(`${entry} (${module}.ts) exports exactly these names`, async (t) => {
    const exported = (await import(`../../${module}.js`)) as Record<string, unknown>
    t.same(Object.keys(exported).sort(), names)
  })
}

t.test('the package exports map has exactly these entry points, mapped to these modules', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
  const entries = Object.fromEntries(
    Object.entries(ENTRIES).map(([entry, { module }]) => [
      entry.replace(/^presend/, '.'),
      { types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` },
    ]),
  )
  t.same(pkg.exports, { ...entries, './config.schema.json': './dist/config.schema.json', './package.json': './package.json' })
})

t.test("the README's API stability section lists exactly these names per entry point", async (t) => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## API stability'), readme.indexOf('\n## ', readme.indexOf('## API stability') + 1))
  // One bullet per entry point: "  - `presend/…`: …", up to the next bullet of either level.
  for (const bullet of section.split(/\n(?=\s*- )/)) {
    const entry = /^\s+- `(presend[^`]*)`/.exec(bullet)?.[1]
    if (entry === undefined) continue
    const listed = [...bullet.slice(bullet.indexOf(`\`${entry}\``) + entry.length + 2).matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!).sort()
    t.same(listed, ENTRIES[entry]?.names, `the README's ${entry} bullet`)
  }
  t.same([...section.matchAll(/^\s+- `(presend[^`]*)`/gm)].map((m) => m[1]), Object.keys(ENTRIES), 'a bullet per entry point')
})
