// The server and the callbacks for the scaling benchmark (test/bench/scaling.ts) and the linear-time test
// (test/reliability/linear-time.test.ts): the built-in plugins at settings that edit every hit, with the body
// limit and maxTextLength raised to 4 MB, and callbacks whose text mixes ASCII, emoji, combining marks and
// Chinese, with a hit every ~13 code units ("many") or ten in the whole text ("few").
import { c2cRequest } from '../../core/testing/index.js'
import { configSchema, type PresendConfig } from '../../server/config.js'
import { buildServer, type PresendServer } from '../../server/app.js'

const LIMIT = 4 * 1024 * 1024

/** A server with profanity (mask), links (replace) and keyword-rewrite, every text read; the caller closes it. */
export async function scalingServer(): Promise<PresendServer> {
  const config = configSchema.parse({
    server: { bodyLimit: LIMIT },
    pipeline: { maxTextLength: LIMIT, deadlineMs: 2000, jsonText: [{ in: 'cloud-custom-data', paths: ['note'] }] },
    plugins: [
      { use: 'profanity', timeoutMs: 2000, options: { words: ['darn', '笨蛋'], lists: [] } },
      { use: 'links', timeoutMs: 2000 },
      { use: 'keyword-rewrite', timeoutMs: 2000, options: { rules: [{ match: 'bad', replace: '***' }, { regex: 'wx\\d+', replace: '#' }], slots: 'all' } },
    ],
  }) as PresendConfig
  return buildServer(config, { logger: false, defaultMetrics: false })
}

// Every piece is 13 code units with one hit: a masked word before a combining mark and after an emoji (the
// grapheme snapper's slow case), a word a rule rewrites, Chinese, a link, a regex hit.
const MANY = ['x😀 darn\u0301 ok ', 'é bad 好 yes ', 'see a.io now ', '我说笨蛋了 ok. ', 'id wx42 ok!! ']
// The same scripts without a hit.
const CLEAN = ['x😀 dam\u0301n ok ', 'é bud 好 yes ', 'see a io now ', '我说你好了 ok. ', 'id w x2 ok!! ']

/** A text of about `length` code units, with a hit every ~13 units (`many`) or ten hits in all. */
export function scalingText(length: number, many: boolean): string {
  const parts: string[] = []
  let n = 0
  const every = many ? 1 : Math.max(1, Math.floor(length / 13 / 10))
  for (let i = 0; n < length; i++) {
    const piece = (i % every === 0 ? MANY : CLEAN)[i % 5] as string
    parts.push(piece)
    n += piece.length
  }
  return parts.join('')
}

/** The callback body: the text as a text element, and the first KB of it again in CloudCustomData's `note`. */
export function scalingPayload(text: string): string {
  return JSON.stringify({ ...c2cRequest({ text }), CloudCustomData: JSON.stringify({ note: text.slice(0, 1024), id: 7 }) })
}

/** One callback through the whole route (parse, validate, run, serialise); the parsed reply. */
export async function postScaling(app: PresendServer, payload: string): Promise<{ ErrorCode: number; MsgBody?: Array<{ MsgContent: { Text?: string } }> }> {
  const res = await app.inject({ method: 'POST', url: '/?CallbackCommand=C2C.CallbackBeforeSendMsg', payload, headers: { 'content-type': 'application/json' } })
  return res.json()
}
