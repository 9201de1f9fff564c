import t from 'tap'
import { pinyin } from 'pinyin-pro'
import {
  createPinyinExpander,
  loadPinyinExpander,
  parseHomophones,
  PINYIN_KINDS,
  type PinyinKind,
} from '../../../plugins/profanity/pinyin-variants.js'

const all = new Set<PinyinKind>(PINYIN_KINDS)
const table = parseHomophones('# a comment\n\ncao\t草曹\nni\t泥尼\nma\t马骂\nsha\t沙\nbi\t比\n')
const expand = createPinyinExpander(pinyin, table)
const of = (term: string, kinds: ReadonlySet<PinyinKind> = all, kind?: PinyinKind): string[] =>
  expand(term, kinds).filter((v) => kind === undefined || v.kind === kind).map((v) => v.pattern)

t.test('the homophone table: a syllable, a TAB, its characters; comments and blank lines skipped', async (t) => {
  t.same([...table.keys()], ['cao', 'ni', 'ma', 'sha', 'bi'])
  t.same(table.get('cao'), ['草', '曹'])
  t.same(parseHomophones('a\t啊阿 \n'), new Map([['a', ['啊', '阿']]]), 'trailing spaces are not characters')
})

t.test('a three-character term: spelled joined and spaced, its initials, its homophones', async (t) => {
  t.same(of('操你妈', all, 'spelling'), ['caonima', 'cao ni ma'])
  t.same(of('操你妈', all, 'initials'), ['cnm'])
  const homophones = of('操你妈', all, 'homophones')
  t.equal(homophones.length, 3 * 3 * 3 - 1, 'every mix of the term and its homophones, the term itself aside')
  t.ok(homophones.includes('草泥马'))
  t.ok(homophones.includes('操你马'), 'one character replaced is a variant too')
  t.notOk(homophones.includes('操你妈'))
})

t.test('a two-character term: joined only, initials only if "sb", no homophones', async (t) => {
  t.same(of('傻逼'), ['shabi', 'sb'])
  t.same(of('日你'), ['rini'], '"rn" is too short to be kept')
})

t.test('a polyphonic character is read as the word around it has it', async (t) => {
  t.same(of('银行卡', all, 'spelling'), ['yinhangka', 'yin hang ka'], '行 is hang here, not xing')
  t.same(of('行卡', all, 'spelling'), ['xingka'])
})

t.test('ü is spelled both u and v', async (t) => {
  t.same(of('妓女', all, 'spelling'), ['jinu', 'jinv'])
  t.same(of('操妓女', all, 'spelling'), ['caojinu', 'cao ji nu', 'caojinv', 'cao ji nv'])
})

t.test('long terms get no homophones; kinds can be picked', async (t) => {
  t.same(of('我操你祖宗十八代', all, 'homophones'), [])
  t.same(of('我操你祖宗十八代', all, 'initials'), ['wcnzzsbd'])
  t.same(of('操你妈', new Set<PinyinKind>(['initials'])), ['cnm'])
  t.same(of('操你妈', new Set<PinyinKind>()), [])
})

t.test('terms that are not two or more Han characters, or that pinyin-pro cannot read, get none', async (t) => {
  t.same(of('屌'), [], 'one syllable alone is too many words')
  t.same(of('妈B'), [])
  t.same(of('fuck'), [])
  t.same(of('𨳒你'), [], 'a character with no Mandarin reading')
})

t.test('the bundled expander: pinyin-pro and the curated homophone table, loaded once', async (t) => {
  const a = loadPinyinExpander()
  t.equal(loadPinyinExpander(), a, 'one load per process')
  const bundled = await a
  const variants = bundled('操你妈', all).map((v) => v.pattern)
  t.ok(variants.includes('草泥马'), '草泥马 for 操你妈')
  t.ok(variants.includes('caonima'))
})
