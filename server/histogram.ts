/**
 * A Prometheus histogram whose series are bound once, for the per-request path.
 *
 * prom-client's `Histogram#observe` validates and hashes the label set and finds the bucket under the bound's
 * string as a property key on every call, even through a label child bound once; a request observes one
 * duration for itself and one for each plugin. A {@link BoundHistogram} series keeps its buckets in a typed
 * array and an observation is a short search and three additions.
 *
 * It is read the way prom-client's Registry reads any metric: `get()` gives prom-client's metric object
 * (the same values, labels and order as prom-client's own Histogram gives, which the registry formats for
 * the text and JSON exports; the Registry falls back to `get()` for a metric without prom-client's internal
 * text method), `reset()` on `registry.resetMetrics()`, and `name` for `getSingleMetric`. Register it with
 * `registry.registerMetric(histogram.metric)`.
 * @module
 */
import type { Histogram } from 'prom-client'

type Labels = Record<string, string>

/** One line of the export: a bucket, the sum or the count of a series. */
export interface HistogramValue {
  readonly labels: Record<string, string | number>
  readonly value: number
  readonly metricName: string
  /** prom-client's buckets carry one (null: none); presend records none. */
  readonly exemplar?: null
}

/** What `get()` gives: the shape prom-client's metrics give, which its Registry formats. */
export interface HistogramObject {
  readonly name: string
  readonly help: string
  readonly type: 'histogram'
  readonly values: HistogramValue[]
  readonly aggregator: 'sum'
}

/** One label set's observations: bucket counts (not cumulative; the last is above every bound), sum and count. */
export class HistogramSeries {
  readonly labels: Labels
  readonly #bounds: Float64Array
  readonly counts: Float64Array
  sum = 0
  count = 0

  constructor(labels: Labels, bounds: Float64Array) {
    this.labels = labels
    this.#bounds = bounds
    this.counts = new Float64Array(bounds.length + 1)
  }

  /** Count one observation of `value` (seconds). A value that is not a finite number is not counted. */
  observe(value: number): void {
    // prom-client throws here; a throw would fail the request that is being measured.
    if (!Number.isFinite(value)) return
    const bounds = this.#bounds
    let b = 0
    while (b < bounds.length && value > bounds[b]!) b++
    this.counts[b]!++
    this.sum += value
    this.count++
  }

  reset(): void {
    this.counts.fill(0)
    this.sum = 0
    this.count = 0
  }
}

/** A histogram of bound series, read by a prom-client Registry. */
export class BoundHistogram {
  readonly name: string
  readonly help: string
  readonly type = 'histogram' as const
  /** How prom-client's AggregatorRegistry combines workers' values: summed, as for its own histograms. */
  readonly aggregator = 'sum' as const
  readonly #bounds: Float64Array
  readonly #series = new Map<string, HistogramSeries>()

  constructor(options: { name: string; help: string; buckets: readonly number[] }) {
    this.name = options.name
    this.help = options.help
    this.#bounds = Float64Array.from(options.buckets)
  }

  /**
   * This histogram as the metric a prom-client Registry registers. prom-client's types name only its own
   * classes; the Registry reads a metric through the members this class has (see the module's comment).
   */
  get metric(): Histogram {
    return this as unknown as Histogram
  }

  /** The series of `labels`, made at 0 (it shows before its first observation) the first time it is asked for. */
  series(labels: Labels): HistogramSeries {
    const key = JSON.stringify(labels)
    let s = this.#series.get(key)
    if (s === undefined) this.#series.set(key, (s = new HistogramSeries(labels, this.#bounds)))
    return s
  }

  /** Every series at 0 (they keep showing, at 0, as presend's counters do after a reset). */
  reset(): void {
    for (const s of this.#series.values()) s.reset()
  }

  /** The metric object prom-client's Histogram#get gives: per series its cumulative buckets, then sum and count. */
  async get(): Promise<HistogramObject> {
    const bucket = `${this.name}_bucket`
    const values: HistogramValue[] = []
    for (const s of this.#series.values()) {
      let cumulative = 0
      for (let b = 0; b < this.#bounds.length; b++) {
        cumulative += s.counts[b]!
        values.push({ value: cumulative, metricName: bucket, exemplar: null, labels: { le: this.#bounds[b]!, ...s.labels } })
      }
      values.push({ value: s.count, metricName: bucket, exemplar: null, labels: { le: '+Inf', ...s.labels } })
      values.push({ value: s.sum, metricName: `${this.name}_sum`, labels: { ...s.labels } })
      values.push({ value: s.count, metricName: `${this.name}_count`, labels: { ...s.labels } })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}
