/**
 * A circuit breaker for the store: after `failures` failures in a row it opens, and while open every call
 * fails at once (microseconds, not the store's timeout); after `retryMs` one call goes through as a probe,
 * and its success closes the breaker again. Each change of state is reported once.
 * @module
 */

/** `closed`: calls go through. `open`: calls fail at once. `half-open`: one probe is in flight. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/** Options of {@link Breaker}. */
export interface BreakerOptions {
  /** Failures in a row that open the breaker. Default 3. */
  failures?: number
  /** How long it stays open before a probe, in ms. Default 1000. */
  retryMs?: number
  /** Told each change of state, with the error that caused an opening. */
  onChange?: (state: BreakerState, error: unknown) => void
  /** The clock in ms. Default `performance.now`. */
  now?: () => number
}

/** The breaker's bookkeeping; the store asks `allow()` before a call and reports its outcome. */
export class Breaker {
  state: BreakerState = 'closed'
  private inRow = 0
  private openedAt = 0
  private readonly failures: number
  private readonly retryMs: number
  private readonly onChange: (state: BreakerState, error: unknown) => void
  private readonly now: () => number

  constructor(options: BreakerOptions = {}) {
    this.failures = options.failures ?? 3
    this.retryMs = options.retryMs ?? 1000
    this.onChange = options.onChange ?? (() => {})
    this.now = options.now ?? (() => performance.now())
  }

  /** True when a call may go: the breaker is closed, or it is time for a probe (which it becomes). */
  allow(): boolean {
    if (this.state === 'closed') return true
    if (this.state === 'open' && this.now() - this.openedAt >= this.retryMs) {
      this.set('half-open', undefined)
      return true
    }
    return false
  }

  success(): void {
    this.inRow = 0
    if (this.state !== 'closed') this.set('closed', undefined)
  }

  failure(error: unknown): void {
    this.inRow++
    if (this.state === 'half-open' || (this.state === 'closed' && this.inRow >= this.failures)) {
      this.openedAt = this.now()
      this.set('open', error)
    }
  }

  private set(state: BreakerState, error: unknown): void {
    // A failed probe goes half-open → open; only a change the operator has not seen is reported.
    const before = this.state
    this.state = state
    if (state === 'half-open' || (before === 'half-open' && state === 'open')) return
    this.onChange(state, error)
  }
}
