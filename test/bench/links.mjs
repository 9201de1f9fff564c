// The links plugin in process: its checker alone (no pipeline), per message, on ordinary chat messages and on
// one with a link — the build in dist/, the same build with the prefilter off (the full finder on every
// text), and, with --before, another build (an earlier dist/ copied to DIR/dist, with DIR/node_modules).
// Every build runs in the same process in alternating slices, so a slow spell of the shared machine falls on
// all of them alike; the figures are CPU time (process.cpuUsage), medians over the rounds, and each build's
// ratio to the first one is the median of the per-round ratios. Measures the built package: `npm run build` first.
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseFlags, whole, positive } from './flags.mjs'

const flags = parseFlags({
  usage: ['node test/bench/links.mjs [--before=DIR] [flags]  (after npm run build)'],
  about: `
The links plugin's checker in process, per message: the build in dist/, the same build with the prefilter
off, and with --before another build (DIR/dist, with DIR/node_modules beside it), made for example with
  git stash && npm run build && mkdir -p /tmp/before && cp -r dist /tmp/before/ &&
  ln -s "$PWD/node_modules" /tmp/before/ && git stash pop && npm run build
Alternating slices in one process; CPU time per message, median over the rounds, and each build's ratio
to the first row (median of the per-round ratios). Prints a markdown table.`,
  flags: {
    before: { type: 'string', value: 'DIR', help: 'a directory holding an earlier build in dist/ (and node_modules/) to compare with' },
    rounds: { type: 'string', value: 'N', default: '15', help: 'rounds; each runs every build once on every message group' },
    slice: { type: 'string', value: 'MS', default: '40', help: 'milliseconds a build runs a message group in one round' },
  },
})
const rounds = whole('rounds', flags.rounds)
const sliceMs = positive('slice', flags.slice)

const here = path.dirname(new URL(import.meta.url).pathname)
const load = (root, file) => import(pathToFileURL(path.join(root, 'dist', file)).href)

async function builds() {
  const root = path.join(here, '..', '..')
  const after = await load(root, 'plugins/links/index.js')
  const options = after.linksOptions.parse({})
  const out = []
  if (flags.before !== undefined) {
    const before = await load(path.resolve(flags.before), 'plugins/links/index.js')
    out.push({ label: `before (${flags.before})`, checker: await before.links.create(before.linksOptions.parse({}), {}) })
  }
  out.push({ label: 'after (dist/)', checker: await after.links.create(options, {}) })
  const full = after.createLinkFinder({ emails: false, prefilter: false })
  out.push({ label: 'after, prefilter off', checker: after.createLinksChecker(options, full) })
  return out
}

const message = (text) => ({ body: [], cloudCustomData: undefined, texts: [{ index: 0, text }] })
const fixture = readFileSync(path.join(here, '..', 'plugins', 'links', 'fixtures', 'messages.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
const groups = [
  ['mixed chat line ending in "5pm."', ['今天天气很好，我们一起去公园散步吧！Then grab a coffee at the corner shop? 😀 See you at 5pm.']],
  ['"The price is 3.5 dollars."', ['The price is 3.5 dollars.']],
  ['the bench payload (no full stop)', ['Hey Jonh, the red packet 红包 for 今日の会議 is ready 🎉 — see you at dinner tonight, thanks a lot!']],
  ['a message with a link', ['明天的会议资料在 https://docs.example.com/q3/plan 请大家先看一下。']],
  [`fixtures/messages.txt (${fixture.length} lines, a third with links)`, fixture],
].map(([label, texts]) => ({ label, messages: texts.map(message) }))

/** CPU µs per message of `checker` on `messages` for about `ms` milliseconds. */
function slice(checker, messages, ms) {
  const start = performance.now()
  const cpu = process.cpuUsage()
  let n = 0
  while (performance.now() - start < ms) {
    for (const m of messages) checker.check(m)
    n += messages.length
  }
  const used = process.cpuUsage(cpu)
  return (used.user + used.system) / n
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const list = await builds()
const times = groups.map(() => list.map(() => []))
for (const b of list) for (const g of groups) slice(b.checker, g.messages, sliceMs)
for (let r = 0; r < rounds; r++) {
  groups.forEach((g, gi) => {
    // Reverse the order every other round, so no build always runs right after the same one.
    const order = r % 2 ? [...list.keys()].reverse() : [...list.keys()]
    for (const bi of order) times[gi][bi].push(slice(list[bi].checker, g.messages, sliceMs))
  })
}

const rows = []
groups.forEach((g, gi) => {
  list.forEach((b, bi) => {
    const ratio = median(times[gi][bi].map((t, r) => t / times[gi][0][r]))
    rows.push(`| ${g.label} | ${b.label} | ${median(times[gi][bi]).toFixed(2)} | ${ratio.toFixed(2)} |`)
  })
})
console.log(
  [
    `${rounds} rounds of ${sliceMs} ms slices per build and message group, ${new Date().toISOString()}.`,
    '',
    '| messages | build | CPU µs per message (median) | ratio to the first build (median) |',
    '|---|---|---:|---:|',
    ...rows,
  ].join('\n'),
)
