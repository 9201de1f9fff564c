/**
 * Tencent callback authentication: `Sign = hex(SHA-256(token + RequestTime))`, checked in constant time,
 * with `RequestTime` (Unix seconds) within a replay window of now; and the `SdkAppid` check.
 * Facts: "2. Callback authentication" in `tencent-callbacks.md`.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** What the route checks before it reads a body. */
export interface AuthSettings {
  /** The callback token from Tencent's console; without it, Sign and RequestTime are not checked. */
  token: string | undefined
  /** How far `RequestTime` may be from now, in seconds (Tencent says 60). */
  maxSkewSeconds: number
  /** This app's SDKAppID; with it, a request for another app is refused. */
  sdkAppId: number | undefined
}

/** A failed check: the HTTP status, the error code and a sentence saying which check failed. */
export interface AuthFailure {
  statusCode: 401 | 403
  code: 'PRESEND_UNAUTHORIZED' | 'PRESEND_FORBIDDEN_APP'
  message: string
}

/**
 * The signature Tencent sends for `token` and `requestTime`: lower-case hex SHA-256 of the two strings
 * joined with nothing between them.
 * @example computeSign('xxxxyyyy', '1669872112') // '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'
 */
export function computeSign(token: string, requestTime: string | number): string {
  return createHash('sha256').update(`${token}${requestTime}`).digest('hex')
}

/**
 * Whether `given` is the secret `expected`. Both sides are hashed first, so `timingSafeEqual` sees equal
 * lengths and the time taken says nothing about where they differ, or about the secret's length.
 * @example secretsEqual('s3cret', 's3cret') // true
 */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest())
}

const HEX64 = /^[0-9a-fA-F]{64}$/
const DIGITS = /^\d{1,15}$/

/**
 * Check one request's query against `settings`. Returns `undefined` when it passes, else which check failed.
 * `nowSeconds` (the current Unix time by default) is injectable for tests.
 *
 * @example
 * checkAuth({ Sign: computeSign('t', '1700000000'), RequestTime: '1700000000' },
 *           { token: 't', maxSkewSeconds: 60, sdkAppId: undefined }, 1700000010) // undefined
 */
export function checkAuth(
  query: Readonly<Record<string, unknown>>,
  settings: AuthSettings,
  nowSeconds?: number,
): AuthFailure | undefined {
  if (settings.sdkAppId !== undefined) {
    const appId = query.SdkAppid
    if (appId !== String(settings.sdkAppId)) {
      return {
        statusCode: 403,
        code: 'PRESEND_FORBIDDEN_APP',
        message:
          appId === undefined
            ? `SdkAppid is missing from the query; this server answers only for SdkAppid ${settings.sdkAppId}.`
            : `SdkAppid ${JSON.stringify(appId)} is not this server's app (${settings.sdkAppId}); check the callback URL in the console of that app.`,
      }
    }
  }
  const token = settings.token
  if (token === undefined) return undefined
  const sign = query.Sign
  const requestTime = query.RequestTime
  if (typeof sign !== 'string' || typeof requestTime !== 'string') {
    const missing = [typeof sign === 'string' ? '' : 'Sign', typeof requestTime === 'string' ? '' : 'RequestTime']
      .filter(Boolean)
      .join(' and ')
    return unauthorized(`${missing} missing from the query; enable callback authentication with the same token in Tencent's console.`)
  }
  if (!DIGITS.test(requestTime)) {
    return unauthorized(`RequestTime ${JSON.stringify(requestTime.slice(0, 32))} is not a Unix time in seconds.`)
  }
  // Both sides are 64 ASCII bytes here, so timingSafeEqual compares them without leaking where they differ.
  if (!HEX64.test(sign) || !timingSafeEqual(Buffer.from(sign.toLowerCase()), Buffer.from(computeSign(token, requestTime)))) {
    return unauthorized(`Sign does not match SHA-256(token + RequestTime); check that the token here equals the one in Tencent's console.`)
  }
  // The clock is read only here: a request with no token to check does not pay for it.
  const skew = Math.abs((nowSeconds ?? Date.now() / 1000) - Number(requestTime))
  if (skew > settings.maxSkewSeconds) {
    return unauthorized(
      `RequestTime ${requestTime} is ${Math.round(skew)} s from this server's clock (at most ${settings.maxSkewSeconds} s allowed); a replayed request, or a clock to synchronise.`,
    )
  }
  return undefined
}

function unauthorized(message: string): AuthFailure {
  return { statusCode: 401, code: 'PRESEND_UNAUTHORIZED', message }
}
