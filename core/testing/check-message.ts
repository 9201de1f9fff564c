/**
 * One message through a one-plugin pipeline, the way the server would run it but with the input deep-frozen
 * and a `reject` fault policy, so a plugin that mutates its input or throws cannot pass by accident.
 *
 * @module
 */
import type { z } from 'zod'
import { createPipeline, type RunMeta, type RunResult } from '../pipeline/index.js'
import type { Plugin } from '../plugin.js'
import type { BeforeSendCommand, BeforeSendRequest } from '../protocol/index.js'
import { requestFor } from '../requests.js'
import { deepFreeze } from './deep-freeze.js'

/**
 * A message to check: a text (sent as C2C unless `command` says otherwise) or a whole request.
 * @example await checkMessage(plugin, {}, 'a text') // or a whole request: groupRequest({ text: 'hi' })
 */
export type CheckInput = string | BeforeSendRequest

/**
 * The options a plugin accepts as a config or a test writes them: the input type of its zod schema, so
 * keys with defaults are optional and a misspelt key is a type error.
 *
 * @example const options: OptionsOf<typeof noShouting> = { minLetters: 5 }
 */
export type OptionsOf<P> = P extends Plugin<infer Schema> ? z.input<Schema> : never

/**
 * How {@link checkMessage} runs the message.
 * @example await checkMessage(plugin, {}, 'hi', { command: 'Group.CallbackBeforeSendMsg', meta: { platform: 'Web' } })
 */
export interface CheckSettings {
  /** The command a text is sent as (default C2C). Ignored for a whole request. */
  command?: BeforeSendCommand
  /** `sdkAppId`, `clientIp`, `platform` as the server would pass them from the query string. */
  meta?: RunMeta
  /** The folder relative paths in options resolve against (default: the working directory). */
  baseDir?: string
  /** The fault policy (default `reject`, so a plugin that throws fails its test). */
  onFault?: 'allow' | 'reject'
}

/**
 * Run one message through a one-plugin pipeline (deep-frozen, so a mutating plugin fails loudly) and resolve
 * with the whole result: decision, reply, body, trace. The options are typed by the plugin's schema.
 *
 * @example
 * const result = await checkMessage(profanity, { words: ['darn'] }, 'darn it')
 * result.decision // 'allow'
 * result.reply.MsgBody // [{ MsgType: 'TIMTextElem', MsgContent: { Text: '**** it' } }]
 */
export async function checkMessage<Schema extends z.ZodType>(
  plugin: Plugin<Schema>,
  options: z.input<Schema>,
  input: CheckInput,
  settings: CheckSettings = {},
): Promise<RunResult> {
  const pipeline = await createPipeline({
    plugins: [[plugin, options]],
    baseDir: settings.baseDir,
    onFault: settings.onFault ?? 'reject',
  })
  try {
    const request = typeof input === 'string' ? requestFor(settings.command ?? 'C2C.CallbackBeforeSendMsg', { text: input }) : input
    return await pipeline.run(deepFreeze(request), settings.meta)
  } finally {
    await pipeline.close()
  }
}
