// Deterministic benchmark data: realistic chat texts and synthetic term lists.
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

/** Realistic chat texts, 20–200 characters, mixed scripts and emoji. */
export const texts = [
  'Hey Jonh, are we still on for dinner tonight? 🍜',
  'Meeting moved to 3pm, see the doc I shared this morning. Thanks!',
  '今天天气很好，我们下午去公园散步吧，顺便买点水果回来。',
  '明日の会議は10時からです。資料を準備しておいてください。よろしくお願いします！',
  'lol that was hilarious 😂😂 send me the video pls',
  'Happy birthday!!! 🎉🎂 wishing you all the best this year, hope you have a great one',
  'Can you check the latest build? The tests on main are green again and the release notes are drafted.',
  '收到，我马上处理。Thanks 🙏 会后把结果发你',
  'ok',
  'Привет! Как дела? Let me know when you are free to talk about the trip next week.',
]

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
