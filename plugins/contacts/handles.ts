/**
 * E-mail addresses, and WeChat / QQ ids after the words that announce them (微信, 威信, V信, vx, wx, 薇,
 * 加V…; QQ, 扣扣, 企鹅…). Everything here reads the folded text (lower case, full-width folded, numerals
 * as digits), so `ＱＱ：１２３４５６７` and `Ｖ信 Abc_123` are read like their ASCII spelling.
 * @module
 */

/** Words announcing a WeChat id: the name, its homophones and look-alikes, and the letters users write for it. */
export const WECHAT_CUES = [
  '微信', '威信', '薇信', '维信', '維信', '徽信', '喂信', '卫信', '围信', '微xin', 'v信', 'v x', 'vx', 'wx', 'weixin', 'wechat',
  '薇', '加v', '+v', '加微', 'v号', '绿泡泡', '🟢',
] as const

/** Words announcing a QQ number. */
export const QQ_CUES = ['qq', '扣扣', '抠抠', '蔻蔻', '企鹅', 'q号', 'q群', 'qq群', 'qq号', '球球', 'kou kou'] as const

/** Between a cue and the id: spaces, colons, and words like 号, 是, 加, 搜. */
const GAP = '(?:[\\s:=~\\-,，.。、>→]|号码?|账号|帐号|id|是|为|加|搜索?|我|的){0,8}'
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** Latin cues must not be the end of a longer word ("jinx", "hq"). */
const cue = (words: readonly string[]): string =>
  words.map((w) => (/^[a-z+]/.test(w) ? `(?<![a-z])${escape(w)}` : escape(w))).join('|')

/** A cue, the gap, and a WeChat id (6–20 characters, a letter first), not running on into more of one. */
const WECHAT = new RegExp(`(?:${cue(WECHAT_CUES)})${GAP}([a-z][a-z0-9_-]{5,19})(?![a-z0-9_-])`, 'gu')
/** A cue, the gap, and a QQ number (5–11 digits, not starting with 0) with up to two separators between digits. */
const QQ = new RegExp(`(?:${cue(QQ_CUES)})${GAP}([1-9](?:[\\s.\\-]{0,2}\\d){4,10})(?![\\s.\\-]{0,2}\\d)`, 'gu')

const PLAIN_WORD = /^[a-z]+$/
const PROSE_AFTER = /^\s+[a-z]/

/** A handle found: where it is in the folded text, and its key for the allow list. */
export interface HandleHit {
  readonly kind: 'wechat' | 'qq' | 'email'
  readonly start: number
  readonly end: number
  readonly key: string
}

/**
 * WeChat ids (`wechat`) and QQ numbers (`qq`) announced by a cue in `folded`.
 * @example cuedIds('加微信: abc_123', true, true) // [{ kind: 'wechat', start: 5, end: 12, key: 'abc_123' }]
 */
export function cuedIds(folded: string, wechat: boolean, qq: boolean): HandleHit[] {
  const hits: HandleHit[] = []
  const scan = (re: RegExp, kind: 'wechat' | 'qq'): void => {
    re.lastIndex = 0
    for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
      const id = m[1]!
      const end = m.index + m[0].length
      // A plain word followed by more words is English prose ("微信 payment is easy"), not an id.
      if (kind === 'wechat' && PLAIN_WORD.test(id) && PROSE_AFTER.test(folded.slice(end, end + 3))) continue
      hits.push({ kind, start: end - id.length, end, key: kind === 'qq' ? id.replace(/\D/g, '') : id })
    }
  }
  if (wechat) scan(WECHAT, 'wechat')
  if (qq) scan(QQ, 'qq')
  return hits
}

/** An address's local part, read leftwards from the `@`. */
const LOCAL = /[a-z0-9._%+-]/
/** A domain of two or more labels, the last one letters only: matched at the `@` + 1. */
const DOMAIN = /(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![a-z0-9-]|\.[a-z0-9])/y

/**
 * The e-mail addresses in `folded`: found from each `@`, so a long text without one costs one `indexOf`.
 * @example emails('mail me: a.b@example.com') // [{ kind: 'email', start: 9, end: 24, key: 'a.b@example.com' }]
 */
export function emails(folded: string): HandleHit[] {
  const hits: HandleHit[] = []
  let from = 0
  for (let at = folded.indexOf('@', from); at !== -1; at = folded.indexOf('@', from)) {
    from = at + 1
    let start = at
    // At most 64 characters of local part (RFC 5321), so a long run before an @ costs no more than that.
    while (start > 0 && at - start < 64 && LOCAL.test(folded[start - 1]!)) start--
    while (start < at && folded[start] === '.') start++
    if (start === at) continue
    DOMAIN.lastIndex = at + 1
    const m = DOMAIN.exec(folded)
    if (m === null) continue
    const end = DOMAIN.lastIndex
    hits.push({ kind: 'email', start, end, key: folded.slice(start, end) })
    from = end
  }
  return hits
}
