// Regressions of issue 17 (links that slipped through, and everyday text taken for links), one test per
// cause, named after what it fixes; and what the fixes found next to them.
import t from 'tap'
import { checkMessage } from '../../../core/testing/index.js'
import links, { createLinkFinder } from '../../../plugins/links/index.js'

/** The text of a one-element message after the plugin ran with `options`. */
async function replaced(text: string, options: object = {}): Promise<string> {
  const result = await checkMessage(links, options, text)
  return result.body.map((element) => (element.MsgContent as { Text?: string }).Text ?? '').join('')
}

/** `[text, host]` of every link the finder reports. */
function found(text: string, emails = false): Array<[string, string]> {
  return createLinkFinder({ emails })(text).map((link) => [text.slice(link.start, link.end), link.host])
}

t.test('a link right after the CJK punctuation that ended the previous link is found', async (t) => {
  t.equal(await replaced('http://a.com/x。b.com'), '[link]。[link]')
  t.equal(await replaced('http://a.com/x，b.com'), '[link]，[link]')
  t.equal(await replaced('http://a.com/x」b.com'), '[link]」[link]')
  t.equal(await replaced('a.com/x。b.com 看a.io/x，看b.io/y'), '[link]。[link] 看[link]，看[link]', 'without a scheme')
  t.equal(await replaced('（https://evil.io/x）b.com'), '（[link]）[link]', 'after an unpaired full-width bracket')
  t.equal(await replaced('a.io?q=x。b.com'), '[link]。[link]', 'after a query')
  t.same(found('a.io/x。evil。io'), [['a.io/x', 'a.io'], ['evil。io', 'evil.io']], 'a link written with "。" as its dot')
  t.same(found('evil。io/x。b。com'), [['evil。io/x', 'evil.io'], ['b。com', 'b.com']])
  t.equal(await replaced('allowed.com/x。evil.com', { allowDomains: ['allowed.com'] }), 'allowed.com/x。[link]', 'an allowed link does not cover the next one')
  t.equal(await replaced('https://zh.wikipedia.org/wiki/苹果（公司）。'), '[link]。', 'brackets opened in the path stay in it')
})

t.test('an underscore in a host label does not hide the link', async (t) => {
  t.same(found('http://a_b.evil.io/x'), [['http://a_b.evil.io/x', 'a_b.evil.io']])
  t.same(found('see a_b.evil.io now'), [['a_b.evil.io', 'a_b.evil.io']])
  t.equal(await replaced('http://a_b.evil.io/x', { denyDomains: ['evil.io'] }), '[link]', 'a deny list still covers it')
  t.same(found('foo.com_bar and snake_case.py'), [], 'a host still ends before "_", and a name is still a file name')
})

t.test('with emails off, an email is left whole', async (t) => {
  t.equal(await replaced('john.doe.gov@mail.com'), 'john.doe.gov@mail.com')
  t.equal(await replaced('write to x.io@example.com'), 'write to x.io@example.com')
  t.equal(await replaced('john.doe.gov@mail.com', { emails: true }), '[link]', 'and replaced whole when emails are on')
})

t.test('a link behind an "@" (a user name) is found, with emails off and on', async (t) => {
  for (const emails of [false, true]) {
    t.same(found('a@evil.io/x', emails), [['a@evil.io/x', 'evil.io']])
    t.same(found('see bob@evil.io?ref=1 now', emails), [['bob@evil.io?ref=1', 'evil.io']])
  }
  t.equal(await replaced('a@evil.io/x and b@evil.io', { emails: true }), '[link] and [link]')
  t.equal(await replaced('a@evil.io/x and b@evil.io'), '[link] and b@evil.io')
})

t.test('ws:// and wss:// are schemes', async (t) => {
  t.same(found('ws://evil.io/socket'), [['ws://evil.io/socket', 'evil.io']], 'the scheme is in the link, not left in front of it')
  t.same(found('WSS://a.b.io'), [['WSS://a.b.io', 'a.b.io']], 'dotted initials after a scheme are a host')
  t.equal(await replaced('connect to wss://evil.io/x now'), 'connect to [link] now')
})

t.test('a stock ticker is not a link', async (t) => {
  t.equal(await replaced('$TVI.CA is up, $0700.HK and $SHOP.TO too'), '$TVI.CA is up, $0700.HK and $SHOP.TO too')
  t.equal(await replaced('$evil.io and $EVIL.IO/x'), '$[link] and $[link]', 'a domain in lower case, or with a path, is a link')
  t.equal(await replaced('TVI.CA'), '[link]', 'without "$" it is a domain')
})

t.test('the object replacement character ends a link instead of joining the word after it', async (t) => {
  t.same(found('https://google.com\ufffcthis'), [['https://google.com', 'google.com']])
  t.equal(await replaced('https://google.com\ufffcthis'), '[link]\ufffcthis')
  t.equal(await replaced('see https://google.com/x\ufffcthis'), 'see [link]\ufffcthis')
})

t.test('an apostrophe inside a path stays in the link; a closing quote does not', async (t) => {
  t.equal(await replaced("http://a.io/x''y z"), '[link] z')
  t.equal(await replaced("https://a.io/'/x"), '[link]')
  t.equal(await replaced("https://a.io/a'.b"), '[link]')
  t.equal(await replaced("https://odysee.com/@Vegans:4/thermoworks':0 ok"), '[link] ok')
  t.equal(await replaced("https://en.wikipedia.org/wiki/Jack_O'Connell_(actor)"), '[link]')
  t.equal(await replaced("'https://a.io/x'"), "'[link]'")
  t.equal(await replaced("see 'https://a.io/x', then 'b.io/y'."), "see '[link]', then '[link]'.")
  t.equal(await replaced("https://a.io/x?q='1'"), '[link]', 'a quoted query value stays whole')
})

t.test('a sentence that lost the space after its full stop is not a link', async (t) => {
  for (const text of ['ok.so what', 'go to the store.now', 'Ok.so what now, tell.me', 'OK.SO WHAT', 'fine.how about you', 'there.is no way']) {
    t.equal(await replaced(text), text)
  }
})

t.test('links on everyday-word TLDs stay links when anything marks them as links', async (t) => {
  t.equal(
    await replaced('t.me youtu.be/x notion.so/x https://ok.so www.store.now my-site.so shop.store.now evil.io t.co x.com'),
    '[link] [link] [link] [link] [link] [link] [link] [link] [link] [link]',
  )
})

t.test('a host with no real TLD does not hide the link it runs into', async (t) => {
  t.equal(await replaced('ok.https://evil.io'), 'ok.[link]')
  t.equal(await replaced('node.js/https://evil.io x'), 'node.js/[link] x')
  t.equal(await replaced('x.http://a.io/http://b.io'), 'x.[link]')
  t.equal(await replaced('x.zz:8080/http://a.io and a:b@y.zz/https://b.io'), 'x.zz:8080/[link] and a:b@y.zz/[link]', 'behind a port or a user name')
  t.equal(await replaced('node.js and vue.js'), 'node.js and vue.js')
})

t.test('a scheme before a host written with "。" takes the whole host', async (t) => {
  t.same(found('https://evil。io/x。b。com'), [['https://evil。io/x', 'evil.io'], ['b。com', 'b.com']])
  t.same(found('https://例子。测试'), [['https://例子', 'xn--fsqu00a']], 'after CJK text "。" still ends a sentence')
})
