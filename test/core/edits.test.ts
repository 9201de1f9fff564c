// Applying edits: spans in original coordinates, grapheme safety, overlaps, element order, every invalid edit.
import t from 'tap'
import { applyEdits, GraphemeSnapper, InvalidEditError, isPlainSpan, snapToGraphemes } from '../../core/edits.js'
import {
  appendElement,
  customElement,
  insertElement,
  removeElement,
  replaceText,
  setCloudCustomData,
  textElement,
  type Edit,
} from '../../core/plugin.js'
import type { MsgElement } from '../../core/protocol/index.js'
import { deepFreeze } from '../../core/testing/index.js'

// Each element's text, a custom element's Data, or else its MsgType: enough to read an order at a glance.
const texts = (body: readonly MsgElement[]) =>
  body.map((e) => (e.MsgContent as { Text?: string; Data?: string } | undefined)?.Text ?? (e.MsgContent as { Data?: string } | undefined)?.Data ?? e.MsgType)
const one = (text: string, edits: Edit[]) => applyEdits(deepFreeze([textElement(text)]), undefined, edits)
const textOf = (r: { body: readonly MsgElement[] }) => (r.body[0]?.MsgContent as { Text: string } | undefined)?.Text

t.test('a span is replaced in original coordinates', async (t) => {
  const r = one('hello darn world', [replaceText(0, 6, 10, '****')])
  t.equal(textOf(r), 'hello **** world')
  t.equal(r.bodyChanged, true)
  t.equal(r.cloudCustomDataChanged, false)
  t.same(r.changes, ['element 0: replaced [6, 10)'])
})

t.test('several spans in one element all use the original offsets', async (t) => {
  // Listed out of order and with different lengths: later offsets must not shift.
  const r = one('aa bb cc dd', [replaceText(0, 9, 11, 'DDDD'), replaceText(0, 0, 2, ''), replaceText(0, 3, 5, 'B')])
  t.equal(textOf(r), ' B cc DDDD')
  t.same(r.changes, ['element 0: replaced [0, 2)', 'element 0: replaced [3, 5)', 'element 0: replaced [9, 11)'])
})

t.test('spans in different elements keep other elements and fields', async (t) => {
  const body = deepFreeze([
    { MsgType: 'TIMTextElem', MsgContent: { Text: 'one', Extra: 1 }, Outer: 'kept' },
    customElement({ Data: 'd' }),
    textElement('three'),
  ])
  const r = applyEdits(body, 'cdd', [replaceText(2, 0, 5, '3'), replaceText(0, 0, 3, '1')])
  t.same(r.body, [
    { MsgType: 'TIMTextElem', MsgContent: { Text: '1', Extra: 1 }, Outer: 'kept' },
    customElement({ Data: 'd' }),
    textElement('3'),
  ])
  t.equal(r.body[1], body[1], 'untouched elements are the same objects')
  t.equal(r.cloudCustomData, 'cdd')
})

t.test('overlapping spans: the one that starts first wins, deterministically', async (t) => {
  const a = one('0123456789', [replaceText(0, 3, 8, 'B'), replaceText(0, 0, 5, 'A')])
  t.equal(textOf(a), 'A56789', 'the later-starting overlapping span is dropped, whatever the listing order')
  t.same(a.changes, ['element 0: replaced [0, 5)'])
  const b = one('0123456789', [replaceText(0, 0, 5, 'long'), replaceText(0, 0, 3, 'short')])
  t.equal(textOf(b), 'short3456789', 'same start: the shorter span sorts first and wins')
  const c = one('0123456789', [replaceText(0, 2, 4, 'X'), replaceText(0, 2, 4, 'Y')])
  t.equal(textOf(c), '01X456789', 'identical spans: the one listed first wins')
  const d = one('0123456789', [replaceText(0, 2, 4, 'X'), replaceText(0, 4, 6, 'Y')])
  t.equal(textOf(d), '01XY6789', 'touching spans do not overlap')
  for (let i = 0; i < 5; i++) t.equal(textOf(one('0123456789', [replaceText(0, 3, 8, 'B'), replaceText(0, 0, 5, 'A')])), 'A56789')
})

t.test('zero-length spans insert', async (t) => {
  t.equal(textOf(one('hello', [replaceText(0, 0, 0, '>> ')])), '>> hello', 'at the start')
  t.equal(textOf(one('hello', [replaceText(0, 5, 5, '!')])), 'hello!', 'at the end')
  t.equal(textOf(one('hello', [replaceText(0, 2, 2, '-'), replaceText(0, 2, 2, '+')])), 'he-+llo', 'two at one point, in listed order')
  t.equal(textOf(one('hello', [replaceText(0, 0, 0, '['), replaceText(0, 0, 5, 'HI')])), '[HI', 'an insertion before a replacement at the same start')
  t.equal(textOf(one('hello', [replaceText(0, 0, 5, 'HI'), replaceText(0, 5, 5, ']')])), 'HI]', 'an insertion at a replacement\'s end')
  t.equal(textOf(one('hello', [replaceText(0, 0, 5, 'HI'), replaceText(0, 2, 2, 'x')])), 'HI', 'an insertion inside a replaced span is dropped')
  t.equal(textOf(one('', [replaceText(0, 0, 0, 'filled')])), 'filled', 'into an empty text')
})

t.test('spans never split a grapheme cluster: they widen to its boundaries', async (t) => {
  const cases: Array<[string, string, number, number, string, [number, number]]> = [
    // [what, text, start, end, expected text after replacing with '*', snapped span]
    ['half a surrogate pair (start)', 'a😀b', 2, 3, 'a*b', [1, 3]],
    ['half a surrogate pair (end)', 'a😀b', 0, 2, '*b', [0, 3]],
    ['inside a ZWJ family', 'x👨‍👩‍👧y', 3, 5, 'x*y', [1, 9]],
    ['half a flag', 'a🇯🇵b', 3, 4, 'a*b', [1, 5]],
    ['a skin-tone modifier alone', '👍🏽!', 2, 4, '*!', [0, 4]],
    ['a combining mark alone', 'cafe\u0301!', 4, 5, 'caf*!', [3, 5]],
    ['a Hangul syllable in jamo', '\u1100\u1161\u11a8x', 1, 2, '*x', [0, 3]],
  ]
  for (const [what, text, start, end, expected, snapped] of cases) {
    t.same(snapToGraphemes(text, start, end), snapped, `${what}: snapped`)
    const r = one(text, [replaceText(0, start, end, '*')])
    t.equal(textOf(r), expected, what)
    t.ok(r.body.every((e) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(textOf({ body: [e] }) ?? '')), `${what}: no lone surrogate`)
  }
})

t.test('an insertion inside a cluster moves to the cluster start and replaces nothing', async (t) => {
  t.same(snapToGraphemes('a😀b', 2, 2), [1, 1])
  t.equal(textOf(one('a😀b', [replaceText(0, 2, 2, 'X')])), 'aX😀b')
  t.equal(textOf(one('👨‍👩‍👧', [replaceText(0, 5, 5, '[')])), '[👨‍👩‍👧')
  t.equal(textOf(one('🇯🇵', [replaceText(0, 2, 2, '[')])), '[🇯🇵')
})

t.test('snapToGraphemes leaves boundaries and the ends of the text alone', async (t) => {
  t.same(snapToGraphemes('a😀b', 0, 4), [0, 4])
  t.same(snapToGraphemes('a😀b', 1, 3), [1, 3])
  t.same(snapToGraphemes('abc', 3, 3), [3, 3])
  t.same(snapToGraphemes('abc', 0, 0), [0, 0])
  t.same(snapToGraphemes('', 0, 0), [0, 0])
})

t.test('boundaries that need no segmenter, and the ones that do', async (t) => {
  t.same(snapToGraphemes('x😀bad', 3, 6), [3, 6], 'a plain letter after an emoji starts a cluster')
  t.same(snapToGraphemes('a\u0600b', 2, 3), [1, 3], 'after a Prepend character it does not')
  t.same(snapToGraphemes('a\u{110BD}b', 3, 4), [1, 4], 'nor after an astral Prepend character')
  t.same(snapToGraphemes('👨\u200d©x', 3, 4), [0, 4], '© after a zero-width joiner joins the emoji')
  t.same(snapToGraphemes('e\u0301©x', 2, 3), [2, 3], '© after a combining mark is looked up, and starts a cluster')
  t.same(snapToGraphemes('bad\u0301!', 0, 3), [0, 4], 'a span ending before a combining mark takes it')
  t.ok(isPlainSpan('a笨蛋b', 1, 3), 'Chinese between letters: a cluster per unit')
  t.notOk(isPlainSpan('a笨蛋\u0301', 1, 3), 'not when a combining mark follows')
})

t.test('one GraphemeSnapper walks a text forward once, and still answers a query behind it', async (t) => {
  const text = 'e\u0301'.repeat(4) + 'ab' + '👍🏽'.repeat(3)
  const snapper = new GraphemeSnapper(text)
  t.same(snapper.snap(1, 3), [0, 4])
  t.same(snapper.snap(5, 7), [4, 8], 'further on in the same window')
  t.same(snapper.snap(11, 12), [10, 14], 'in the next window')
  t.same(snapper.snap(13, 13), [10, 10], 'an insertion moves to its cluster start')
  t.same(snapper.snap(3, 4), [2, 4], 'behind the last query: a window afresh')
  t.same(snapper.snap(8, 10), [8, 10], 'plain boundaries need no window')
})

t.test('a long stretch without a plain boundary is segmented a window at a time, with the same clusters', async (t) => {
  // Full-width digits and spaces, emoji with skin tones, combining marks: no boundary the snapper can see
  // without the segmenter, for many windows' length.
  const text = '１３８\u3000👍🏽e\u0301'.repeat(800)
  const truth: Array<[number, number]> = []
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    for (let i = index; i < index + segment.length; i++) truth[i] = [index, index + segment.length]
  }
  const snapper = new GraphemeSnapper(text)
  let wrong = 0
  for (let i = 1; i < text.length; i += 7) {
    const [s, e] = snapper.snap(i, i + 1)
    const want = truth[i] as [number, number]
    if (s !== want[0] || e !== (truth[i + 1]?.[0] === i + 1 ? i + 1 : (truth[i] as [number, number])[1])) wrong++
  }
  t.equal(wrong, 0, 'every query answered as the segmenter does over the whole text')
  // One cluster longer than several windows (a letter and 5000 combining marks), asked in its middle.
  const giant = `x${'a\u0301'.repeat(2)}${'\u0301'.repeat(5000)}y`
  t.same(new GraphemeSnapper(giant).snap(2500, 2501), [3, giant.length - 1])
  // Linear: 4× such a text costs a small multiple of the time, where one walk over it grew with its square.
  const timeOf = (n: number): number => {
    const long = '１３８\u3000'.repeat(n)
    const started = performance.now()
    const s = new GraphemeSnapper(long)
    for (let i = 1; i < long.length; i += 4) s.snap(i, i + 1)
    return performance.now() - started
  }
  timeOf(2000)
  // Fewest of five, and 12× against the 16× of a square: other work on the machine stretches single runs.
  const fewest = (n: number): number => Math.min(...Array.from({ length: 5 }, () => timeOf(n)))
  const small = fewest(3000)
  const large = fewest(12000)
  t.ok(large / small <= 12, `4× the text took ${(large / small).toFixed(1)}× the time (${large.toFixed(1)} / ${small.toFixed(1)} ms)`)
})

t.test('many spans over a long text are applied in one pass with the same result as one at a time', async (t) => {
  const text = 'x😀 darn\u0301 ok '.repeat(200)
  const edits = Array.from({ length: 200 }, (_, i) => replaceText(0, i * 13 + 4, i * 13 + 8, '****'))
  t.equal(textOf(one(text, edits.reverse())), 'x😀 **** ok '.repeat(200))
})

t.test('overlaps created by snapping are dropped too', async (t) => {
  // [1,2) and [2,3) do not overlap as given, but both widen to the whole emoji at [1,3).
  const r = one('a😀b', [replaceText(0, 1, 2, 'X'), replaceText(0, 2, 3, 'Y')])
  t.equal(textOf(r), 'aXb')
})

t.test('remove, insert and append keep a defined order', async (t) => {
  const body = deepFreeze([textElement('A'), customElement({ Data: 'B' }), textElement('C')])
  const W = textElement('W')
  const X = { MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } }
  const Y = textElement('Y')
  const Z = { MsgType: 'TIMFutureElem', Anything: true }
  const r = applyEdits(body, undefined, [appendElement(Z), removeElement(1), insertElement(1, X), insertElement(3, Y), insertElement(0, W)])
  t.same(texts(r.body), ['W', 'A', 'TIMFaceElem', 'C', 'Y', 'TIMFutureElem'])
  t.equal(r.body[5], Z, 'unknown elements are inserted as given')
  t.same(r.changes, ['appended TIMFutureElem', 'element 1: removed', 'inserted TIMFaceElem at 1', 'inserted TIMTextElem at 3', 'inserted TIMTextElem at 0'])
  const two = applyEdits(body, undefined, [insertElement(1, W), insertElement(1, Y), appendElement(X), appendElement(Z)])
  t.same(texts(two.body), ['A', 'W', 'Y', 'B', 'C', 'TIMFaceElem', 'TIMFutureElem'], 'several at one place keep listed order')
  t.same(texts(applyEdits(body, undefined, [removeElement(0), replaceText(0, 0, 1, 'Q')]).body), ['B', 'C'], 'a removed element is not edited')
  t.same(texts(applyEdits(body, undefined, [removeElement(2), removeElement(2)]).body), ['A', 'B'], 'removing twice removes once')
  t.same(texts(applyEdits([], undefined, [insertElement(0, W), appendElement(Y)]).body), ['W', 'Y'], 'into an empty body')
})

t.test('a text element emptied by edits is removed', async (t) => {
  const body = deepFreeze([textElement('gone'), customElement({ Data: 'd' }), textElement('stays')])
  const r = applyEdits(body, undefined, [replaceText(0, 0, 4, '')])
  t.same(texts(r.body), ['d', 'stays'])
  t.same(r.changes, ['element 0: replaced [0, 4)', 'element 0: emptied, removed'])
  const all = applyEdits(deepFreeze([textElement('ab')]), undefined, [replaceText(0, 0, 1, ''), replaceText(0, 1, 2, '')])
  t.same(all.body, [])
  t.equal(all.bodyChanged, true)
})

t.test('an edit that changes nothing leaves the body as it was', async (t) => {
  const body = deepFreeze([textElement('same')])
  const r = applyEdits(body, 'c', [replaceText(0, 0, 4, 'same')])
  t.equal(r.body, body, 'the same array')
  t.equal(r.bodyChanged, false)
  const none = applyEdits(body, 'c', [])
  t.equal(none.body, body)
  t.same(none.changes, [])
  const emptyText = applyEdits(deepFreeze([textElement('')]), undefined, [replaceText(0, 0, 0, '')])
  t.equal(emptyText.bodyChanged, false, 'an empty insertion into an empty text is no change (and no drop)')
})

t.test('CloudCustomData set, set twice, set back', async (t) => {
  const body = deepFreeze([textElement('x')])
  const set = applyEdits(body, 'old', [setCloudCustomData('new')])
  t.equal(set.cloudCustomData, 'new')
  t.equal(set.cloudCustomDataChanged, true)
  t.equal(set.bodyChanged, false)
  t.equal(set.body, body)
  t.same(set.changes, ['CloudCustomData replaced'])
  const fromNone = applyEdits(body, undefined, [setCloudCustomData('')])
  t.equal(fromNone.cloudCustomData, '')
  t.equal(fromNone.cloudCustomDataChanged, true, 'absent → empty string is a change')
  const same = applyEdits(body, 'old', [setCloudCustomData('old')])
  t.equal(same.cloudCustomDataChanged, false)
  t.same(same.changes, [], 'setting the current value records nothing')
  const back = applyEdits(body, 'old', [setCloudCustomData('new'), setCloudCustomData('old')])
  t.equal(back.cloudCustomData, 'old')
  t.equal(back.cloudCustomDataChanged, false, 'set and set back is no change')
  const twice = applyEdits(body, 'old', [setCloudCustomData('a'), setCloudCustomData('b')])
  t.equal(twice.cloudCustomData, 'b', 'the last set wins')
  t.equal(twice.cloudCustomDataChanged, true)
})

t.test('every invalid edit throws an InvalidEditError that says why', async (t) => {
  const body = deepFreeze([textElement('hello'), customElement({ Data: 'd' }), { MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }])
  const bad: Array<[string, unknown, RegExp]> = [
    ['a span in a missing element', replaceText(7, 0, 1, 'x'), /replace-text names element 7, which is not a text element/],
    ['a span in a negative element', replaceText(-1, 0, 1, 'x'), /element -1/],
    ['a span in a fractional element', replaceText(0.5, 0, 1, 'x'), /element 0\.5/],
    ['a span in a string index', { op: 'replace-text', element: '0', start: 0, end: 1, text: 'x' }, /element 0, which is not/],
    ['a span in a custom element', replaceText(1, 0, 1, 'x'), /element 1, which is not a text element/],
    ['a span in a malformed text element', replaceText(2, 0, 1, 'x'), /element 2, which is not a text element/],
    ['a start past the text', replaceText(0, 6, 6, 'x'), /span \[6, 6\) outside its 5-unit text/],
    ['an end past the text', replaceText(0, 0, 6, 'x'), /span \[0, 6\)/],
    ['a negative start', replaceText(0, -1, 2, 'x'), /span \[-1, 2\)/],
    ['an end before the start', replaceText(0, 3, 2, 'x'), /span \[3, 2\)/],
    ['a fractional offset', replaceText(0, 1.5, 2, 'x'), /span \[1\.5, 2\)/],
    ['a missing end', { op: 'replace-text', element: 0, start: 1, text: 'x' }, /span \[1, undefined\)/],
    ['a replacement that is not a string', { op: 'replace-text', element: 0, start: 0, end: 1, text: 5 }, /not a string/],
    ['removing a missing element', removeElement(3), /remove-element names element 3; the message has 3/],
    ['removing a negative element', removeElement(-1), /remove-element names element -1/],
    ['inserting past the end', insertElement(4, textElement('x')), /insert-element at 4 needs a position from 0 to 3/],
    ['inserting at a negative position', insertElement(-1, textElement('x')), /insert-element at -1/],
    ['inserting a non-element', { op: 'insert-element', at: 0, value: { MsgContent: {} } }, /an element with a MsgType/],
    ['inserting null', { op: 'insert-element', at: 0, value: null }, /an element with a MsgType/],
    ['appending a non-element', { op: 'append-element', value: 'text' }, /append-element needs an element with a MsgType/],
    ['appending an element with a numeric MsgType', { op: 'append-element', value: { MsgType: 1 } }, /append-element needs/],
    ['a non-string CloudCustomData', { op: 'set-cloud-custom-data', value: 1 }, /set-cloud-custom-data needs a string value/],
    ['an unknown op', { op: 'rename' }, /^"rename" is not an edit; build edits with replaceText/],
    ['an edit without op', { element: 0 }, /^undefined is not an edit/],
    ['null', null, /^undefined is not an edit/],
    ['undefined', undefined, /^undefined is not an edit/],
  ]
  for (const [what, e, message] of bad) {
    t.throws(() => applyEdits(body, undefined, [e as Edit]), { name: 'InvalidEditError', message }, what)
  }
  try {
    applyEdits(body, undefined, [removeElement(9)])
  } catch (err) {
    t.ok(err instanceof InvalidEditError && err instanceof Error)
  }
  t.throws(() => applyEdits([], undefined, [removeElement(0)]), { message: /the message has 0/ }, 'nothing to remove in an empty body')
})
