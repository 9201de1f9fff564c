// The presend console page: plain DOM, no framework, no build step (see server/console/index.ts for why).
// Every text from the server goes in as a text node, never as HTML.

const $ = (id) => document.getElementById(id)
const SVG = 'http://www.w3.org/2000/svg'

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : String(v))
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c))
  return el
}

async function api(path, body) {
  const res = await fetch(`api/${path}`, body === undefined
    ? { credentials: 'same-origin' }
    : { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const data = res.status === 204 ? {} : await res.json()
  if (res.status === 401) showLogin()
  return { ok: res.ok, status: res.status, data }
}

function fill(select, values) {
  for (const v of values) select.append(h('option', { value: v }, v))
}

/** A text with its hits marked; hits that overlap an earlier one are listed in the table only. */
function marked(text, hits) {
  const out = h('span', { class: 'text' })
  let at = 0
  for (const hit of [...hits].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (hit.start < at) continue
    out.append(text.slice(at, hit.start))
    out.append(h('mark', { class: `p${hit.color}`, title: `${hit.plugin}: ${hit.rule}` }, text.slice(hit.start, hit.end)))
    out.append(h('span', { class: 'sr-only' }, ` (${hit.plugin}: ${hit.rule})`))
    at = hit.end
  }
  out.append(text.slice(at))
  return out
}

/** Before and after, with what changed between them struck out and inserted. */
function diff(before, after) {
  let p = 0
  while (p < before.length && p < after.length && before[p] === after[p]) p++
  let s = 0
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++
  return h('span', { class: 'text' },
    after.slice(0, p),
    before.length - s > p ? h('del', {}, before.slice(p, before.length - s)) : '',
    after.length - s > p ? h('ins', {}, after.slice(p, after.length - s)) : '',
    after.slice(after.length - s))
}

const colors = new Map()
const colorOf = (plugin) => {
  if (!colors.has(plugin)) colors.set(plugin, colors.size % 6)
  return colors.get(plugin)
}

function hitsOf(trace) {
  return trace.flatMap((e) => (e.hits ?? []).map((hit) => ({ ...hit, plugin: e.plugin, color: colorOf(e.plugin) })))
}

function renderInspection(r) {
  const hits = hitsOf(r.trace)
  const texts = h('table', {},
    h('caption', {}, 'Texts: the hits marked, and what the receiver gets'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Original'), h('th', { scope: 'col' }, 'Delivered'))),
    h('tbody', {}, r.texts.map((t) => {
      const after = r.edited?.find((e) => e.index === t.index)
      const delivered = r.decision !== 'allow' ? h('em', {}, `not delivered (${r.decision})`) : after === undefined ? 'unchanged' : diff(t.text, after.text)
      return h('tr', {}, h('td', {}, t.kind), h('td', {}, marked(t.text, hits.filter((x) => x.slot === t.index))), h('td', {}, delivered))
    })))
  const trace = h('table', {},
    h('caption', {}, 'Trace: each plugin in run order'),
    h('thead', {}, h('tr', {}, ['Plugin', 'Outcome', 'ms', 'Reason', 'Hits'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, r.trace.map((e) => h('tr', {},
      h('td', {}, e.plugin, e.item === undefined ? '' : ` (friend ${e.item})`),
      h('td', {}, h('span', { class: `badge ${e.outcome}` }, e.outcome)),
      h('td', { class: 'num' }, e.durationMs.toFixed(3)),
      h('td', {}, e.reason ?? e.error ?? ''),
      h('td', {}, (e.hits ?? []).map((x) => h('div', {}, `${x.rule} [${x.start}–${x.end}]`)))))))
  const summary = r.decision === 'allow' ? (r.changed ? 'allowed, changed' : 'allowed unchanged') : `${r.decision === 'reject' ? 'refused' : 'dropped'} by ${r.decidedBy}`
  return [
    h('p', { class: 'decision' }, 'Decision: ', h('strong', { class: `badge ${r.changed ? 'edit' : r.decision}` }, summary), ` — ${hits.length} hit${hits.length === 1 ? '' : 's'}`),
    texts,
    trace,
    h('details', {}, h('summary', {}, 'The reply Tencent gets'), h('pre', {}, JSON.stringify(r.reply, null, 2))),
  ]
}

async function tryMessage(event) {
  event.preventDefault()
  const out = $('try-result')
  const rawBody = $('try-body').value.trim()
  const input = { command: $('try-command').value, groupType: $('try-group-type').value, from: $('try-from').value, platform: $('try-platform').value }
  if (rawBody !== '') {
    try {
      input.body = JSON.parse(rawBody)
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, `The callback body is not JSON: ${err.message}`))
      return
    }
  } else input.text = $('try-text').value
  const { ok, data } = await api('inspect', input)
  out.replaceChildren(...(ok ? renderInspection(data) : [h('p', { class: 'error', role: 'alert' }, data.message)]))
}

async function runBatch(event) {
  event.preventDefault()
  const out = $('batch-result')
  const lines = $('batch-lines').value.split('\n').filter((l) => l.trim() !== '')
  if (lines.length === 0) {
    out.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'Write at least one message, one per line.'))
    return
  }
  const { ok, data } = await api('batch', { lines, command: $('batch-command').value })
  if (!ok) {
    out.replaceChildren(h('p', { class: 'error', role: 'alert' }, data.message))
    return
  }
  const cols = ['reject', 'drop', 'edit', 'allow', 'skipped', 'fault', 'notReached']
  const names = { reject: 'Refused', drop: 'Dropped', edit: 'Masked / edited', allow: 'Passed', skipped: 'Out of scope', fault: 'Faulted', notReached: 'Not reached' }
  const t = data.totals
  out.replaceChildren(
    h('p', { class: 'decision' }, `${lines.length} messages: ${t.reject} refused, ${t.drop} dropped, ${t.edit} edited, ${t.allow} passed unchanged.`),
    h('table', {}, h('caption', {}, 'Per plugin'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Plugin'), cols.map((c) => h('th', { scope: 'col' }, names[c])))),
      h('tbody', {}, data.plugins.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.plugin), cols.map((c) => h('td', { class: 'num' }, p[c])))))),
    h('table', {}, h('caption', {}, 'Per message'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Message'), h('th', { scope: 'col' }, 'Decision'), h('th', { scope: 'col' }, 'By'))),
      h('tbody', {}, data.lines.map((l) => h('tr', {},
        h('td', {}, lines[l.line]), h('td', {}, h('span', { class: `badge ${l.decision}` }, l.decision)),
        h('td', {}, l.decidedBy ?? Object.entries(l.outcomes).filter(([, o]) => o === 'edit').map(([p]) => p).join(', ')))))))
}

function renderPipeline(p) {
  $('pipeline-loaded').textContent = `Loaded ${new Date(p.loadedAt).toLocaleString()} — deadline ${p.deadlineMs} ms, on fault: ${p.onFault}.`
  $('reload').hidden = !p.reload
  const entries = p.plugins ?? p.names.map((name) => ({ use: name }))
  $('pipeline-list').replaceChildren(...entries.map((e) => {
    const facts = ['onFault', 'timeoutMs', 'only', 'except', 'blockOnly'].filter((k) => e[k] !== undefined).map((k) => `${k}: ${JSON.stringify(e[k])}`)
    return h('li', {}, h('strong', {}, e.name ?? e.use), e.name !== undefined && e.name !== e.use ? ` (${e.use})` : '',
      facts.length > 0 ? h('div', { class: 'scope' }, facts.join('; ')) : '',
      e.options === undefined ? '' : h('details', {}, h('summary', {}, 'Options'), h('pre', {}, JSON.stringify(e.options, null, 2))))
  }))
}

async function reload() {
  $('reload-status').textContent = 'Reloading…'
  const { data } = await api('reload', {})
  $('reload-status').textContent = data.ok ? 'Reloaded: the new pipeline is serving.' : `Reload failed; the previous pipeline keeps serving: ${data.message}`
  if (data.pipeline !== undefined) renderPipeline(data.pipeline)
}

function chart(c) {
  const names = Object.keys(c.plugins)
  const w = 300, hgt = 80, bar = w / c.minutes
  const totals = Array.from({ length: c.minutes }, (_, i) => names.reduce((n, p) => n + c.plugins[p][i], 0))
  const max = Math.max(1, ...totals)
  const svg = h('svg:svg', { viewBox: `0 0 ${w} ${hgt + 12}`, width: w, height: hgt + 12, role: 'img', 'aria-label': `Decisions per minute over the last ${c.minutes} minutes: ${names.map((p) => `${p} ${c.plugins[p].reduce((a, b) => a + b, 0)}`).join(', ') || 'none'}` })
  for (let i = 0; i < c.minutes; i++) {
    let y = hgt
    for (const p of names) {
      const n = c.plugins[p][i]
      if (n === 0) continue
      const bh = (n / max) * hgt
      y -= bh
      svg.append(h('svg:rect', { x: i * bar + 1, y, width: bar - 2, height: bh, class: `p${colorOf(p)}` }, h('svg:title', {}, `${p}: ${n}`)))
    }
  }
  svg.append(h('svg:line', { x1: 0, y1: hgt + 0.5, x2: w, y2: hgt + 0.5, class: 'axis' }))
  const legend = h('ul', { class: 'legend' }, names.map((p) => h('li', {}, h('span', { class: `swatch p${colorOf(p)}`, 'aria-hidden': 'true' }), p)))
  $('live-chart').replaceChildren(svg, legend)
}

function liveItem(e) {
  const hits = e.hits.map((x) => ({ ...x, color: colorOf(x.plugin) }))
  const what = e.decision === 'edit' ? `edited by ${e.plugins.filter((p) => p.outcome === 'edit').map((p) => p.plugin).join(', ')}` : `${e.decision === 'reject' ? 'refused' : 'dropped'} by ${e.decidedBy}`
  return h('li', { class: 'event' },
    h('time', { datetime: new Date(e.time).toISOString() }, new Date(e.time).toLocaleTimeString()), ' ',
    h('span', { class: `badge ${e.decision}` }, what), ` ${e.command}`,
    h('div', {}, e.texts === undefined ? h('em', {}, '[message text redacted: logging.messageText is off]') : e.texts.map((t, i) => h('div', {}, marked(t, hits.filter((x) => x.slot === i))))))
}

let source
function startLive() {
  source?.close()
  source = new EventSource('api/live')
  let seen = 0
  source.addEventListener('snapshot', (m) => {
    const { events, chart: c } = JSON.parse(m.data)
    $('live-list').replaceChildren(...events.reverse().map(liveItem))
    chart(c)
    $('live-status').textContent = `Connected: ${events.length} recent decision${events.length === 1 ? '' : 's'}.`
  })
  source.addEventListener('decision', (m) => {
    const { event, chart: c } = JSON.parse(m.data)
    $('live-list').prepend(liveItem(event))
    while ($('live-list').children.length > 200) $('live-list').lastChild.remove()
    chart(c)
    seen++
    $('live-status').textContent = `${seen} new decision${seen === 1 ? '' : 's'}; latest: ${event.decision} (${event.command}).`
  })
  source.addEventListener('error', () => {
    $('live-status').textContent = 'Disconnected; reconnecting…'
  })
}

function showLogin() {
  source?.close()
  $('app').hidden = true
  $('nav').hidden = true
  $('login').hidden = false
  $('token').focus()
}

async function showApp(meta) {
  $('login').hidden = true
  $('app').hidden = false
  $('nav').hidden = false
  for (const id of ['try-command', 'batch-command']) if ($(id).options.length === 0) fill($(id), meta.commands)
  if ($('try-group-type').options.length === 1) fill($('try-group-type'), meta.groupTypes)
  if ($('try-platform').options.length === 1) fill($('try-platform'), meta.platforms)
  $('try-text').focus()
  const p = await api('pipeline')
  if (p.ok) renderPipeline(p.data)
  startLive()
}

async function login(event) {
  event.preventDefault()
  const { ok, data } = await api('login', { token: $('token').value })
  $('token').value = ''
  if (!ok) {
    $('login-error').textContent = data.message
    $('token').focus()
    return
  }
  $('login-error').textContent = ''
  const meta = await api('meta')
  if (meta.ok) await showApp(meta.data)
}

async function logout() {
  await api('logout', {})
  showLogin()
}

$('login-form').addEventListener('submit', login)
$('try-form').addEventListener('submit', tryMessage)
$('batch-form').addEventListener('submit', runBatch)
$('reload').addEventListener('click', reload)
$('logout').addEventListener('click', logout)
const first = await api('meta')
if (first.ok) await showApp(first.data)
