/**
 * The console's live view: a bounded ring of the latest refused, dropped and edited callbacks, counts per
 * plugin per minute for the chart, and the listeners (Server-Sent Events streams) told of each one.
 * A callback allowed unchanged is neither kept nor counted: recording costs nothing on the common path.
 * @module
 */
import type { RunResult } from '../../core/pipeline/index.js'
import type { CallbackRequest, DecidedCommand } from '../../core/protocol/index.js'
import { viewOf } from '../inspect.js'

/** One callback in the live view. */
export interface LiveEvent {
  id: number
  /** When it was answered (ms since the epoch). */
  time: number
  command: DecidedCommand
  /** `edit` for a message allowed changed. */
  decision: 'reject' | 'drop' | 'edit'
  decidedBy: string | undefined
  /** What each plugin did. */
  plugins: Array<{ plugin: string; outcome: string }>
  /** The texts the sender wrote; undefined when `logging.messageText` keeps message text out. */
  texts: string[] | undefined
  /** Every hit, with the plugin that found it (offsets into `texts`). */
  hits: Array<{ plugin: string; rule: string; slot: number; start: number; end: number }>
}

/** Decisions per plugin per minute, oldest minute first; `start` is the first minute (ms since the epoch). */
export interface LiveChart {
  start: number
  minutes: number
  plugins: Record<string, number[]>
}

/** Options of {@link LiveFeed}. */
export interface LiveFeedOptions {
  /** Callbacks kept. Default 200. */
  size?: number
  /** Minutes the chart covers. Default 15. */
  minutes?: number
  /** Keep message text (`logging.messageText`). Default false: texts are left out. */
  messageText?: boolean
  /** The clock (tests pass their own). */
  now?: () => number
}

/** A text longer than this is cut: the view is for reading, and the ring's memory stays bounded. */
const MAX_TEXT = 2000
const MINUTE = 60_000

/**
 * The live view's memory.
 * @example
 * const feed = new LiveFeed({ messageText: config.logging.messageText })
 * app.presend.observe((command, request, result) => feed.record(command, request, result))
 */
export class LiveFeed {
  readonly #size: number
  readonly #minutes: number
  readonly #messageText: boolean
  readonly #now: () => number
  readonly #ring: LiveEvent[] = []
  /** Counts by minute (its number since the epoch), then by plugin. */
  readonly #counts = new Map<number, Map<string, number>>()
  readonly #listeners = new Set<(event: LiveEvent) => void>()
  #next = 1

  constructor(options: LiveFeedOptions = {}) {
    this.#size = options.size ?? 200
    this.#minutes = options.minutes ?? 15
    this.#messageText = options.messageText === true
    this.#now = options.now ?? Date.now
  }

  /** Note one answered callback: kept, counted and sent to the listeners unless it went unchanged. */
  record(command: DecidedCommand, request: CallbackRequest, result: RunResult): void {
    if (result.decision === 'allow' && !result.changed) return
    const time = this.#now()
    const event: LiveEvent = {
      id: this.#next++,
      time,
      command,
      decision: result.decision === 'allow' ? 'edit' : result.decision,
      decidedBy: result.decidedBy,
      plugins: result.trace.map((e) => ({ plugin: e.plugin, outcome: e.outcome })),
      texts: this.#messageText ? textsOf(request) : undefined,
      hits: result.trace.flatMap((e) => (e.hits ?? []).map((h) => ({ plugin: e.plugin, ...h }))),
    }
    this.#ring.push(event)
    if (this.#ring.length > this.#size) this.#ring.shift()
    this.#count(time, result)
    for (const listener of this.#listeners) listener(event)
  }

  #count(time: number, result: RunResult): void {
    const minute = Math.floor(time / MINUTE)
    let counts = this.#counts.get(minute)
    if (counts === undefined) {
      this.#counts.set(minute, (counts = new Map()))
      for (const m of this.#counts.keys()) if (m <= minute - this.#minutes) this.#counts.delete(m)
    }
    const acted = new Set<string>()
    if (result.decidedBy !== undefined) acted.add(result.decidedBy)
    for (const e of result.trace) if (e.outcome === 'edit') acted.add(e.plugin)
    for (const plugin of acted) counts.set(plugin, (counts.get(plugin) ?? 0) + 1)
  }

  /** The callbacks kept, oldest first. */
  recent(): LiveEvent[] {
    return [...this.#ring]
  }

  /** Decisions per plugin in each of the last minutes, this one included. */
  chart(): LiveChart {
    const last = Math.floor(this.#now() / MINUTE)
    const first = last - this.#minutes + 1
    const plugins: Record<string, number[]> = {}
    for (const [minute, counts] of this.#counts) {
      if (minute < first) continue
      for (const [plugin, n] of counts) (plugins[plugin] ??= new Array<number>(this.#minutes).fill(0))[minute - first] = n
    }
    return { start: first * MINUTE, minutes: this.#minutes, plugins }
  }

  /** Be told of each callback kept; returns the function that stops it. */
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** How many listen now. */
  get listeners(): number {
    return this.#listeners.size
  }
}

/** The texts a sender wrote, in slot order (the order hits refer to), each cut to a readable length. */
function textsOf(request: CallbackRequest): string[] {
  return viewOf(request).slots.map((s) => (s.text.length > MAX_TEXT ? `${s.text.slice(0, MAX_TEXT)}…` : s.text))
}
