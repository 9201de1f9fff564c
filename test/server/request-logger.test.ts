// The per-request logger made on first use: no child until a line is logged, then one child with the
// request's bindings and options, and every call goes to it.
import t from 'tap'
import type { FastifyBaseLogger } from 'fastify'
import { LazyRequestLogger } from '../../server/request-logger.js'

interface Made {
  bindings: Record<string, unknown>
  options: Record<string, unknown> | undefined
  calls: Array<[string, unknown[]]>
  logger: FastifyBaseLogger
}

/** A logger that records the children it makes and the calls each child gets (with `this` checked). */
function recordingLogger(level = 'info') {
  const made: Made[] = []
  const make = (bindings: Record<string, unknown>, options: Record<string, unknown> | undefined, parentLevel: string): FastifyBaseLogger => {
    const entry = { bindings, options, calls: [] } as unknown as Made
    const logger: Record<string, unknown> = { level: (options?.level as string | undefined) ?? parentLevel }
    for (const name of ['fatal', 'error', 'warn', 'info', 'debug', 'trace']) {
      logger[name] = function (this: unknown, ...args: unknown[]) {
        if (this !== logger) throw new Error(`${name} called on the wrong logger`)
        entry.calls.push([name, args])
      }
    }
    logger.silent = () => {}
    logger.child = (b: Record<string, unknown>, o?: Record<string, unknown>) => make({ ...bindings, ...b }, o, logger.level as string)
    entry.logger = logger as unknown as FastifyBaseLogger
    made.push(entry)
    return entry.logger
  }
  const root = make({}, undefined, level)
  made.length = 0
  return { root, made }
}

t.test('no child until something is logged; then one, with the bindings and options', async (t) => {
  const { root, made } = recordingLogger()
  const log = new LazyRequestLogger(root, { reqId: 'req-1' }, {})
  t.equal(log.level, 'info', "the parent's level until a child exists")
  log.silent()
  t.equal(made.length, 0, 'nothing made yet')
  log.warn({ code: 'X' }, 'first %s', 'line')
  log.info('second')
  t.equal(made.length, 1, 'one child for every line of the request')
  t.same(made[0]!.bindings, { reqId: 'req-1' })
  t.same(made[0]!.calls, [['warn', [{ code: 'X' }, 'first %s', 'line']], ['info', ['second']]])
})

t.test('every level goes to the child', async (t) => {
  const { root, made } = recordingLogger()
  const log = new LazyRequestLogger(root, { reqId: 'req-2' }, {})
  log.fatal('f')
  log.error('e')
  log.warn('w')
  log.info('i')
  log.debug('d')
  log.trace('t')
  t.same(made[0]!.calls.map(([level]) => level), ['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
})

t.test('level: the options level before a child exists; setting it makes the child and sets its level', async (t) => {
  const { root, made } = recordingLogger()
  const log = new LazyRequestLogger(root, { reqId: 'req-3' }, { level: 'warn' })
  t.equal(log.level, 'warn')
  log.level = 'debug'
  t.equal(made.length, 1)
  t.equal(made[0]!.logger.level, 'debug')
  t.equal(log.level, 'debug')
})

t.test("child(): a child of the request's logger, carrying both bindings", async (t) => {
  const { root, made } = recordingLogger()
  const log = new LazyRequestLogger(root, { reqId: 'req-4' }, {})
  log.child({ plugin: 'links' }).info('from the plugin')
  t.equal(made.length, 2)
  t.same(made[1]!.bindings, { reqId: 'req-4', plugin: 'links' })
  t.same(made[1]!.calls, [['info', ['from the plugin']]])
})
