import t from 'tap'
import { compileTerms } from '../../../core/terms.js'
import { createNoiseFinder, denoise, MIN_NOISED_LETTERS, noisedTokens } from '../../../plugins/profanity/noise.js'

const tokens = (text: string, min = MIN_NOISED_LETTERS): string[] => {
  const out: string[] = []
  noisedTokens(text, (s, e, letters) => out.push(`${text.slice(s, e)}=${letters}`), 2 * min - 1)
  return out
}

t.test('denoise: one filler between every two letters, none at the ends, no letter equal to it', async (t) => {
  t.equal(denoise('fxuxcxk', 0, 7), 'fuck')
  t.equal(denoise('a sxhxixt', 2, 9), 'shit')
  t.equal(denoise('bananas', 0, 7), 'bnns', 'the shape alone: the term list decides')
  t.equal(denoise('fxuxcxkx', 0, 8), undefined, 'even length: a filler at an end')
  t.equal(denoise('fxuxcxk', 0, 5), undefined, 'shorter than the minimum')
  t.equal(denoise('fxuxcxk', 0, 5, 5), 'fuc', 'the minimum is a parameter')
  t.equal(denoise('fxuycxk', 0, 7), undefined, 'two fillers')
  t.equal(denoise('axbxxxc', 0, 7), undefined, 'a letter is the filler')
})

t.test('noisedTokens: whole ASCII words of the shape, in text order', async (t) => {
  t.same(tokens('what the fxuxcxk, sxhxixt! f2u2c2k'), ['fxuxcxk=fuck', 'sxhxixt=shit', 'f2u2c2k=fuck'])
  t.same(tokens('bananas and a caravan'), ['bananas=bnns', 'caravan=crvn'], 'the shape alone')
  t.same(tokens('éfxuxcxk fxuxcxké fxuxcxk9 9fxuxcxk'), [], 'a letter or number of a spaced script next to it: part of a longer word')
  t.same(tokens('你fxuxcxk傻'), ['fxuxcxk=fuck'], 'a Chinese character next to it is a boundary')
  t.same(tokens('fxuxcx axbxcxd fxuxcxkxe exexexe the'), ['axbxcxd=abcd', 'fxuxcxkxe=fucke', 'exexexe=eeee'])
  t.same(tokens('axsxs'), [], 'three letters are below the minimum')
  t.same(tokens('axsxs', 3), ['axsxs=ass'])
  t.same(tokens(''), [])
})

t.test('createNoiseFinder: hits for tokens whose letters are a term, whole, in original coordinates', async (t) => {
  const terms = compileTerms([{ pattern: 'fuck', data: 'f' }, { pattern: '*shit*', data: 's' }, { pattern: 'darn' }])
  const find = createNoiseFinder(terms)
  const run = (text: string): Array<[string, string, unknown]> => find(text, terms.find(text)).map((h) => [text.slice(h.start, h.end), h.pattern, h.data])

  t.same(run('what the fxuxcxk'), [['fxuxcxk', 'fuck', 'f']])
  t.same(run('FxUxCxK Ｆ２Ｕ２Ｃ２Ｋ f x u x c x k'), [['FxUxCxK', 'fuck', 'f'], ['Ｆ２Ｕ２Ｃ２Ｋ', 'fuck', 'f'], ['f x u x c x k', 'fuck', 'f']], 'normalised first, mapped back')
  t.same(run('sxhxixtxs darn'), [['sxhxixtxs', '*shit*', 's'], ['darn', 'darn', undefined]], 'a wildcard covering the letters; in text order')
  t.same(run('fxuxcxkxo'), [], 'the letters must be the term whole: "fucko" is not `fuck`')
  t.same(run('bananas caravan bikinis'), [], 'everyday words of the shape spell no term')
  t.same(run('no tokens of the shape here'), [])

  // A token a hit already covers is left to it.
  const wild = compileTerms([{ pattern: '*xux*' }, { pattern: 'fuck' }])
  const findWild = createNoiseFinder(wild)
  const text = 'fxuxcxk'
  t.same(findWild(text, wild.find(text)).map((h) => h.pattern), ['*xux*'])
})

t.test('createNoiseFinder: the same normaliser switches as the term list', async (t) => {
  const terms = compileTerms([{ pattern: 'fuck' }], { normalize: { caseFold: false } })
  const find = createNoiseFinder(terms, { caseFold: false })
  t.same(find('FxUxCxK fxuxcxk', terms.find('FxUxCxK fxuxcxk')).map((h) => h.start), [8])
})
