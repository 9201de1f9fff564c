// presend's metrics: prom-client's text and JSON formats, cumulative buckets, shared registries, reset.
import t from 'tap'
import { Counter, Registry } from 'prom-client'
import type { RunResult } from '../../core/pipeline/index.js'
import { createMetrics } from '../../server/metrics.js'

function result(trace: RunResult['trace']): RunResult {
  return { decision: 'allow', reply: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }, changed: false, body: [], cloudCustomData: undefined, decidedBy: undefined, faults: 0, trace }
}

t.test('counters and histograms in the Prometheus text format', async (t) => {
  const registry = new Registry()
  const m = createMetrics(registry)
  m.bindPlugins(['a'])
  m.request('C2C.CallbackBeforeSendMsg', 'allow', 0.0003)
  m.request('C2C.CallbackBeforeSendMsg', 'allow', 3)
  m.request('other', 'ok')
  m.run(result([
    { plugin: 'a', outcome: 'edit', durationMs: 0.01 },
    { plugin: 'b', outcome: 'fault', durationMs: 5 },
    { plugin: 'c', outcome: 'skipped', durationMs: 0 },
  ]))
  m.reload('success')
  const text = await registry.metrics()
  t.match(text, '# HELP presend_requests_total Callback requests answered, by command and decision.\n# TYPE presend_requests_total counter\n')
  t.match(text, 'presend_requests_total{command="C2C.CallbackBeforeSendMsg",decision="allow"} 2\n')
  t.match(text, 'presend_requests_total{command="other",decision="ok"} 1\n')
  t.match(text, '# TYPE presend_request_duration_seconds histogram\n')
  t.match(text, 'presend_request_duration_seconds_bucket{le="0.0002",command="C2C.CallbackBeforeSendMsg"} 0\n')
  t.match(text, 'presend_request_duration_seconds_bucket{le="0.0005",command="C2C.CallbackBeforeSendMsg"} 1\n')
  t.match(text, 'presend_request_duration_seconds_bucket{le="2",command="C2C.CallbackBeforeSendMsg"} 1\n', 'cumulative')
  t.match(text, 'presend_request_duration_seconds_bucket{le="+Inf",command="C2C.CallbackBeforeSendMsg"} 2\n')
  t.match(text, 'presend_request_duration_seconds_sum{command="C2C.CallbackBeforeSendMsg"} 3.0003\n')
  t.match(text, 'presend_request_duration_seconds_count{command="C2C.CallbackBeforeSendMsg"} 2\n')
  t.match(text, 'presend_plugin_verdicts_total{plugin="a",outcome="allow"} 0\n', 'bound series start at 0')
  t.match(text, 'presend_plugin_verdicts_total{plugin="a",outcome="edit"} 1\n')
  t.match(text, 'presend_plugin_faults_total{plugin="a"} 0\n')
  t.match(text, 'presend_plugin_faults_total{plugin="b"} 1\n')
  t.match(text, 'presend_plugin_faults_total{plugin="c"} 1\n', 'a skipped plugin is a fault')
  t.match(text, 'presend_plugin_duration_seconds_count{plugin="b"} 1\n')
  t.match(text, 'presend_plugin_duration_seconds_count{plugin="c"} 0\n', 'a skipped plugin has no duration')
  t.match(text, 'presend_reloads_total{result="success"} 1\n')
})

t.test('JSON export and reset go through prom-client', async (t) => {
  const registry = new Registry()
  const m = createMetrics(registry)
  m.request('other', 'ok', 0.001)
  const json = await registry.getMetricsAsJSON()
  t.match(json.find((x) => x.name === 'presend_requests_total'), { type: 'counter', values: [{ labels: { command: 'other', decision: 'ok' }, value: 1 }] })
  registry.resetMetrics()
  const text = await registry.metrics()
  t.match(text, 'presend_requests_total{command="other",decision="ok"} 0\n')
  t.match(text, 'presend_request_duration_seconds_count{command="other"} 0\n', 'a histogram series shows again at 0')
  m.request('other', 'ok', 0.001)
  m.request('other', 'ok')
  const after = await registry.metrics()
  t.match(after, 'presend_requests_total{command="other",decision="ok"} 2\n', 'counts since the reset, taken at the scrape')
  t.match(after, 'presend_request_duration_seconds_count{command="other"} 1\n')
})

t.test('a shared registry: the same series; a foreign metric of the same name is refused', async (t) => {
  const registry = new Registry()
  createMetrics(registry).request('other', 'ok')
  createMetrics(registry).request('other', 'ok')
  t.match(await registry.metrics(), 'presend_requests_total{command="other",decision="ok"} 2\n')
  const foreign = new Registry()
  new Counter({ name: 'presend_requests_total', help: 'mine', registers: [foreign] })
  t.throws(() => createMetrics(foreign), { code: 'PRESEND_INVALID_SERVER_OPTIONS', message: /already has a metric named presend_requests_total/ })
})
