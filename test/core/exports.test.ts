// Pins the public runtime exports of `presend` and `presend/testing` (as under-pressure's exports test does),
// so nothing leaves — or slips into — the API by accident. Adding an export on purpose? Add it here too.
import t from 'tap'

t.test('presend (core/index.ts) exports exactly these names', async (t) => {
  const core = await import('../../core/index.js')
  t.same(Object.keys(core).sort(), [
    'AutomatonMatcher',
    'BEFORE_SEND_COMMANDS',
    'DECIDED_COMMANDS',
    'ERROR_CODES',
    'GraphemeSnapper',
    'KNOWN_MSG_TYPES',
    'MAX_REGEX_LENGTH',
    'NORMALIZER_NAMES',
    'OK_REPLY',
    'PresendError',
    'REJECT_CODE_RANGES',
    'SLOT_KINDS',
    'StoreUnavailableError',
    'ahoCorasickEngine',
    'allow',
    'appendElement',
    'applyEdits',
    'automatonEngine',
    'automatonSteps',
    'beforeSendRequestSchema',
    'buildAutomaton',
    'c2cRejectCode',
    'c2cRequestSchema',
    'callbackQuerySchema',
    'callbackReplySchema',
    'childLogger',
    'compileNormalizer',
    'compileSafeRegExp',
    'compileTerms',
    'compileTermsAsync',
    'createMemoryStore',
    'createMessage',
    'createPipeline',
    'createSlicer',
    'customElement',
    'defaultEngine',
    'definePlugin',
    'drop',
    'edit',
    'elementContentSchemas',
    'elementText',
    'formatPath',
    'formatZodIssues',
    'friendRejectCode',
    'groupRejectCode',
    'groupRequestSchema',
    'insertElement',
    'isBeforeSendCommand',
    'isDecidedCommand',
    'isPlugin',
    'isPresendError',
    'isValidRejectCode',
    'jsonTextRuleSchema',
    'listErrorCodes',
    'msgBodySchema',
    'msgElementSchema',
    'namespaceStore',
    'normalize',
    'numberish',
    'officialAccountRequestSchema',
    'parsePattern',
    'parseRequest',
    'reject',
    'rejectOptionsShape',
    'removeElement',
    'replaceText',
    'setCloudCustomData',
    'silentLogger',
    'slotKinds',
    'slotsOption',
    'snapToGraphemes',
    'textElement',
    'whenReady',
    'z',
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

t.test('the package entry points map to these modules', async (t) => {
  const { readFile } = await import('node:fs/promises')
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
  t.match(pkg.exports['.'], { types: './dist/core/index.d.ts', default: './dist/core/index.js' })
  t.match(pkg.exports['./testing'], { types: './dist/core/testing/index.d.ts', default: './dist/core/testing/index.js' })
})
