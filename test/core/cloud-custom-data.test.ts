// The CloudCustomData patch shared by custom-elem and keyword-rewrite: string replaces, object merges
// (RFC 7396) into a JSON object, anything else is left alone.
import t from 'tap'
import { setCloudCustomData } from '../../core/plugin.js'
import { cloudCustomDataEdits, compileCloudCustomData } from '../../core/cloud-custom-data.js'

t.test('merge patch semantics', async (t) => {
  const patch = compileCloudCustomData({ drop: null, list: [3], deep: { keep: null, add: 1 }, scalar: { now: 'object' } })
  t.equal(
    patch('{"drop":1,"list":[1,2],"deep":{"keep":true,"other":2},"scalar":5,"x":"y"}'),
    '{"list":[3],"deep":{"other":2,"add":1},"scalar":{"now":"object"},"x":"y"}',
    'null deletes, arrays replace, objects merge, an object replaces a scalar',
  )
  t.equal(patch(undefined), '{"list":[3],"deep":{"add":1},"scalar":{"now":"object"}}', 'null over nothing is simply absent')
})

t.test('a "__proto__" key stays an ordinary key', async (t) => {
  const patch = compileCloudCustomData(JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, never>)
  const out = patch('{"__proto__":{"a":1}}')
  t.equal(out, '{"__proto__":{"a":1,"polluted":true}}')
  t.equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype untouched')
})

t.test('patches compose in order; no edit when nothing changes', async (t) => {
  const a = compileCloudCustomData({ a: 1 })
  const b = compileCloudCustomData('replaced')
  const c = compileCloudCustomData({ c: 1 })
  t.same(cloudCustomDataEdits('{}', [a, c]), [setCloudCustomData('{"a":1,"c":1}')])
  t.same(cloudCustomDataEdits('{}', [a, b, c]), [setCloudCustomData('replaced')], 'a merge after a non-JSON string leaves it alone')
  t.same(cloudCustomDataEdits('{"a":1}', [a]), [], 'merging what is already there is no change')
  t.same(cloudCustomDataEdits(undefined, []), [], 'no patches, nothing absent becomes present')
  t.same(cloudCustomDataEdits('x', []), [])
})
