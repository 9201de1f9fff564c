// Writes test/bench/corpus/messages.json: the bench's chat corpus, a few hundred message texts in the
// proportions a chat app sees (see the README beside this file). Deterministic: the same seed and the same
// bundled lists give the same file, so `node test/bench/corpus/make.mjs` after a change shows its diff.
// The listed words come from the profanity plugin's bundled lists (plugins/profanity/lists), so a share of
// the corpus exercises a hit, a mask and a rewrite as real traffic does.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { rng } from '../rng.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const listDir = fileURLToPath(new URL('../../../plugins/profanity/lists/', import.meta.url))
const r = rng(2023)
const pick = (xs) => xs[Math.floor(r() * xs.length)]
const chance = (p) => r() < p

/** Terms of a bundled list, one a line (TAB + category optional), comments out; only short ones, as chat uses. */
function listed(name, maxLen) {
  return readFileSync(`${listDir}${name}.txt`, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t')[0])
    .filter((t) => t.length <= maxLen && !t.includes(' '))
}
const BAD = { en: listed('en', 8), zh: listed('zh', 3), ja: listed('ja', 4) }

const NAMES = ['Alex', 'Mia', 'Sam', 'Li Wei', 'Yuki', 'Jonas', 'Priya', 'Tom', 'Chen', 'Hana']
const PLACES = ['the station', 'the office', 'the corner shop', 'the park', 'gate 3', 'the lobby', "Mia's place"]
const EMOJI = ['😀', '😂', '👍', '🙏', '🎉', '❤️', '😅', '🔥', '🤔', '😭', '👀', '✨', '🍜', '☕', '👋🏻', '🇯🇵']
const time = () => pick([`${1 + Math.floor(r() * 12)}pm`, `${1 + Math.floor(r() * 12)}:${pick(['00', '15', '30', '45'])}`, `${7 + Math.floor(r() * 15)}:${pick(['00', '30'])}`, 'noon'])
const price = () => pick([`$${(r() * 90 + 1).toFixed(2)}`, `€${Math.floor(r() * 200)}`, `¥${Math.floor(r() * 5000)}`, `${(r() * 99).toFixed(1)}元`])
const decimal = () => (r() * 20).toFixed(pick([1, 2]))
const host = () => pick(['example.com', 'docs.google.com', 'github.com', 'youtu.be', 'www.bilibili.com', 'item.jd.com', 'maps.app.goo.gl', 'weixin.qq.com'])
const link = () => pick([`https://${host()}/${Math.floor(r() * 1e6).toString(36)}`, `${host()}/${pick(['a', 'x', 'v'])}${Math.floor(r() * 1e4)}`, `http://${host()}`])
const email = () => `${pick(['sam', 'li.wei', 'yuki_t', 'support', 'hr'])}@${pick(['example.com', 'qq.com', '163.com', 'gmail.com'])}`
const emo = () => (chance(0.35) ? ` ${pick(EMOJI)}${chance(0.3) ? pick(EMOJI) : ''}` : '')

const SHORT = {
  en: ['ok', 'OK!', 'lol', 'yes', 'no worries', 'thx', 'on my way', 'sure.', 'haha', 'see you', 'got it.', 'k', 'brb', 'nice!', 'omg', 'sounds good.', 'why?', 'done.', 'np', 'good night'],
  zh: ['好的', '嗯嗯', '收到', '哈哈哈', '谢谢', '在吗', '马上到', '好', '晚安', '没问题', '可以', '稍等', '哦', '对', '辛苦了'],
  ja: ['はい', '了解です', 'ありがとう！', 'おやすみ', 'うん', 'またね', 'すみません', 'わかった', 'いいね', 'お疲れ様です'],
  emoji: ['👍', '😂😂😂', '🙏', '❤️', '🎉🎉', '😭', '👀', '🔥🔥', '😅', '👋🏻'],
}

const EN = [
  () => `Meeting moved to ${time()}, see the doc I shared this morning.`,
  () => `Can you pick up milk on the way home? It's ${price()} at ${pick(PLACES)}.`,
  () => `I'll be there at ${time()}. Running a bit late, sorry!`,
  () => `The build took ${decimal()} minutes today. Much better than yesterday.`,
  () => `${pick(NAMES)} said the tickets are ${price()} each. Want me to book two?`,
  () => `Did you see the game last night? Unbelievable finish.`,
  () => `Happy birthday ${pick(NAMES)}! Hope you have a great one.`,
  () => `Thanks for the help earlier, it really saved me a lot of time.`,
  () => `Let's meet at ${pick(PLACES)} around ${time()}. I'll text when I'm close.`,
  () => `Version ${decimal()} is out. Release notes are in the channel.`,
  () => `Temperature is ${decimal()}°C outside, bring a jacket.`,
  () => `I paid ${price()} for lunch, you owe me half lol.`,
  () => `Are we still on for dinner tonight? I booked a table for ${2 + Math.floor(r() * 5)}.`,
  () => `Sorry, I missed your call. Busy now, call you back at ${time()}.`,
  () => `The report is ${Math.floor(r() * 40) + 2} pages. I'll send comments by Friday.`,
  () => `Q3 revenue was up ${decimal()}% vs. last year, details in the deck.`,
]
const ZH = [
  () => `今天天气很好，我们下午去公园散步吧。`,
  () => `我${time()}到，你先点菜吧。`,
  () => `这个多少钱？${price()}的话有点贵。`,
  () => `明天上午十点开会，别忘了带电脑。`,
  () => `收到，我马上处理，处理完告诉你。`,
  () => `周末有空吗？一起去吃火锅吧！`,
  () => `快递到了，放在门口了，记得拿一下。`,
  () => `这次考试考了${Math.floor(r() * 40) + 60}分，比上次好多了。`,
  () => `我在${pick(['地铁站', '公司楼下', '超市门口', '机场'])}等你，大概还要${Math.floor(r() * 20) + 5}分钟。`,
  () => `刚才那个视频太好笑了，哈哈哈哈`,
  () => `妈妈说晚上回家吃饭，别买外卖了。`,
  () => `汇率现在是${decimal()}，要不要现在换？`,
  () => `生日快乐！祝你天天开心，万事如意。`,
  () => `老板说方案要改一下，明天再发给客户。`,
]
const JA = [
  () => `明日の会議は${7 + Math.floor(r() * 5)}時からです。資料を準備しておいてください。`,
  () => `今日はありがとうございました！また行きましょう。`,
  () => `駅に着いたら連絡してね。`,
  () => `このケーキ、${price()}だったけどすごく美味しかった。`,
  () => `ごめん、ちょっと遅れます。${Math.floor(r() * 20) + 5}分くらい。`,
  () => `週末は雨らしいよ。映画でも見に行く？`,
  () => `お疲れ様です。報告書を送りましたので、ご確認ください。`,
  () => `新しいカフェ見つけた！今度一緒に行こう。`,
]
const MIXED = [
  () => `收到，我马上处理。Thanks${emo() || ' 🙏'} 会后把结果发你`,
  () => `今天天气很好，我们一起去公园散步吧！Then grab a coffee at ${pick(PLACES)}? 😀 See you at ${time()}.`,
  () => `明天的 meeting 改到 ${time()} 了，PPT 我已经更新到 v${decimal()}。`,
  () => `Hey ${pick(NAMES)}, the red packet 红包 for 今日の会議 is ready 🎉 see you at dinner tonight, thanks a lot!`,
  () => `这个 bug 在 iOS ${decimal()} 上才会出现, can you check?`,
  () => `OK 没问题，${time()} 见。`,
  () => `今日の presentation、すごく良かったです！Great job.`,
  () => `我们 team 下周 offsite，budget 大概 ${price()} per person.`,
]
const LONG = [
  () =>
    `Hi all, quick update on the launch. The beta went out to ${Math.floor(r() * 900) + 100} users on Monday and crash-free sessions are at ${(99 + r()).toFixed(2)}%. ` +
    `Two things are still open: the payment screen on Android ${decimal()} and the translation of the onboarding. ` +
    `${pick(NAMES)} is on the first, I'll take the second. If nothing else comes up we ship on Thursday at ${time()}. Thanks everyone for the push this week!`,
  () =>
    `今天开会讨论了下个季度的计划，主要有三点：第一，新功能要在${Math.floor(r() * 3) + 1}月底之前上线；第二，用户增长目标是${decimal()}%；` +
    `第三，客服团队要增加两个人。大家如果有意见的话，请在周五之前回复我，谢谢！下周一我们再开一次会确认最终方案。`,
  () =>
    `昨日は本当にありがとうございました。久しぶりにみんなで集まれて楽しかったです。料理もとても美味しくて、特にデザートが最高でした。` +
    `次は${pick(['春', '夏', '秋', '冬'])}に、今度は私の家でやりましょう。写真はあとで共有しますね。`,
  () =>
    `So I finally tried that ramen place ${pick(NAMES)} recommended. The broth was great, noodles a bit soft. ` +
    `It was ${price()} for a bowl and a beer, which is fine for the area. Queue was about ${Math.floor(r() * 40) + 10} minutes at ${time()}. ` +
    `Would go again but maybe not on a Saturday. Also they only take cash, so bring some.`,
]

/** A message and its kind; kinds are counted in the README's table. */
function message() {
  const x = r()
  if (x < 0.3) {
    const lang = pick(['en', 'en', 'zh', 'zh', 'ja', 'emoji'])
    return { kind: `short-${lang}`, text: pick(SHORT[lang]) + (lang === 'emoji' ? '' : emo()) }
  }
  if (x < 0.52) return { kind: 'en', text: pick(EN)() + emo() }
  if (x < 0.72) return { kind: 'zh', text: pick(ZH)() + emo() }
  if (x < 0.8) return { kind: 'ja', text: pick(JA)() + emo() }
  if (x < 0.88) return { kind: 'mixed', text: pick(MIXED)() }
  if (x < 0.92) return { kind: 'long', text: pick(LONG)() }
  if (x < 0.95) {
    const url = link()
    return { kind: 'link', text: pick([`look at this ${url}`, `${url}`, `资料在这里：${url} 看一下`, `Slides: ${url}. Comments welcome.`]) }
  }
  if (x < 0.97) return { kind: 'email', text: pick([`Send it to ${email()} please.`, `我的邮箱是 ${email()}，发给我吧`, `CV sent to ${email()}, fingers crossed 🤞`]) }
  const lang = pick(['en', 'en', 'zh', 'ja'])
  const w = pick(BAD[lang])
  const text = {
    en: pick([`what the ${w} is this`, `you ${w}, that was my seat`, `${w}! missed the bus again`]),
    zh: pick([`你这个${w}，又迟到了`, `${w}，别烦我`]),
    ja: pick([`${w}かよ、もういい`, `この${w}！`]),
  }[lang]
  return { kind: 'listed', text }
}

const COUNT = 400
const messages = Array.from({ length: COUNT }, message)
writeFileSync(`${here}messages.json`, JSON.stringify(messages, null, 1) + '\n')
const kinds = {}
for (const m of messages) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1
const avg = messages.reduce((n, m) => n + m.text.length, 0) / COUNT
console.log(JSON.stringify({ count: COUNT, averageLength: Number(avg.toFixed(1)), kinds }))
