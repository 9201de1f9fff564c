// Pins the public runtime exports of every entry point in package.json's exports map (as under-pressure's
// exports test does), so nothing leaves — or slips into — the API by accident. Adding an export on purpose?
// Add it here and to the README's "API stability" list too.
import t from 'tap'
import { readFile } from 'node:fs/promises'

t.test('presend (core/index.ts) exports exactly these names', async (t) => {
  const core = await import('../../core/index.js')
  t.same(Object.keys(core).sort(), [
    'BEFORE_SEND_COMMANDS',
    'DECIDED_COMMANDS',
    'ERROR_CODES',
    'KNOWN_MSG_TYPES',
    'MAX_REGEX_LENGTH',
    'OK_REPLY',
    'PresendError',
    'SLOT_KINDS',
    'StoreUnavailableError',
    'allow',
    'appendElement',
    'beforeSendRequestSchema',
    'c2cRejectCode',
    'c2cRequestSchema',
    'callbackQuerySchema',
    'callbackReplySchema',
    'compileSafeRegExp',
    'compileTerms',
    'compileTermsAsync',
    'createMemoryStore',
    'createMessage',
    'createPipeline',
    'customElement',
    'definePlugin',
    'drop',
    'edit',
    'elementContentSchemas',
    'elementText',
    'friendRejectCode',
    'groupRejectCode',
    'groupRequestSchema',
    'insertElement',
    'isBeforeSendCommand',
    'isDecidedCommand',
    'isPresendError',
    'msgBodySchema',
    'msgElementSchema',
    'officialAccountRequestSchema',
    'parseRequest',
    'reject',
    'rejectOptionsShape',
    'removeElement',
    'replaceText',
    'setCloudCustomData',
    'slotKinds',
    'slotsOption',
    'textElement',
    'whenReady',
    'z',
  ])
})

t.test('presend/plugins (plugins/index.ts) exports exactly these names', async (t) => {
  const plugins = await import('../../plugins/index.js')
  t.same(Object.keys(plugins).sort(), [
    'builtinPlugins',
    'contacts',
    'customElem',
    'duplicates',
    'keywordRewrite',
    'links',
    'profanity',
    'rateLimit',
    'strikes',
  ])
})

t.test('presend/server (server/index.ts) exports exactly these names', async (t) => {
  const server = await import('../../server/index.js')
  t.same(Object.keys(server).sort(), [
    'buildServer',
    'checkAuth',
    'computeSign',
    'configSchema',
    'consolePlugin',
    'createPipelineFromConfig',
    'createRedisStore',
    'createStoreFromConfig',
    'createStoreMetrics',
    'defaultConfig',
    'loadConfig',
    'presendPlugin',
    'resolvePlugin',
  ])
})

t.test('presend/testing (core/testing/index.ts) exports exactly these names', async (t) => {
  const testing = await import('../../core/testing/index.js')
  t.same(Object.keys(testing).sort(), [
    'c2cRequest',
    'checkMessage',
    'customElement',
    'deepFreeze',
    'groupRequest',
    'officialAccountRequest',
    'requestFor',
    'seedRequest',
    'testPlugin',
    'textElement',
  ])
})

t.test('the package exports map has exactly these entry points, mapped to these modules', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
  const entry = (module: string) => ({ types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` })
  t.same(pkg.exports, {
    '.': entry('core/index'),
    './plugins': entry('plugins/index'),
    './server': entry('server/index'),
    './testing': entry('core/testing/index'),
    './config.schema.json': './dist/config.schema.json',
    './package.json': './package.json',
  })
})
