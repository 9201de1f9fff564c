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
 * Why not prom-client's Counter and Histogram: their label children hash the label set on every `inc()` and
 * `observe()` (about 1–2 µs each here), and a request records up to six of them. These metrics keep plain
 * numbers per series, bound once, and build prom-client's export format only when `/metrics` is scraped.
 *
 * @module
 */
import { Gauge, type Registry } from 'prom-client'
import type { RunResult } from '../core/pipeline/index.js'
import { PresendError } from '../core/errors.js'

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
interface MetricValue {
  labels: Labels
  value: number
  metricName?: string
}

/** One counter series: increment `value`. */
interface CounterSeries {
  readonly labels: Labels
  value: number
}

/** A counter whose series are plain objects; prom-client reads it through `get()` at scrape time. */
class FastCounter {
  readonly type = 'counter'
  readonly aggregator = 'sum'
  readonly #series = new Map<string, CounterSeries>()
  constructor(readonly name: string, readonly help: string) {}

  series(labels: Labels): CounterSeries {
    const key = JSON.stringify(labels)
    let s = this.#series.get(key)
    if (s === undefined) {
      s = { labels, value: 0 }
      this.#series.set(key, s)
    }
    return s
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values = [...this.#series.values()].map((s) => ({ labels: s.labels, value: s.value }))
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  reset(): void {
    for (const s of this.#series.values()) s.value = 0
  }
}

/** One histogram series: call {@link observe} with it. */
interface HistogramSeries {
  readonly labels: Labels
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array
  sum: number
  count: number
}

/** A histogram with the same export format as prom-client's, observed without hashing labels. */
class FastHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly #series = new Map<string, HistogramSeries>()
  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}

  series(labels: Labels): HistogramSeries {
    const key = JSON.stringify(labels)
    let s = this.#series.get(key)
    if (s === undefined) {
      s = { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 }
      this.#series.set(key, s)
    }
    return s
  }

  observe(s: HistogramSeries, value: number): void {
    const buckets = this.buckets
    let i = 0
    while (i < buckets.length && value > (buckets[i] as number)) i++
    s.counts[i] = (s.counts[i] as number) + 1
    s.sum += value
    s.count++
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = []
    for (const s of this.#series.values()) {
      let acc = 0
      for (const [i, le] of this.buckets.entries()) {
        acc += s.counts[i] as number
        values.push({ labels: { ...s.labels, le: String(le) }, value: acc, metricName: `${this.name}_bucket` })
      }
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` })
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` })
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  reset(): void {
    for (const s of this.#series.values()) {
      s.counts.fill(0)
      s.sum = 0
      s.count = 0
    }
  }
}

/**
 * The metric named `name` in `registry`, created and registered unless presend registered it there already —
 * so two presend routes sharing one registry count into the same series.
 */
function metric<T extends FastCounter | FastHistogram>(registry: Registry, name: string, kind: new (...args: never[]) => T, make: () => T): T {
  const existing = registry.getSingleMetric(name) as unknown
  if (existing instanceof kind) return existing
  if (existing !== undefined) {
    throw new PresendError(
      'PRESEND_INVALID_SERVER_OPTIONS',
      `metrics: the registry already has a metric named ${name} that presend did not create; give presend a registry of its own.`,
    )
  }
  const created = make()
  registry.registerMetric(created as never)
  return created
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
  const requests = metric(registry, 'presend_requests_total', FastCounter, () =>
    new FastCounter('presend_requests_total', 'Callback requests answered, by command and decision.'),
  )
  const requestDuration = metric(registry, 'presend_request_duration_seconds', FastHistogram, () =>
    new FastHistogram('presend_request_duration_seconds', 'Time from a parsed callback body to its reply, in seconds.', REQUEST_BUCKETS),
  )
  const verdicts = metric(registry, 'presend_plugin_verdicts_total', FastCounter, () =>
    new FastCounter('presend_plugin_verdicts_total', 'Verdicts returned by each plugin.'),
  )
  const faults = metric(registry, 'presend_plugin_faults_total', FastCounter, () =>
    new FastCounter('presend_plugin_faults_total', 'Plugin faults: a throw, a timeout, an invalid verdict, or a plugin skipped past the deadline.'),
  )
  const pluginDuration = metric(registry, 'presend_plugin_duration_seconds', FastHistogram, () =>
    new FastHistogram('presend_plugin_duration_seconds', "Time each plugin's check took, in seconds.", PLUGIN_BUCKETS),
  )
  const reloads = metric(registry, 'presend_reloads_total', FastCounter, () =>
    new FastCounter('presend_reloads_total', 'Pipeline reloads, by result (a failed reload keeps the previous pipeline serving).'),
  )

  // Callers bound `command` to a known set, so these maps stay small. Per command, its duration series and
  // its counters by decision: two lookups a request and no key to build.
  const commandSeries = new Map<string, CommandSeries>()
  const pluginSeries = new Map<string, PluginSeries>()

  const bindPlugin = (plugin: string): PluginSeries => {
    let s = pluginSeries.get(plugin)
    if (s === undefined) {
      s = {
        allow: verdicts.series({ plugin, outcome: 'allow' }),
        edit: verdicts.series({ plugin, outcome: 'edit' }),
        reject: verdicts.series({ plugin, outcome: 'reject' }),
        drop: verdicts.series({ plugin, outcome: 'drop' }),
        faults: faults.series({ plugin }),
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
        s = requests.series({ command, decision })
        c.decisions.set(decision, s)
      }
      s.value++
      if (seconds === undefined) return
      requestDuration.observe((c.duration ??= requestDuration.series({ command })), seconds)
    },
    run(result) {
      for (const entry of result.trace) {
        const s = bindPlugin(entry.plugin)
        if (entry.outcome === 'fault' || entry.outcome === 'skipped') s.faults.value++
        else s[entry.outcome].value++
        if (entry.outcome !== 'skipped') pluginDuration.observe(s.duration, entry.durationMs / 1000)
      }
    },
    bindPlugins(names) {
      for (const name of names) bindPlugin(name)
    },
    reload(result) {
      reloads.series({ result }).value++
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
  const duration = metric(registry, 'presend_store_duration_seconds', FastHistogram, () => new FastHistogram('presend_store_duration_seconds', 'Round trips to the shared store (Redis) that were sent, in seconds.', STORE_BUCKETS))
  const errors = metric(registry, 'presend_store_errors_total', FastCounter, () => new FastCounter('presend_store_errors_total', 'Store calls that failed, by kind: timeout, error, unavailable (refused at once by the open circuit breaker).'))
  const up = (registry.getSingleMetric('presend_store_up') as Gauge | undefined) ??
    new Gauge({ name: 'presend_store_up', help: '1 while the shared store answers, 0 while its circuit breaker is open.', registers: [registry] })
  up.set(1)
  const series = duration.series({})
  const kinds = { timeout: errors.series({ kind: 'timeout' }), error: errors.series({ kind: 'error' }), unavailable: errors.series({ kind: 'unavailable' }) }
  return {
    op(seconds, error) {
      if (error === undefined || error === 'timeout' || error === 'error') duration.observe(series, seconds)
      if (error !== undefined) kinds[error as keyof typeof kinds].value++
    },
    state(state) {
      up.set(state === 'open' ? 0 : 1)
    },
  }
}
