// `presend/server` exports exactly this list, so nothing leaves (or joins) the public API by accident.
import t from 'tap'
import * as server from '../../server/index.js'

t.test('the public export list of presend/server', async (t) => {
  t.same(Object.keys(server).sort(), [
    'HTTP_ERROR_CODES',
    'MESSAGE_TEXT_PATHS',
    'buildServer',
    'checkAuth',
    'computeSign',
    'configSchema',
    'createMetrics',
    'createPipelineFromConfig',
    'defaultConfig',
    'loadConfig',
    'parseCallbackJson',
    'presendPlugin',
    'resolvePlugin',
  ])
})

t.test('every HTTP error code is registered with its status', async (t) => {
  const { listErrorCodes } = await import('../../core/errors.js')
  for (const [code, entry] of Object.entries(server.HTTP_ERROR_CODES)) {
    t.same(listErrorCodes().find((c) => c.code === code), { code, ...entry }, code)
  }
})
