/**
 * The callback route's request handling: the pre-parse hook (Content-Type, auth), dispatch on
 * `CallbackCommand`, the pipeline run, and the error handler that keeps every failure out of the 5xx range.
 *
 * @module
 */
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isPresendError } from '../core/errors.js'
import type { Pipeline, RunMeta, RunResult } from '../core/pipeline/index.js'
import { policyReply } from '../core/pipeline/result.js'
import { isDecidedCommand, OK_REPLY, parseRequest, type CallbackReply, type CallbackRequest, type DecidedCommand, type MsgElement } from '../core/protocol/index.js'
import { checkAuth, type AuthSettings } from './auth.js'
import { errorReply, type ErrorReply } from './http-errors.js'
import type { RateLimitedLog } from './log-limiter.js'
import type { PresendMetrics } from './metrics.js'

/**
 * A handler for a command presend does not decide itself (e.g. `Group.CallbackAfterSendMsg`). Return a
 * reply, or nothing for `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`. A throw is logged and
 * answered by the pipeline's fault policy.
 */
export type CallbackHandler = (
  body: Record<string, unknown>,
  ctx: HandlerContext,
) => Partial<CallbackReply> | undefined | void | Promise<Partial<CallbackReply> | undefined | void>

/** What a {@link CallbackHandler} knows besides the body. */
export interface HandlerContext extends RunMeta {
  command: string
  /** The query string Tencent sent (`SdkAppid`, `CallbackCommand`, `ClientIP`, `OptPlatform`, …). */
  query: Readonly<Record<string, unknown>>
  log: FastifyBaseLogger
}

/** The reply's JSON schema, compiled once by fast-json-stringify. MsgBody elements keep every field. */
export const replyJsonSchema = {
  type: 'object',
  properties: {
    // In the order of Tencent's examples: {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
    ActionStatus: { type: 'string' },
    ErrorInfo: { type: 'string' },
    ErrorCode: { type: 'integer' },
    // Elements go out as they came, whatever their shape: a non-text element is never rewritten.
    MsgBody: { type: 'array', items: {} },
    CloudCustomData: { type: 'string' },
    ResultItem: {
      type: 'array',
      items: {
        type: 'object',
        properties: { To_Account: { type: 'string' }, ResultCode: { type: 'integer' }, ResultInfo: { type: 'string' } },
        required: ['To_Account', 'ResultCode', 'ResultInfo'],
      },
    },
  },
  required: ['ActionStatus', 'ErrorCode', 'ErrorInfo'],
} as const

/** The pipeline serving now, with a count of the runs still using it so a swap can close it after them. */
export class PipelineSlot {
  inflight = 0
  #drained: (() => void) | undefined
  constructor(readonly pipeline: Pipeline) {}

  leave(): void {
    if (--this.inflight === 0 && this.#drained !== undefined) this.#drained()
  }

  /** Resolves once no run uses this pipeline any more. */
  drain(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#drained = resolve
    })
  }
}

/** Told of every callback the pipeline answered (the console's live view listens here). Must not throw. */
export type CallbackObserver = (command: DecidedCommand, request: CallbackRequest, result: RunResult) => void

/** Mutable state the route reads on every request; the plugin's control object swaps what it holds. */
export interface RouteState {
  slot: PipelineSlot
  auth: AuthSettings
  /** Undefined unless something listens: then the route's only extra cost is this one check. */
  observer?: CallbackObserver | undefined
  readonly metrics: PresendMetrics | undefined
  readonly handlers: ReadonlyMap<string, CallbackHandler>
  readonly logRequests: boolean
  readonly logMessageText: boolean
  readonly bodyLimit: number
  /** 401/403 lines: once per interval with a count, since any client can cause them at will. */
  readonly authFailures: RateLimitedLog
}

/**
 * The answer when the callback could not be checked: allow (as Tencent does on timeout) or refuse, per the
 * pipeline's fault policy, in the shape of the callback's command.
 */
function faultReply(state: RouteState, command: string | undefined, body: unknown): CallbackReply {
  return policyReply(state.slot.pipeline.onFault, command, body)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The `command` label: bounded to commands presend knows, so a caller cannot grow the metric series. */
function commandLabel(state: RouteState, command: string | undefined): string {
  return command !== undefined && (isDecidedCommand(command) || state.handlers.has(command)) ? command : 'other'
}

function metaOf(query: Record<string, unknown>, state: RouteState): RunMeta {
  const appId = str(query.SdkAppid)
  return {
    sdkAppId: appId !== undefined && /^\d{1,15}$/.test(appId) ? Number(appId) : state.auth.sdkAppId,
    clientIp: str(query.ClientIP),
    platform: str(query.OptPlatform),
  }
}

function textsOf(body: unknown): string[] {
  const texts: string[] = []
  if (!Array.isArray(body)) return texts
  for (const el of body as MsgElement[]) {
    const text = (el.MsgContent as { Text?: unknown } | undefined)?.Text
    if (el.MsgType === 'TIMTextElem' && typeof text === 'string') texts.push(text)
  }
  return texts
}

/**
 * The route's `onRequest` hook, before any body is read: sets the Content-Type header to
 * `application/json` (the body is JSON whatever it says, a malformed value must not earn a 415, and Tencent
 * documents none), then checks SdkAppid, Sign and RequestTime.
 */
export function createOnRequest(state: RouteState) {
  return function presendOnRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const headers = request.headers
    // One fixed value, whatever came: Fastify then finds the route's parser in its cache. With no header it
    // would look the parser up afresh on every request (it caches that lookup under no key), and an empty
    // body reaches the parser, which answers it with PRESEND_INVALID_JSON like any other body that is not JSON.
    headers['content-type'] = 'application/json'
    const failure = checkAuth(request.query as Record<string, unknown>, state.auth)
    if (failure === undefined) {
      done()
      return
    }
    const query = request.query as Record<string, unknown>
    state.metrics?.request(commandLabel(state, str(query.CallbackCommand)), failure.statusCode === 401 ? 'unauthorized' : 'forbidden')
    state.authFailures.hit({ code: failure.code, statusCode: failure.statusCode }, failure.message, request.log)
    void reply.code(failure.statusCode).send(errorReply(failure.statusCode, failure.code, failure.message))
  }
}

/**
 * The POST handler: dispatch on `CallbackCommand` and answer with the reply (HTTP 200). Not itself async:
 * it gives Fastify the reply at once when the pipeline answers synchronously (every plugin did), else the
 * pipeline's promise as it is; an async function would wrap either in one more promise and cost the
 * request microtask turns.
 */
export function createHandler(state: RouteState) {
  return function presendCallback(request: FastifyRequest): CallbackReply | Promise<CallbackReply> {
    const started = state.metrics === undefined ? 0 : performance.now()
    const query = request.query as Record<string, unknown>
    const body = request.body
    const command = str(query.CallbackCommand) ?? (isRecord(body) ? str(body.CallbackCommand) : undefined)
    // A handler registered for a command replaces the pipeline for it (e.g. an app's own friend-request rules).
    const handler = command === undefined || state.handlers.size === 0 ? undefined : state.handlers.get(command)
    if (handler !== undefined) return runHandler(state, request, command as string, handler, body, query, started)
    if (isDecidedCommand(command)) return runPipeline(state, request, command, body, query, started)
    state.metrics?.request('other', 'ok')
    return OK_REPLY
  }
}

/** A registered handler's answer to `command`, as a reply; a throw or a body that is not an object gets the fault policy's. */
async function runHandler(
  state: RouteState,
  request: FastifyRequest,
  label: string,
  handler: CallbackHandler,
  body: unknown,
  query: Record<string, unknown>,
  started: number,
): Promise<CallbackReply> {
  if (!isRecord(body)) {
    request.log.warn({ command: label, code: 'PRESEND_INVALID_REQUEST' }, 'callback body is not a JSON object; answering by fault policy')
    state.metrics?.request(label, 'invalid')
    return faultReply(state, label, body)
  }
  let out: CallbackReply
  try {
    const answer = await handler(body, { command: label, query, ...metaOf(query, state), log: request.log })
    out = answer == null ? OK_REPLY : {
      ActionStatus: answer.ActionStatus ?? 'OK',
      ErrorCode: answer.ErrorCode ?? 0,
      ErrorInfo: answer.ErrorInfo ?? '',
      ...(answer.MsgBody === undefined ? {} : { MsgBody: answer.MsgBody }),
      ...(answer.CloudCustomData === undefined ? {} : { CloudCustomData: answer.CloudCustomData }),
    }
  } catch (err) {
    request.log.error({ command: label, err }, `the handler for ${label} threw; answering by fault policy`)
    state.metrics?.request(label, 'error')
    return faultReply(state, label, body)
  }
  state.metrics?.request(label, 'handled', (performance.now() - started) / 1000)
  return out
}

function runPipeline(
  state: RouteState,
  request: FastifyRequest,
  command: DecidedCommand,
  body: unknown,
  query: Record<string, unknown>,
  started: number,
): CallbackReply | Promise<CallbackReply> {
  let parsed: CallbackRequest
  try {
    if (!isRecord(body)) throw new Error('the body is not a JSON object')
    const bodyCommand = body.CallbackCommand
    if (bodyCommand !== undefined && bodyCommand !== command) {
      // Caller-controlled and up to the body limit in size: only a short prefix reaches the log.
      throw new Error(`the body's CallbackCommand ${JSON.stringify(String(bodyCommand).slice(0, 64))} differs from the query's ${command}`)
    }
    // Tencent repeats the command in the body; accept a body that leaves it to the query.
    parsed = parseRequest(bodyCommand === undefined ? { ...body, CallbackCommand: command } : body)
  } catch (err) {
    // The reason names fields, never values, so no message text reaches the log.
    request.log.warn(
      { command, code: 'PRESEND_INVALID_REQUEST', reason: (err as Error).message },
      `invalid ${command} body; answering by fault policy (${state.slot.pipeline.onFault})`,
    )
    state.metrics?.request(command, 'invalid')
    return faultReply(state, command, body)
  }

  // runNow answers at once when every plugin does (the usual case): the reply then goes out in this same
  // turn, with no promise made and no microtask waited for.
  const slot = state.slot
  slot.inflight++
  let outcome: RunResult | Promise<RunResult>
  try {
    outcome = slot.pipeline.runNow(parsed, metaOf(query, state))
  } catch (err) {
    slot.leave()
    return pipelineFailed(state, request, command, parsed, err)
  }
  if (typeof (outcome as Partial<PromiseLike<RunResult>>).then !== 'function') {
    slot.leave()
    return answered(state, request, command, parsed, outcome as RunResult, started)
  }
  return (outcome as Promise<RunResult>).then(
    (result) => {
      slot.leave()
      return answered(state, request, command, parsed, result, started)
    },
    (err: unknown) => {
      slot.leave()
      return pipelineFailed(state, request, command, parsed, err)
    },
  )
}

/** The pipeline threw: never for a message, so a closed pipeline or a bug; still not a 5xx. */
function pipelineFailed(state: RouteState, request: FastifyRequest, command: string, body: unknown, err: unknown): CallbackReply {
  request.log.error({ command, err }, 'the pipeline failed unexpectedly; answering by fault policy')
  state.metrics?.request(command, 'error')
  return faultReply(state, command, body)
}

/** Record a run (metrics, and the request line when asked for) and give its reply. */
function answered(
  state: RouteState,
  request: FastifyRequest,
  command: DecidedCommand,
  parsed: CallbackRequest,
  result: RunResult,
  started: number,
): CallbackReply {
  if (state.metrics !== undefined) {
    state.metrics.run(result)
    state.metrics.request(command, result.decision, (performance.now() - started) / 1000)
  }
  if (state.logRequests) {
    const line: Record<string, unknown> = {
      command,
      decision: result.decision,
      decidedBy: result.decidedBy,
      changed: result.changed,
      faults: result.faults,
      trace: result.trace.map((e) => `${e.plugin}:${e.outcome}`),
    }
    if (state.logMessageText) line.texts = textsOf((parsed as { MsgBody?: unknown }).MsgBody)
    request.log.info(line, 'callback answered')
  }
  if (state.observer !== undefined) state.observer(command, parsed, result)
  return result.reply
}

/**
 * The error handler of the callback scope: client errors (bad JSON, body too large, a malformed request)
 * get a 4xx JSON reply saying what was wrong; anything else is logged and answered by the fault policy
 * with HTTP 200, because Tencent reads a 5xx as a broken callback.
 */
export function createErrorHandler(state: RouteState) {
  return function presendErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): CallbackReply | ErrorReply {
    const query = request.query as Record<string, unknown> | undefined
    const label = commandLabel(state, str(query?.CallbackCommand))
    if (request.raw.destroyed && !request.raw.complete) {
      // The connection closed mid-request: the client went away, or Node cut a request still arriving after
      // the request timeout (answering it 408). Not a malformed request, and there is no one left to answer.
      state.metrics?.request(label, 'aborted')
      request.log.info({ code: 'PRESEND_CLIENT_GONE', reason: error.message }, 'the connection closed before the request arrived whole; nothing to answer')
      void reply.code(400)
      return errorReply(400, 'PRESEND_CLIENT_GONE', 'The connection closed before the request arrived whole.')
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      state.metrics?.request(label, 'too_large')
      void reply.code(413)
      return errorReply(
        413,
        'PRESEND_BODY_TOO_LARGE',
        `The request body is larger than ${state.bodyLimit} bytes (server.bodyLimit); raise the limit if your messages need it.`,
      )
    }
    const status = error.statusCode
    if (status !== undefined && status >= 400 && status < 500) {
      const code = isPresendError(error) ? String(error.code) : 'PRESEND_BAD_REQUEST'
      state.metrics?.request(label, code === 'PRESEND_INVALID_JSON' ? 'bad_json' : 'bad_request')
      request.log.info({ code, statusCode: status }, 'callback request refused')
      void reply.code(status)
      return errorReply(status, code, error.message)
    }
    request.log.error({ err: error }, 'unexpected error in the callback route; answering by fault policy')
    state.metrics?.request(label, 'error')
    void reply.code(200)
    return faultReply(state, str(query?.CallbackCommand), request.body)
  }
}
