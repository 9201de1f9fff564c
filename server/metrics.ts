/**
 * Prometheus metrics of the callback route, with prom-client. Every label child is bound once and cached,
 * so counting a request on the hot path is a Map lookup and an increment, never a label-set hash.
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
 * answered OK at once), `handled` (a registered handler answered), or the 4xx kind: `unauthorized`,
 * `forbidden`, `bad_json`, `too_large`, `bad_request`.
 *
 * @module
 */
import { Counter, Histogram, type Registry } from 'prom-client'
import type { RunResult } from '../core/pipeline.js'

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
  /** Bind the label children of these plugins now, so their series exist at 0 before the first message. */
  bindPlugins(names: readonly string[]): void
  /** Count one reload. */
  reload(result: 'success' | 'failure'): void
}

type CounterChild = ReturnType<Counter<string>['labels']>
type HistogramChild = ReturnType<Histogram<string>['labels']>

interface PluginChildren {
  allow: CounterChild
  edit: CounterChild
  reject: CounterChild
  drop: CounterChild
  faults: CounterChild
  duration: HistogramChild
}

/**
 * The metric named `name` in `registry`, created with `make` unless it is there already — so two presend
 * routes sharing one registry count into the same series instead of failing on a duplicate name.
 */
function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make()
}

/**
 * Create (or find) presend's metrics in `registry`.
 * @example
 * const registry = new Registry()
 * await app.register(presend, { pipeline, metrics: registry })
 * app.get('/metrics', async (_, reply) => reply.type(registry.contentType).send(await registry.metrics()))
 */
export function createMetrics(registry: Registry): PresendMetrics {
  const registers = [registry]
  const requests = metric(registry, 'presend_requests_total', () => new Counter({
    name: 'presend_requests_total',
    help: 'Callback requests answered, by command and decision.',
    labelNames: ['command', 'decision'] as const,
    registers,
  }))
  const requestDuration = metric(registry, 'presend_request_duration_seconds', () => new Histogram({
    name: 'presend_request_duration_seconds',
    help: 'Time from a parsed callback body to its reply, in seconds.',
    labelNames: ['command'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  }))
  const verdicts = metric(registry, 'presend_plugin_verdicts_total', () => new Counter({
    name: 'presend_plugin_verdicts_total',
    help: 'Verdicts returned by each plugin.',
    labelNames: ['plugin', 'outcome'] as const,
    registers,
  }))
  const faults = metric(registry, 'presend_plugin_faults_total', () => new Counter({
    name: 'presend_plugin_faults_total',
    help: 'Plugin faults: a throw, a timeout, an invalid verdict, or a plugin skipped past the deadline.',
    labelNames: ['plugin'] as const,
    registers,
  }))
  const pluginDuration = metric(registry, 'presend_plugin_duration_seconds', () => new Histogram({
    name: 'presend_plugin_duration_seconds',
    help: "Time each plugin's check took, in seconds.",
    labelNames: ['plugin'] as const,
    buckets: PLUGIN_BUCKETS,
    registers,
  }))
  const reloads = metric(registry, 'presend_reloads_total', () => new Counter({
    name: 'presend_reloads_total',
    help: 'Pipeline reloads, by result (a failed reload keeps the previous pipeline serving).',
    labelNames: ['result'] as const,
    registers,
  }))

  const requestChildren = new Map<string, CounterChild>()
  const durationChildren = new Map<string, HistogramChild>()
  const pluginChildren = new Map<string, PluginChildren>()

  const bindPlugin = (plugin: string): PluginChildren => {
    let children = pluginChildren.get(plugin)
    if (children === undefined) {
      children = {
        allow: verdicts.labels(plugin, 'allow'),
        edit: verdicts.labels(plugin, 'edit'),
        reject: verdicts.labels(plugin, 'reject'),
        drop: verdicts.labels(plugin, 'drop'),
        faults: faults.labels(plugin),
        duration: pluginDuration.labels(plugin),
      }
      // Start every series at 0, so a dashboard sees "no faults" rather than "no data".
      for (const child of [children.allow, children.edit, children.reject, children.drop, children.faults]) child.inc(0)
      pluginChildren.set(plugin, children)
    }
    return children
  }

  return {
    registry,
    request(command, decision, seconds) {
      // Callers bound `command` to a known set, so these maps stay small.
      const key = `${command} ${decision}`
      let child = requestChildren.get(key)
      if (child === undefined) {
        child = requests.labels(command, decision)
        requestChildren.set(key, child)
      }
      child.inc()
      if (seconds === undefined) return
      let histogram = durationChildren.get(command)
      if (histogram === undefined) {
        histogram = requestDuration.labels(command)
        durationChildren.set(command, histogram)
      }
      histogram.observe(seconds)
    },
    run(result) {
      for (const entry of result.trace) {
        const children = bindPlugin(entry.plugin)
        if (entry.outcome === 'fault' || entry.outcome === 'skipped') children.faults.inc()
        else children[entry.outcome].inc()
        if (entry.outcome !== 'skipped') children.duration.observe(entry.durationMs / 1000)
      }
    },
    bindPlugins(names) {
      for (const name of names) bindPlugin(name)
    },
    reload(result) {
      reloads.labels(result).inc()
    },
  }
}
