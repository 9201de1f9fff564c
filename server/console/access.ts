/**
 * Who may use the console: a credential (the console's own token, or the callback token) compared in
 * constant time, failed attempts limited per address, and short-lived sessions held in memory so the
 * browser keeps a random cookie rather than the token.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { secretsEqual } from '../auth.js'

/** Options of {@link ConsoleAccess}. */
export interface AccessOptions {
  /** Failed attempts allowed per address in a window. Default 5. */
  maxFailures?: number
  /** The window, in ms. Default 60 000. */
  windowMs?: number
  /** How long a session lasts, in ms. Default 8 hours. */
  sessionMs?: number
  /** The clock (tests pass their own). */
  now?: () => number
}

/** At most this many addresses and sessions are remembered: a flood cannot grow memory without bound. */
const MAX_ENTRIES = 10_000

/** Drop the oldest entries of `map` (insertion order) until it has room for one more. */
function makeRoom<K, V>(map: Map<K, V>, keep: (value: V) => boolean): void {
  if (map.size < MAX_ENTRIES) return
  for (const [key, value] of map) if (!keep(value)) map.delete(key)
  for (const key of map.keys()) {
    if (map.size < MAX_ENTRIES) break
    map.delete(key)
  }
}

/**
 * The console's gate.
 * @example
 * const access = new ConsoleAccess(() => config.console.token ?? config.auth.token)
 * if (access.matches(given)) reply.header('set-cookie', `s=${access.open()}`)
 */
export class ConsoleAccess {
  readonly #credential: () => string | undefined
  readonly #maxFailures: number
  readonly #windowMs: number
  readonly #sessionMs: number
  readonly #now: () => number
  readonly #failures = new Map<string, { count: number; until: number }>()
  readonly #sessions = new Map<string, number>()

  constructor(credential: () => string | undefined, options: AccessOptions = {}) {
    this.#credential = credential
    this.#maxFailures = options.maxFailures ?? 5
    this.#windowMs = options.windowMs ?? 60_000
    this.#sessionMs = options.sessionMs ?? 8 * 3600_000
    this.#now = options.now ?? Date.now
  }

  /**
   * True when `given` is the credential. Both sides are hashed first, so the comparison takes the same
   * time whatever the lengths and wherever they differ.
   */
  matches(given: unknown): boolean {
    const expected = this.#credential()
    if (expected === undefined || typeof given !== 'string') return false
    return secretsEqual(given, expected)
  }

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string): number {
    const f = this.#failures.get(address)
    if (f === undefined) return 0
    const left = f.until - this.#now()
    if (left <= 0) {
      this.#failures.delete(address)
      return 0
    }
    return f.count >= this.#maxFailures ? Math.ceil(left / 1000) : 0
  }

  /** Count a failed attempt from `address`. */
  failed(address: string): void {
    const now = this.#now()
    const f = this.#failures.get(address)
    if (f !== undefined && f.until > now) {
      f.count++
      return
    }
    makeRoom(this.#failures, (v) => v.until > now)
    this.#failures.set(address, { count: 1, until: now + this.#windowMs })
  }

  /** A new session after a good credential from `address`: its id, for the cookie. */
  open(address: string): string {
    this.#failures.delete(address)
    const now = this.#now()
    makeRoom(this.#sessions, (until) => until > now)
    const id = randomBytes(32).toString('base64url')
    this.#sessions.set(id, now + this.#sessionMs)
    return id
  }

  /** True while session `id` is open. */
  valid(id: string | undefined): boolean {
    if (id === undefined) return false
    const until = this.#sessions.get(id)
    if (until === undefined) return false
    if (until > this.#now()) return true
    this.#sessions.delete(id)
    return false
  }

  /** End session `id` (sign out). */
  close(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(id)
  }

  /** Seconds a session lasts, for the cookie's Max-Age. */
  get sessionSeconds(): number {
    return Math.floor(this.#sessionMs / 1000)
  }
}
