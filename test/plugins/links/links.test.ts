// The links plugin beyond the case table: options and their errors, the domain rules, verdicts and their
// reasons, links in the second text element, and what the finder reports.
import { createRequire } from 'node:module'
import t, { type Test } from 'tap'
import { createPipeline } from '../../../core/pipeline/index.js'
import { isPresendError } from '../../../core/errors.js'
import { checkMessage, c2cRequest, customElement, groupRequest, textElement } from '../../../core/testing/index.js'
import { builtinPlugins } from '../../../plugins/index.js'
import links, {
  canonicalHost,
  compileDomainRules,
  createLinkFinder,
  EVERYDAY_WORD_TLDS,
  FILE_EXTENSION_TLDS,
  linksOptions,
} from '../../../plugins/links/index.js'
import { createLinkify } from '../../../plugins/links/linkify.js'

t.test('registered as the built-in "links"', async (t) => {
  t.equal(builtinPlugins.links, links)
  t.equal(links.name, 'links')
  t.ok(links.description)
})

t.test('options: defaults', async (t) => {
  t.same(linksOptions.parse({}), {
    allowDomains: [],
    denyDomains: [],
    action: 'replace',
    replacement: '[link]',
    emails: false,
    slots: 'all',
  })
})

t.test('options: domains are canonical', async (t) => {
  const parsed = linksOptions.parse({ allowDomains: ['*.Example.COM', '.b.org', ' 例子.测试 ', 'ｅｘａｍｐｌｅ.net.'] })
  t.same(parsed.allowDomains, ['example.com', 'b.org', 'xn--fsqu00a.xn--0zwm56d', 'example.net'])
  t.equal(canonicalHost('Bücher.DE.'), 'xn--bcher-kva.de')
  t.equal(canonicalHost('exa mple.com'), '')
  t.equal(canonicalHost('a..b'), '')
})

async function optionsError(t: Test, options: unknown): Promise<string> {
  try {
    await createPipeline({ plugins: [[links, options]] })
  } catch (err) {
    t.ok(isPresendError(err, 'PRESEND_INVALID_OPTIONS'), 'PRESEND_INVALID_OPTIONS')
    return (err as Error).message
  }
  t.fail('the pipeline was built')
  return ''
}

t.test('options: errors name the key and the bad value', async (t) => {
  t.match(await optionsError(t, { allowDomains: ['https://example.com/x'] }), /options\.allowDomains\[0\]: "https:\/\/example\.com\/x" is not a domain; write the bare domain/)
  t.match(await optionsError(t, { denyDomains: ['ok.com', ''] }), /options\.denyDomains\[1\]: "" is not a domain/)
  t.match(await optionsError(t, { denyDomains: ['*.'] }), /options\.denyDomains\[0\]: "\*\." is not a domain/)
  t.match(
    await optionsError(t, { allowDomains: ['Example.com'], denyDomains: ['evil.io', 'example.COM'] }),
    /options\.denyDomains\[1\]: "example\.com" is in both allowDomains and denyDomains/,
  )
  t.match(await optionsError(t, { allowDomain: ['example.com'] }), /allowDomain/, 'a misspelt key is refused, not ignored')
  t.match(await optionsError(t, { action: 'mask' }), /options\.action/)
  t.match(await optionsError(t, { action: 'reject', code: 5 }), /options\.code: expected 1 or a C2C custom reject code/)
  t.match(await optionsError(t, { action: 'reject', groupCode: 120001 }), /options\.groupCode/)
})

t.test('domain rules', async (t) => {
  const allowOnly = compileDomainRules(['example.com'], [])
  t.equal(allowOnly.acts('example.com'), false)
  t.equal(allowOnly.acts('www.example.com'), false)
  t.equal(allowOnly.acts('example.com.evil.io'), true, 'the lookalike trap')
  t.equal(allowOnly.acts('notexample.com'), true)
  t.equal(allowOnly.acts(''), true, 'an unreadable host is acted on without a deny list')

  const deny = compileDomainRules(['docs.example.com'], ['example.com'])
  t.equal(deny.acts('www.example.com'), true)
  t.equal(deny.acts('docs.example.com'), false, 'a more specific allow wins')
  t.equal(deny.acts('a.docs.example.com'), false)
  t.equal(deny.acts('evil.io'), false, 'only denied domains are acted on')
  t.equal(deny.acts(''), false, 'an unreadable host is not a denied one')

  const broad = compileDomainRules(['a.example.com'], ['example.com', 'b.a.example.com'])
  t.equal(broad.acts('b.a.example.com'), true, 'a more specific deny wins back')
  t.equal(broad.acts('c.a.example.com'), false)
  t.equal(compileDomainRules(['cn'], []).acts('anything.cn'), false, 'a TLD covers everything under it')
})

t.test('every file-extension and everyday-word TLD is a real TLD (else the rule would be dead)', async (t) => {
  const tlds = new Set(createRequire(import.meta.url)('tlds') as string[])
  for (const tld of [...FILE_EXTENSION_TLDS, ...EVERYDAY_WORD_TLDS]) t.ok(tlds.has(tld), tld)
})

t.test("linkify-it's fuzzy-link regex stays under the size V8 optimises (20 KB of source)", async (t) => {
  // Past it V8 compiles the regular expression without its optimisations: the scan took 3× as long when
  // the path rule of linkify.ts pushed it to 20.5 KB.
  const source = (createLinkify().re.link_fuzzy as RegExp).source
  t.ok(source.length < 20 * 1024, `${source.length} characters`)
})

t.test('finder: offsets, canonical hosts, emails', async (t) => {
  const find = createLinkFinder({ emails: true })
  t.same(find('see Evil.IO/x and bob@Example.com.'), [
    { start: 4, end: 13, host: 'evil.io', email: false },
    { start: 18, end: 33, host: 'example.com', email: true },
  ])
  t.same(find('http://1.2.3.999/x'), [{ start: 0, end: 18, host: '', email: false }], 'a host URL cannot parse is reported empty')
  t.same(find('😀看https://例子.测试'), [{ start: 3, end: 16, host: 'xn--fsqu00a.xn--0zwm56d', email: false }])
  t.same(createLinkFinder({ emails: false })('bob@example.com mailto:bob@example.com'), [])
  t.same(find(''), [])
})

t.test('finder: text without a dot, colon, "@" or "/" in any form is skipped, and each of those forms still finds', async (t) => {
  const find = createLinkFinder({ emails: true })
  t.same(find('no link in this line 你好 😀 evil io'), [])
  t.same(find('see //localhost/x').map((l) => l.host), ['localhost'])
  t.same(find('ｅｖｉｌ。ｉｏ').map((l) => l.host), ['evil.io'])
  t.same(find('evil．io').map((l) => l.host), ['evil.io'])
  t.same(find('http：//evil.io').map((l) => l.host), ['evil.io'])
  t.same(find('mail a@b.io').map((l) => l.host), ['b.io'])
})

t.test('reject: codes per command, info, reason', async (t) => {
  const options = { action: 'reject', code: 120001, groupCode: 10100, info: 'No links, please' } as const
  const c2c = await checkMessage(links, options, 'see evil.io and bit.ly/x')
  t.equal(c2c.decision, 'reject')
  t.same(c2c.reply, { ActionStatus: 'OK', ErrorCode: 120001, ErrorInfo: 'No links, please' })
  t.equal(c2c.trace[0]?.reason, 'contains a link to evil.io', 'stops at the first link')

  const group = await checkMessage(links, options, 'see evil.io', { command: 'Group.CallbackBeforeSendMsg' })
  t.same(group.reply, { ActionStatus: 'OK', ErrorCode: 10100, ErrorInfo: 'No links, please' })

  const plain = await checkMessage(links, { action: 'reject' }, 'see evil.io')
  t.same(plain.reply, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'contains a link to evil.io' })

  const clean = await checkMessage(links, options, 'no links here, v1.2.3')
  t.equal(clean.decision, 'allow')
  t.equal(clean.changed, false)

  const allowed = await checkMessage(links, { ...options, allowDomains: ['example.com'] }, 'see https://example.com')
  t.equal(allowed.decision, 'allow')
})

t.test('drop', async (t) => {
  const result = await checkMessage(links, { action: 'drop' }, 'free money at prize.xyz')
  t.equal(result.decision, 'drop')
  t.same(result.reply, { ActionStatus: 'OK', ErrorCode: 2, ErrorInfo: '' })
  t.equal(result.trace[0]?.reason, 'contains a link to prize.xyz')
})

t.test('the reason names hosts, at most three', async (t) => {
  const result = await checkMessage(links, {}, 'a.io b.io a.io c.io d.io e.io http://1.2.3.999')
  t.equal(result.trace[0]?.outcome, 'edit')
  t.equal(result.trace[0]?.reason, 'replaced 7 links to a.io, b.io, c.io and 3 more')
  const one = await checkMessage(links, { action: 'strip' }, 'x http://1.2.3.999')
  t.equal(one.trace[0]?.reason, 'stripped a link to an unreadable host')
})

t.test("a link in a text element and in a custom element's push text; its app Data untouched", async (t) => {
  const custom = customElement({ Data: 'see evil.io', Desc: 'evil.io', Ext: '' })
  const request = groupRequest({ body: [textElement('hello'), custom, textElement('then 😀evil.io😀 ok')] })
  const result = await checkMessage(links, {}, request)
  t.equal(result.decision, 'allow')
  t.same(result.body, [textElement('hello'), customElement({ Data: 'see evil.io', Desc: '[link]', Ext: '' }), textElement('then 😀[link]😀 ok')])
  t.same(result.trace[0]?.changes, ['element 1 custom-desc: replaced [0, 7)', 'element 2: replaced [7, 14)'])
  const textOnly = await checkMessage(links, { slots: ['text'] }, request)
  t.same(textOnly.body, [textElement('hello'), custom, textElement('then 😀[link]😀 ok')], 'slots: ["text"] reads text elements only')

  const rejected = await checkMessage(links, { action: 'reject' }, request)
  t.equal(rejected.decision, 'reject')
})

t.test('links in several text elements', async (t) => {
  const request = c2cRequest({ body: [textElement('a.io'), textElement('ok'), textElement('x b.io y')] })
  const result = await checkMessage(links, { action: 'strip' }, request)
  t.same(result.body, [textElement('ok'), textElement('x  y')], 'a text element emptied by strip is removed')
  const dropped = await checkMessage(links, { action: 'strip' }, c2cRequest({ body: [textElement('evil.io')] }))
  t.equal(dropped.decision, 'drop', 'a body emptied by strip becomes a drop')
})
