// The plugin contract: definePlugin's checks, the verdict and edit helpers, isPlugin.
import t from 'tap'
import { z } from 'zod'
import {
  allow,
  appendElement,
  customElement,
  definePlugin,
  drop,
  edit,
  insertElement,
  isPlugin,
  reject,
  removeElement,
  replaceText,
  setCloudCustomData,
  textElement,
  type Plugin,
} from '../../core/plugin.js'

const create = () => ({ check: () => allow() })

t.test('definePlugin returns the definition frozen', async (t) => {
  const options = z.object({ n: z.number().default(1) })
  const p = definePlugin({ name: 'my-plugin', options, description: 'does things', create })
  t.ok(Object.isFrozen(p))
  t.equal(p.name, 'my-plugin')
  t.equal(p.options, options)
  t.equal(p.description, 'does things')
  t.equal(p.create, create)
  for (const name of ['profanity', '@scope/pack', 'presend-pack-example', 'a.b_c', '0day', 'CamelCase']) {
    t.doesNotThrow(() => definePlugin({ name, options: z.object({}), create }), `"${name}" is a valid name`)
  }
})

t.test('definePlugin refuses a bad name with a sentence saying what is allowed', async (t) => {
  for (const name of ['', ' spaced', 'has space', '-leading-dash', 'émoji😀', 42, undefined]) {
    t.throws(() => definePlugin({ name, options: z.object({}), create } as unknown as Plugin), {
      name: 'TypeError',
      message: `definePlugin: name ${JSON.stringify(name)} is not a valid plugin name; use letters, digits, '-', '_', '.', '/' or '@' (e.g. "profanity").`,
    })
  }
  t.throws(() => definePlugin(undefined as unknown as Plugin), { message: /name undefined is not a valid plugin name/ })
})

t.test('definePlugin refuses a plugin without a zod schema', async (t) => {
  for (const options of [undefined, {}, { parse: () => ({}) }, null]) {
    t.throws(() => definePlugin({ name: 'x', options, create } as unknown as Plugin), {
      name: 'TypeError',
      message: 'definePlugin: plugin "x" has no zod options schema; pass one, e.g. options: z.object({}).',
    })
  }
})

t.test('definePlugin refuses a plugin without create()', async (t) => {
  for (const c of [undefined, 'create', {}]) {
    t.throws(() => definePlugin({ name: 'x', options: z.object({}), create: c } as unknown as Plugin), {
      name: 'TypeError',
      message: 'definePlugin: plugin "x" has no create() function; add create(options, env) returning { check }.',
    })
  }
})

t.test('isPlugin', async (t) => {
  t.ok(isPlugin(definePlugin({ name: 'x', options: z.object({}), create })))
  t.ok(isPlugin({ name: 'hand-made', options: z.object({}), create }), 'a hand-made plugin of the same shape')
  for (const v of [null, undefined, 'x', 1, {}, { name: 'x', create }, { name: 'x', options: {}, create }, { options: z.object({}), create }, { name: 'x', options: z.object({}) }]) {
    t.notOk(isPlugin(v), `not a plugin: ${JSON.stringify(v)}`)
  }
})

t.test('verdict helpers', async (t) => {
  const a = allow()
  t.same(a, { type: 'allow', edits: [], reason: undefined })
  t.equal(allow(), a, 'the plain allow is one shared frozen object')
  t.ok(Object.isFrozen(a) && Object.isFrozen(a.edits))
  t.same(allow('fine'), { type: 'allow', edits: [], reason: 'fine' })
  t.same(edit([], 'nothing'), { type: 'allow', edits: [], reason: 'nothing' }, 'no edits is a plain allow')
  t.equal(edit([]), a)
  const edits = [replaceText(0, 1, 2, 'x')]
  t.same(edit(edits, 'masked'), { type: 'allow', edits, reason: 'masked' })
  t.same(edit(edits), { type: 'allow', edits, reason: undefined })
  t.same(reject(), { type: 'reject', code: undefined, groupCode: undefined, info: undefined, reason: undefined })
  t.same(reject({ code: 120001, groupCode: 10100, info: 'no links', reason: 'link found' }), {
    type: 'reject',
    code: 120001,
    groupCode: 10100,
    info: 'no links',
    reason: 'link found',
  })
  t.same(drop(), { type: 'drop', reason: undefined })
  t.same(drop('spam'), { type: 'drop', reason: 'spam' })
})

t.test('edit builders', async (t) => {
  t.same(replaceText(1, 2, 5, '***'), { op: 'replace-text', element: 1, start: 2, end: 5, text: '***' })
  t.same(removeElement(3), { op: 'remove-element', element: 3 })
  const el = textElement('hi')
  t.same(insertElement(0, el), { op: 'insert-element', at: 0, value: el })
  t.same(appendElement(el), { op: 'append-element', value: el })
  t.same(setCloudCustomData('c'), { op: 'set-cloud-custom-data', value: 'c' })
  t.same(textElement('hello'), { MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } })
  const content = { Data: 'LV1', Desc: 'CustomElement.MemberLevel' }
  const custom = customElement(content)
  t.same(custom, { MsgType: 'TIMCustomElem', MsgContent: { Data: 'LV1', Desc: 'CustomElement.MemberLevel' } })
  t.not(custom.MsgContent, content, 'the content is copied, not shared')
})
