// Deterministic benchmark data: the chat corpus as callback bodies, the old single payload, synthetic term lists.
import { readFileSync } from 'node:fs'
import { seedRequest } from '../../dist/core/testing/index.js'
import { rng } from './rng.mjs'

const SYL = ['ka', 'ro', 'mi', 'ne', 'tu', 'sha', 'bel', 'dor', 'fin', 'gra', 'lux', 'pen', 'qui', 'ster', 'vo', 'zan']
const HAN = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自可'
const KANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん'

/** `n` distinct terms: 60% Latin pseudo-words (5–10 letters), 40% CJK (2–4 characters). */
export function makeTerms(n, seed = 7) {
  const r = rng(seed)
  const out = new Set()
  while (out.size < n) {
    if (r() < 0.6) {
      let w = ''
      while (w.length < 5) w += SYL[Math.floor(r() * SYL.length)]
      if (r() < 0.5) w += SYL[Math.floor(r() * SYL.length)]
      out.add(w.slice(0, 10))
    } else {
      const src = r() < 0.6 ? HAN : KANA
      const len = 2 + Math.floor(r() * 3)
      let w = ''
      for (let i = 0; i < len; i++) w += src[Math.floor(r() * src.length)]
      out.add(w)
    }
  }
  return [...out]
}

/** The seed-style C2C request (Tencent's documented example) with a ~100-character mixed-script text. */
export function payload() {
  return {
    ...seedRequest(),
    MsgBody: [
      {
        MsgType: 'TIMTextElem',
        MsgContent: { Text: 'Hey Jonh, the red packet 红包 for 今日の会議 is ready 🎉 — see you at dinner tonight, thanks a lot!' },
      },
    ],
  }
}

/** The chat corpus (test/bench/corpus/messages.json, written by corpus/make.mjs): `{ kind, text }` each. */
export const corpus = JSON.parse(readFileSync(new URL('./corpus/messages.json', import.meta.url), 'utf8'))

/**
 * One callback body per corpus message, in corpus order: three in five one-to-one, the rest group messages,
 * one in twenty with a face element after the text (an element the plugins pass through). The load generator
 * sends them in rotation, so a server sees the corpus' mix rather than one message.
 */
export function corpusRequests() {
  const r = rng(11)
  return corpus.map(({ text }, i) => {
    const base = seedRequest()
    const MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }]
    if (r() < 0.05) MsgBody.push({ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } })
    if (r() < 0.6) return { ...base, MsgSeq: 48374 + i, MsgBody }
    const { To_Account: _to, MsgSeq: _seq, MsgRandom: _random, MsgTime: _time, MsgKey: _key, ...common } = base
    return { ...common, CallbackCommand: 'Group.CallbackBeforeSendMsg', GroupId: '@TGS#2J4SZEAEL', Type: 'Public', Random: 2837546 + i, MsgBody }
  })
}
