// `presend/server` exports exactly this list, so nothing leaves (or joins) the public API by accident.
import t from 'tap'
import * as server from '../../server/index.js'

t.test('the public export list of presend/server', async (t) => {
  t.same(Object.keys(server).sort(), [
    'MESSAGE_TEXT_PATHS',
    'buildServer',
    'checkAuth',
    'computeSign',
    'configSchema',
    'consolePlugin',
    'createMetrics',
    'createPipelineFromConfig',
    'createRedisStore',
    'createStoreFromConfig',
    'createStoreMetrics',
    'defaultConfig',
    'inspect',
    'loadConfig',
    'parseCallbackJson',
    'presendPlugin',
    'requestOf',
    'resolvePlugin',
  ])
})

t.test('every HTTP error status is one a request can cause', async (t) => {
  const { listErrorCodes } = await import('../../core/errors.js')
  const withStatus = listErrorCodes().filter((c) => c.statusCode !== undefined)
  t.same(withStatus.map((c) => [c.code, c.statusCode]), [
    ['PRESEND_INVALID_JSON', 400],
    ['PRESEND_UNAUTHORIZED', 401],
    ['PRESEND_FORBIDDEN_APP', 403],
    ['PRESEND_BODY_TOO_LARGE', 413],
    ['PRESEND_BAD_REQUEST', 400],
    ['PRESEND_METRICS_UNAUTHORIZED', 401],
    ['PRESEND_CONSOLE_UNAUTHORIZED', 401],
    ['PRESEND_CONSOLE_RATE_LIMITED', 429],
  ])
})
