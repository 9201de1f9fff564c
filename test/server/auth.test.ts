// Callback authentication: Tencent's Sign algorithm, the replay window and the SdkAppid check.
import t from 'tap'
import { checkAuth, computeSign } from '../../server/auth.js'

const token = 'xxxxyyyy'
const time = '1669872112'
const docSign = '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061'
const settings = { token, maxSkewSeconds: 60, sdkAppId: undefined }
const now = Number(time) + 5

t.test("computeSign reproduces Tencent's documented example", async (t) => {
  t.equal(computeSign(token, time), docSign)
  t.equal(computeSign(token, Number(time)), docSign, 'a number time signs the same')
})

t.test('a correct Sign within the window passes, lower or upper case', async (t) => {
  t.equal(checkAuth({ Sign: docSign, RequestTime: time }, settings, now), undefined)
  t.equal(checkAuth({ Sign: docSign.toUpperCase(), RequestTime: time }, settings, now), undefined)
  t.equal(checkAuth({ Sign: docSign, RequestTime: time }, settings, Number(time) - 60), undefined, '60 s early is still inside')
})

t.test('without a token or sdkAppId nothing is checked', async (t) => {
  t.equal(checkAuth({}, { token: undefined, maxSkewSeconds: 60, sdkAppId: undefined }), undefined)
})

t.test('missing Sign or RequestTime is 401 naming what is missing', async (t) => {
  t.match(checkAuth({}, settings, now), { statusCode: 401, code: 'PRESEND_UNAUTHORIZED', message: /^Sign and RequestTime missing/ })
  t.match(checkAuth({ RequestTime: time }, settings, now), { message: /^Sign missing/ })
  t.match(checkAuth({ Sign: docSign }, settings, now), { message: /^RequestTime missing/ })
  t.match(checkAuth({ Sign: [docSign, docSign], RequestTime: time }, settings, now), { message: /^Sign missing/ }, 'a repeated param is not a Sign')
})

t.test('a wrong Sign is 401', async (t) => {
  const wrong = computeSign('another-token', time)
  t.match(checkAuth({ Sign: wrong, RequestTime: time }, settings, now), { statusCode: 401, message: /Sign does not match/ })
  t.match(checkAuth({ Sign: 'abc', RequestTime: time }, settings, now), { message: /Sign does not match/ }, 'short')
  t.match(checkAuth({ Sign: 'z'.repeat(64), RequestTime: time }, settings, now), { message: /Sign does not match/ }, 'not hex')
  t.match(
    checkAuth({ Sign: computeSign(time, token), RequestTime: time }, settings, now),
    { message: /Sign does not match/ },
    'RequestTime + token (the wrong order) fails',
  )
})

t.test('a RequestTime that is not Unix seconds is 401', async (t) => {
  t.match(checkAuth({ Sign: docSign, RequestTime: '16698721.12' }, settings, now), { message: /^RequestTime "16698721.12" is not a Unix time/ })
})

t.test('a RequestTime too far from now is 401 saying by how much', async (t) => {
  t.match(checkAuth({ Sign: docSign, RequestTime: time }, settings, Number(time) + 61), {
    statusCode: 401,
    message: /RequestTime 1669872112 is 61 s from this server's clock \(at most 60 s allowed\)/,
  })
  t.match(checkAuth({ Sign: docSign, RequestTime: time }, settings, Number(time) - 120), { message: /is 120 s from/ })
  t.match(checkAuth({ Sign: docSign, RequestTime: time }, settings), { message: /s from this server's clock/ }, 'default clock: now')
})

t.test('sdkAppId: another app is 403, a missing one too', async (t) => {
  const s = { token: undefined, maxSkewSeconds: 60, sdkAppId: 1400000000 }
  t.equal(checkAuth({ SdkAppid: '1400000000' }, s), undefined)
  t.match(checkAuth({ SdkAppid: '888888' }, s), {
    statusCode: 403,
    code: 'PRESEND_FORBIDDEN_APP',
    message: 'SdkAppid "888888" is not this server\'s app (1400000000); check the callback URL in the console of that app.',
  })
  t.match(checkAuth({}, s), { statusCode: 403, message: /^SdkAppid is missing/ })
  t.match(checkAuth({ SdkAppid: '888888' }, { ...s, token }), { statusCode: 403 }, 'the app check comes first')
})
