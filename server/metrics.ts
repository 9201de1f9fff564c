/**
 * Prometheus metrics of the callback route, exposed through a prom-client Registry.
 *
 * | metric | labels |
 * |---|---|
 * | `presend_requests_total` | `command` (a before-send command, a command with a handler, or `other`), `decision` |
 * | `presend_request_duration_seconds` | `command` — histogram, time in the route (body parsed to reply) |
 * | `presend_plugin_verdicts_total` | `plugin`, `outcome` (`allow` `edit` `reject` `drop`) |
 * | `presend_plugin_faults_total` | `plugin` — a throw, a timeout, a bad verdict, or skipped past the deadline |
 * | `presend_plugin_duration_seconds` | `plugin` — histogram |
 * | `presend_reloads_total` | `result` (`success` `failure`) |
 *
 * `decision` is `allow`, `reject`, `drop` (the pipeline's), `invalid` (the body failed the protocol schema:
 * answered by the fault policy), `error` (an unexpected failure, answered by the fault policy), `ok` (a command
 * answered OK at once), `handled` (a registered handler answered), the 4xx kind: `unauthorized`,
 * `forbidden`, `bad_json`, `too_large`, `bad_request`, or `aborted` (the connection closed before the request
 * arrived whole: nothing was answered).
 *
 * prom-client's own Counter and Gauge, used through their public API only. A counter's label child would
 * hash its label set on every `inc()`, and a request counts up to three, so the counters keep a plain number
 * per series, bound once, and hand prom-client what they counted since the last scrape from the metric's
 * `collect()` (prom-client's hook for metrics computed at scrape time); prom-client keeps the totals, so
 * `registry.resetMetrics()` resets them as it resets any metric. The duration histograms are presend's
 * own {@link BoundHistogram} (`histogram.ts` says why), read by the registry like any of prom-client's.
 *
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { RunResult } from '../core/pipeline/index.js'
import { PresendError } from '../core/errors.js'
import { BoundHistogram, type HistogramSeries } from './histogram.js'

/** Buckets for a whole request: Tencent's budget is 2 s, a healthy request takes well under 1 ms. */
const REQUEST_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2]
/** Buckets for one plugin's check: from a few microseconds (a list scan) to a remote call. */
const PLUGIN_BUCKETS = [0.00002, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 2]

/** The metrics one app records. */
export interface PresendMetrics {
  readonly registry: Registry
  /** Count one answered request and, when known, how long it took. */
  request(command: string, decision: string, seconds?: number): void
  /** Record what each plugin did in one run, from its trace. */
  run(result: RunResult): void
  /** Bind the series of these plugins now, so they exist at 0 before the first message. */
  bindPlugins(names: readonly string[]): void
  /** Count one reload. */
  reload(result: 'success' | 'failure'): void
}

type Labels = Record<string, string>

/** One counter series: increment `value`; the metric's collect() hands it to prom-client at scrape time. */
interface CounterSeries {
  readonly labels: Labels
  value: number
}

/** presend's metrics in one registry: shared by every presend route that records into it. */
interface Shared {
  readonly requests: Counter
  readonly requestDuration: BoundHistogram
  readonly verdicts: Counter
  readonly faults: Counter
  readonly pluginDuration: BoundHistogram
  readonly reloads: Counter
  /** Counter series by metric, then by label key. */
  readonly series: Map<Counter, Map<string, CounterSeries>>
}

const NAMES = [
  'presend_requests_total',
  'presend_request_duration_seconds',
  'presend_plugin_verdicts_total',
  'presend_plugin_faults_total',
  'presend_plugin_duration_seconds',
  'presend_reloads_total',
] as const

/** presend's metrics by registry, so a second route on one registry counts into the same series. */
const byRegistry = new WeakMap<Registry, Shared>()

/** The series of `counter` for `labels`, created at 0 (so it shows before the first count) on first use. */
function counterSeries(shared: Shared, counter: Counter, labels: Labels): CounterSeries {
  let all = shared.series.get(counter)
  if (all === undefined) shared.series.set(counter, (all = new Map()))
  const key = JSON.stringify(labels)
  let s = all.get(key)
  if (s === undefined) {
    s = { labels, value: 0 }
    all.set(key, s)
  }
  return s
}

/** The refusal of a registry that holds a metric named `name` which presend did not make. */
function foreignMetric(name: string): PresendError {
  return new PresendError(
    'PRESEND_INVALID_SERVER_OPTIONS',
    `metrics: the registry already has a metric named ${name} that presend did not create; give presend a registry of its own.`,
  )
}

/** presend's six metrics, created in `registry` (or found there when presend made them before). */
function sharedMetrics(registry: Registry): Shared {
  const found = byRegistry.get(registry)
  if (found !== undefined) return found
  for (const name of NAMES) if (registry.getSingleMetric(name) !== undefined) throw foreignMetric(name)
  const series = new Map<Counter, Map<string, CounterSeries>>()
  // At scrape time: what each series counted since the last scrape goes into prom-client, which keeps the
  // totals; every series is touched, so one reset by prom-client shows again at 0.
  function collect(this: Counter): void {
    for (const s of series.get(this)?.values() ?? []) {
      this.inc(s.labels, s.value)
      s.value = 0
    }
  }
  const registers = [registry]
  const shared: Shared = {
    requests: new Counter({ name: 'presend_requests_total', help: 'Callback requests answered, by command and decision.', labelNames: ['command', 'decision'], registers, collect }),
    requestDuration: new BoundHistogram({
      name: 'presend_request_duration_seconds',
      help: 'Time from a parsed callback body to its reply, in seconds.',
      buckets: REQUEST_BUCKETS,
    }),
    verdicts: new Counter({ name: 'presend_plugin_verdicts_total', help: 'Verdicts returned by each plugin.', labelNames: ['plugin', 'outcome'], registers, collect }),
    faults: new Counter({
      name: 'presend_plugin_faults_total',
      help: 'Plugin faults: a throw, a timeout, an invalid verdict, or a plugin skipped past the deadline.',
      labelNames: ['plugin'],
      registers,
      collect,
    }),
    pluginDuration: new BoundHistogram({
      name: 'presend_plugin_duration_seconds',
      help: "Time each plugin's check took, in seconds.",
      buckets: PLUGIN_BUCKETS,
    }),
    reloads: new Counter({
      name: 'presend_reloads_total',
      help: 'Pipeline reloads, by result (a failed reload keeps the previous pipeline serving).',
      labelNames: ['result'],
      registers,
      collect,
    }),
    series,
  }
  registry.registerMetric(shared.requestDuration.metric)
  registry.registerMetric(shared.pluginDuration.metric)
  byRegistry.set(registry, shared)
  return shared
}

/** One command's series: its request counter by decision, and its duration histogram once one is observed. */
interface CommandSeries {
  readonly decisions: Map<string, CounterSeries>
  duration: HistogramSeries | undefined
}

interface PluginSeries {
  allow: CounterSeries
  edit: CounterSeries
  reject: CounterSeries
  drop: CounterSeries
  faults: CounterSeries
  duration: HistogramSeries
}

/**
 * Create (or find) presend's metrics in `registry`.
 * @example
 * const registry = new Registry()
 * await app.register(presendPlugin, { pipeline, metrics: registry })
 * app.get('/metrics', async (_, reply) => reply.type(registry.contentType).send(await registry.metrics()))
 */
export function createMetrics(registry: Registry): PresendMetrics {
  const shared = sharedMetrics(registry)
  const { requests, requestDuration, verdicts, faults, pluginDuration, reloads } = shared

  // Callers bound `command` to a known set, so these maps stay small. Per command, its duration series and
  // its counters by decision: two lookups a request and no key to build.
  const commandSeries = new Map<string, CommandSeries>()
  const pluginSeries = new Map<string, PluginSeries>()

  const bindPlugin = (plugin: string): PluginSeries => {
    let s = pluginSeries.get(plugin)
    if (s === undefined) {
      s = {
        allow: counterSeries(shared, verdicts, { plugin, outcome: 'allow' }),
        edit: counterSeries(shared, verdicts, { plugin, outcome: 'edit' }),
        reject: counterSeries(shared, verdicts, { plugin, outcome: 'reject' }),
        drop: counterSeries(shared, verdicts, { plugin, outcome: 'drop' }),
        faults: counterSeries(shared, faults, { plugin }),
        duration: pluginDuration.series({ plugin }),
      }
      pluginSeries.set(plugin, s)
    }
    return s
  }

  return {
    registry,
    request(command, decision, seconds) {
      let c = commandSeries.get(command)
      if (c === undefined) {
        c = { decisions: new Map(), duration: undefined }
        commandSeries.set(command, c)
      }
      let s = c.decisions.get(decision)
      if (s === undefined) {
        s = counterSeries(shared, requests, { command, decision })
        c.decisions.set(decision, s)
      }
      s.value++
      if (seconds === undefined) return
      ;(c.duration ??= requestDuration.series({ command })).observe(seconds)
    },
    run(result) {
      for (const entry of result.trace) {
        const s = bindPlugin(entry.plugin)
        if (entry.outcome === 'fault' || entry.outcome === 'skipped') s.faults.value++
        else s[entry.outcome].value++
        if (entry.outcome !== 'skipped') s.duration.observe(entry.durationMs / 1000)
      }
    },
    bindPlugins(names) {
      for (const name of names) bindPlugin(name)
    },
    reload(result) {
      counterSeries(shared, reloads, { result }).value++
    },
  }
}

/** Buckets for one store round trip: a local Redis answers in ~0.1 ms, the default timeout is 50 ms. */
const STORE_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]

/**
 * Metrics of the shared store, for the Redis store's observer:
 * `presend_store_duration_seconds` (histogram of round trips that reached Redis),
 * `presend_store_errors_total` by `kind` (`timeout`, `error`, `unavailable`: refused at once by the open
 * circuit breaker), and `presend_store_up` (0 while the breaker is open).
 * @example createRedisStore({ url, observer: createStoreMetrics(registry) })
 */
export function createStoreMetrics(registry: Registry): { op(seconds: number, error: string | undefined): void; state(state: string): void } {
  // A second server on the same registry (tests, a mounted plugin) reuses the metrics the first made.
  const found: unknown = registry.getSingleMetric('presend_store_duration_seconds')
  if (found !== undefined && !(found instanceof BoundHistogram)) throw foreignMetric('presend_store_duration_seconds')
  let histogram = found
  if (histogram === undefined) {
    histogram = new BoundHistogram({ name: 'presend_store_duration_seconds', help: 'Round trips to the shared store (Redis) that were sent, in seconds.', buckets: STORE_BUCKETS })
    registry.registerMetric(histogram.metric)
  }
  const duration = histogram.series({})
  const errors = (registry.getSingleMetric('presend_store_errors_total') as Counter | undefined) ??
    new Counter({ name: 'presend_store_errors_total', help: 'Store calls that failed, by kind: timeout, error, unavailable (refused at once by the open circuit breaker).', labelNames: ['kind'], registers: [registry] })
  const up = (registry.getSingleMetric('presend_store_up') as Gauge | undefined) ??
    new Gauge({ name: 'presend_store_up', help: '1 while the shared store answers, 0 while its circuit breaker is open.', registers: [registry] })
  up.set(1)
  // Series and label children bound once: an operation costs one observe or one inc, no label lookup.
  const kinds = { timeout: errors.labels('timeout'), error: errors.labels('error'), unavailable: errors.labels('unavailable') }
  return {
    op(seconds, error) {
      if (error === undefined || error === 'timeout' || error === 'error') duration.observe(seconds)
      if (error !== undefined) kinds[error as keyof typeof kinds].inc()
    },
    state(state) {
      up.set(state === 'open' ? 0 : 1)
    },
  }
}
