// Adversarial inputs: 12 KB of dots, dotted letters, URL-ish repeats and links glued to CJK and emoji.
// Each must finish far inside Tencent's 2 s budget (the bound below is generous on purpose: it guards
// against super-linear blow-ups, not against a slow machine).
import t from 'tap'
import { checkMessage } from '../../../core/testing/index.js'
import links, { createLinkFinder } from '../../../plugins/links/index.js'

const SIZE = 12 * 1024
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE)

const inputs: Record<string, string> = {
  dots: fill('.'),
  'a.a.a.': fill('a.'),
  'digits and dots': fill('1.'),
  'one long host': 'a'.repeat(SIZE - 4) + '.com',
  'one long dotted host': fill('a.').slice(0, SIZE - 4) + '.com',
  'one long path': 'http://x.io/' + fill('a/'),
  'scheme repeats': fill('http://'),
  'misspelt scheme repeats': fill('hxxp://'),
  'links glued after a colon': fill('网址:a.io '),
  'paths cut at CJK punctuation': fill('看a.io/x，'),
  slashes: fill('/'),
  'www repeats': fill('www.'),
  'at signs': fill('a@a.'),
  'many short links': fill('x.io '),
  'many links with paths glued to emoji': fill('😀x.io/a'),
  'many links glued to CJK': fill('看evil.io'),
  'CJK paths between links': fill('看a.io/路😀'),
  'full-width links': fill('ｅｖｉｌ。ｉｏ '),
  'open parentheses': 'x.io/' + fill('('),
  emails: fill('bob@x.io '),
  'links with a scheme and a path, ASCII dots between': fill('http://a.io/x.'),
  'links with a scheme and a path ended by "。"': fill('http://a.io/x。'),
  'hosts written with "。" after paths': fill('evil。io/x。'),
  'apostrophes in a path': 'http://a.io/' + fill("x'"),
  'links with a user name': fill('a@b.io/x '),
  'hosts without a real TLD before schemes': fill('ok.https://a.io/'),
  'underscores in a host': 'http://' + fill('a_') + '.io',
  cashtags: fill('$AB.CA '),
  'everyday words after full stops': fill('ok.so '),
}

// The finder is what this plugin adds per message: it must stay far inside the budget on its own. The
// whole run adds the core's edit application, which for ~2,400 links in one element costs a few hundred
// ms on these machines (grapheme snapping per edit); its bound only guards the 2 s budget itself.
const finder = createLinkFinder({ emails: true })
// Warm up once: V8 compiles linkify-it's large regexes on first use, a one-off per process, not per message.
finder('warm up: see https://example.com/x, evil.io, 看evil.io吧 and bob@example.com')

for (const [name, text] of Object.entries(inputs)) {
  t.test(name, async (t) => {
    let started = performance.now()
    finder(text)
    const findMs = performance.now() - started
    t.ok(findMs < 500, `finder far inside the 2 s budget (${findMs.toFixed(1)} ms)`)
    for (const options of [{ emails: true }, { action: 'reject' as const }]) {
      started = performance.now()
      const result = await checkMessage(links, options, text)
      const ms = performance.now() - started
      t.equal(result.faults, 0, 'no fault')
      t.ok(ms < 1500, `whole run inside the 2 s budget (${ms.toFixed(1)} ms, ${JSON.stringify(options)})`)
    }
  })
}

t.test('every short link in 12 KB is replaced', async (t) => {
  const result = await checkMessage(links, {}, fill('x.io '))
  const out = (result.body[0]?.MsgContent as { Text: string }).Text
  t.equal(out, fill('x.io ').replaceAll('x.io', '[link]'))
})
