import t from 'tap'
import { compileRedactor } from '../../server/redact.js'
import { MESSAGE_TEXT_PATHS } from '../../server/app.js'

const redact = compileRedactor(MESSAGE_TEXT_PATHS, '[redacted]')

t.test('top-level keys, any parent, named parents', async (t) => {
  t.same(redact({ text: 'hi', plugin: 'x' }), { text: '[redacted]', plugin: 'x' })
  t.same(redact({ request: { MsgBody: [1], From_Account: 'a' } }), { request: { MsgBody: '[redacted]', From_Account: 'a' } })
  t.same(redact({ whatever: { texts: ['a'], Text: 'b', n: 1 } }), { whatever: { texts: '[redacted]', Text: '[redacted]', n: 1 } })
  t.same(redact({ req: { body: '{}', url: '/' } }), { req: { body: '[redacted]', url: '/' } })
  t.same(redact({ res: { body: '{}' } }), { res: { body: '{}' } }, '"body" is redacted under req only (and at the top)')
  t.same(redact({ body: 'x', Text: 'y', MsgBody: [] }), { body: '[redacted]', Text: '[redacted]', MsgBody: '[redacted]' })
})

t.test('nothing to redact: the same object, not a copy; the input is never changed', async (t) => {
  const clean = { plugin: 'x', nested: { n: 1 }, list: [{ text: 'in an array: not a path' }] }
  t.equal(redact(clean), clean)
  const dirty = { text: 'secret', nested: { text: 'secret' } }
  const out = redact(dirty)
  t.not(out, dirty)
  t.same(dirty, { text: 'secret', nested: { text: 'secret' } })
})

t.test('only plain objects are walked: class instances and arrays are left to their serializers', async (t) => {
  class Thing {
    text = 'kept'
  }
  const thing = new Thing()
  t.equal(redact({ thing }).thing, thing)
  t.same(redact({ bare: Object.assign(Object.create(null), { text: 'x' }) }).bare, { text: '[redacted]' })
})

t.test('unsupported paths are refused with what to write instead', async (t) => {
  t.throws(() => compileRedactor(['a.b.c'], 'x'), /"a\.b\.c" is not supported: write "key", "parent\.key" or "\*\.key"/)
  t.throws(() => compileRedactor(['a.'], 'x'), /not supported/)
})
