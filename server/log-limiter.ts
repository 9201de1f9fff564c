/**
 * A log line that a client can cause at will (a failed signature, a connection refused at the cap) is
 * written at most once per interval: the first at once, then one summary per interval with the count of the
 * lines it stands for and one of them as a sample. A flood of 16k bad requests used to write 16k lines.
 *
 * @module
 */
import type { FastifyBaseLogger } from 'fastify'

/** Fields of one log line: what pino writes next to the message. */
export type LogFields = Record<string, unknown>

/**
 * Rate-limits one kind of log line. `hit` logs the first line of a quiet period at once through the logger
 * it is given; later hits in the interval are counted, and when the
 * interval ends one `warn` line on `log` says how many there were, with the first of them as a sample. The
 * timer is unref'ed: it never holds a process open.
 *
 * @example
 * const authFailures = new RateLimitedLog(app.log, 10_000, 'authentication failures')
 * authFailures.hit({ code: 'PRESEND_UNAUTHORIZED' }, 'Sign does not match …', request.log)
 */
export class RateLimitedLog {
  #count = 0
  #sample: { fields: LogFields; message: string } | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(
    private readonly log: FastifyBaseLogger,
    readonly intervalMs: number,
    private readonly what: string,
  ) {}

  /**
   * Log `message` now (through `log`, default the limiter's: a request's logger carries its `reqId`) if none
   * was logged in the current interval, else count it for the summary.
   */
  hit(fields: LogFields, message: string, log: FastifyBaseLogger = this.log): void {
    if (this.#timer === undefined) {
      log.warn(fields, message)
      this.#arm()
      return
    }
    if (this.#count++ === 0) this.#sample = { fields, message }
  }

  /** Write the summary of the hits counted so far (if any) and end the interval; for close. */
  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#summarise()
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      // While hits keep coming, one summary per interval; the first quiet interval ends the window, so the
      // next hit after it is logged at once again.
      if (this.#summarise()) this.#arm()
      else this.#timer = undefined
    }, this.intervalMs).unref()
  }

  /** The summary line of the hits counted; false when there were none. */
  #summarise(): boolean {
    const sample = this.#sample
    if (sample === undefined) return false
    const count = this.#count
    this.#count = 0
    this.#sample = undefined
    this.log.warn(
      { ...sample.fields, repeated: count, intervalMs: this.intervalMs },
      `${count} more ${this.what} in the last ${this.intervalMs / 1000} s (logged once per interval); one of them: ${sample.message}`,
    )
    return true
  }
}
