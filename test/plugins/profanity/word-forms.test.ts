import t from 'tap'
import { wordForms } from '../../../plugins/profanity/word-forms.js'

const patterns = (p: string): string[] => wordForms(p).map((f) => f.pattern)
const derived = (p: string): string[] => wordForms(p).filter((f) => f.derived).map((f) => f.pattern)

t.test('a one-syllable word doubles its final consonant before a vowel suffix', async (t) => {
  t.same(patterns('cum'), ['cums', 'cummed', 'cumming', 'cummin', 'cummer', 'cummers', 'cummy'])
  t.same(patterns('tit'), ['tits', 'titted', 'titting', 'tittin', 'titter', 'titters', 'titty'])
  t.same(derived('tit'), ['tittin', 'titter', 'titters', 'titty'], '-in, -er, -ers and -y are derived: they can be another word')
})

t.test('no doubling after two vowels, after two consonants, or past one syllable', async (t) => {
  t.same(patterns('boob').slice(0, 3), ['boobs', 'boobed', 'boobing'])
  t.same(patterns('fuck'), ['fucks', 'fucked', 'fucking', 'fuckin', 'fucker', 'fuckers', 'fucky'])
  t.same(patterns('faggot').slice(0, 3), ['faggots', 'faggoted', 'faggoting'])
})

t.test('-s, -es, -ies for the plural and the third person', async (t) => {
  t.same(patterns('ass').slice(0, 2), ['asses', 'assed'], '"assess" is never made')
  t.same(patterns('bitch')[0], 'bitches')
  t.same(patterns('jizz')[0], 'jizzes')
  t.same(patterns('anus'), ['anuses'], '-us is singular; a noun takes a plural only')
  t.same(patterns('penis'), ['penises'])
  t.same(patterns('orgy')[0], 'orgies')
})

t.test('a silent e is dropped before a vowel, a final y becomes i', async (t) => {
  t.same(patterns('rape'), ['rapes', 'raped', 'raping', 'rapin', 'raper', 'rapers'])
  t.same(patterns('horny'), ['hornies', 'hornied', 'hornying', 'hornyin', 'hornier', 'horniers'])
  t.same(patterns('pee').slice(1, 3), ['peed', 'peeing'])
})

t.test('nouns by their ending take a plural only', async (t) => {
  t.same(patterns('hooker'), ['hookers'])
  t.same(patterns('fingering'), ['fingerings'])
  t.same(patterns('sadism'), ['sadisms'])
})

t.test('words already plural, too short, not Latin or not bound at the end get none', async (t) => {
  t.same(patterns('tits'), [])
  t.same(patterns('sucks'), [])
  t.same(patterns('fu'), [])
  t.same(patterns('傻逼'), [])
  t.same(patterns('2g1c'), [])
  t.same(patterns('fuck*'), [], 'a prefix pattern already matches every ending')
  t.same(patterns('*fuck*'), [])
})

t.test('the last word of a phrase, with the wildcard and the case kept', async (t) => {
  t.same(patterns('blow job')[0], 'blow jobs')
  t.same(patterns('g-spot')[0], 'g-spots')
  t.same(patterns('*hole').slice(0, 2), ['*holes', '*holed'])
  t.same(patterns(' Moby Dick ')[0], 'Moby Dicks')
  t.same(patterns('taste my'), [], 'a two-letter last word is left alone')
})
