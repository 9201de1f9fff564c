// The HTTP statuses in the error table (presend/server's export list is pinned in test/core/exports.test.ts).
import t from 'tap'

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
