// The console in a real browser (Debian's Chromium, driven by playwright-core): refused without the
// credential, signed in, a message tried with its hits marked and its trace, a batch, and a live decision
// arriving after a callback is posted over HTTP, then a full-page screenshot. The README's (docs/console.png) is
// written only on request, `PRESEND_UPDATE_SCREENSHOT=1 npx tap test/server/console/browser.test.ts`, so that
// `npm test` leaves the working tree as it found it.
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { configSchema, type PresendConfig } from '../../../server/config.js'
import { buildServer } from '../../../server/app.js'
import { c2cRequest } from '../../../core/testing/index.js'

const CHROMIUM = process.env.PRESEND_CHROMIUM ?? '/usr/bin/chromium'
const TOKEN = 'console-secret-1'
const README_SCREENSHOT = new URL('../../../docs/console.png', import.meta.url).pathname

t.test('the console in Chromium', async (t) => {
  t.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install -y chromium, or set PRESEND_CHROMIUM)`)
  const config = configSchema.parse({
    plugins: [
      { use: 'profanity', options: { lists: [], words: ['darn', 'heck'], action: 'mask' } },
      { use: 'links', options: { action: 'reject', info: 'No links, please' } },
      { use: 'keyword-rewrite', options: { preset: 'red-packet' } },
    ],
    logging: { messageText: true },
    console: { enabled: true, token: TOKEN },
  }) as PresendConfig
  const app = await buildServer(config, { logger: false, defaultMetrics: false })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

  const started = performance.now()
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
  page.setDefaultTimeout(5000)
  const problems: string[] = []
  page.on('console', (m) => {
    // The page's own 401 before sign-in is expected; anything else (a CSP violation, an error) is not.
    if (m.type() === 'error' && !/401/.test(m.text())) problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))

  await page.goto(`${base}/console`)
  await page.getByLabel('Console token').waitFor()
  t.equal(await page.evaluate(async () => (await fetch('api/meta')).status), 401, 'the API refuses without the credential')
  await page.getByLabel('Console token').fill('not-the-token')
  await page.keyboard.press('Enter')
  await page.getByRole('alert').filter({ hasText: 'not the console token' }).waitFor()
  t.ok(await page.locator('#app').isHidden(), 'a wrong token shows nothing of the console')

  await page.getByLabel('Console token').fill(TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('#app').waitFor()
  t.equal(await page.evaluate('document.activeElement?.id'), 'try-text', 'focus moves to the first field')
  await page.locator('#pipeline-list li').first().waitFor()
  t.same(await page.locator('#pipeline-list li strong').allTextContents(), ['profanity', 'links', 'keyword-rewrite'])

  await page.getByLabel('Message text').fill('send a red packet, darn it')
  await page.getByLabel('Group type').selectOption('Public')
  await page.getByLabel('Command', { exact: true }).first().selectOption('Group.CallbackBeforeSendMsg')
  await page.getByRole('button', { name: 'Try', exact: true }).click()
  await page.locator('#try-result mark').first().waitFor()
  t.same(await page.locator('#try-result mark').allTextContents(), ['red packet', 'darn'], 'each hit marked on the original text')
  t.match(await page.locator('#try-result mark').first().getAttribute('title'), /^keyword-rewrite: /)
  t.match(await page.locator('#try-result ins').allTextContents(), ['🧧, ****'], 'the delivered text, as a diff')
  t.equal(await page.locator('#try-result table').nth(1).locator('tbody tr').count(), 3, 'a trace row per plugin')
  t.equal(await page.locator('#try-result').getAttribute('aria-live'), 'polite')

  await page.getByLabel('Messages, one per line').fill('hello\ndarn\nsee spam.example.com\nheck')
  await page.getByRole('button', { name: 'Run batch' }).click()
  await page.getByText('4 messages: 1 refused, 0 dropped, 2 edited, 1 passed unchanged.').waitFor()

  await page.getByText(/^Connected/).waitFor()
  const posted = await fetch(`${base}/?CallbackCommand=C2C.CallbackBeforeSendMsg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(c2cRequest({ text: 'visit spam.example.com now' })),
  })
  t.match(await posted.json(), { ErrorCode: 1, ErrorInfo: 'No links, please' })
  const live = page.locator('#live-list li').first()
  await live.waitFor()
  t.match(await live.textContent(), /refused by links.*visit spam\.example\.com/)
  t.equal(await live.locator('mark').textContent(), 'spam.example.com')
  t.equal(await page.locator('#live-chart svg rect').count(), 1, 'the chart has its first bar')

  await page.locator('#try-text').focus()
  const screenshot = process.env.PRESEND_UPDATE_SCREENSHOT === '1' ? README_SCREENSHOT : `${t.testdir()}/console.png`
  await page.screenshot({ path: screenshot, fullPage: true })
  t.equal(readFileSync(screenshot).subarray(1, 4).toString(), 'PNG', 'the screenshot is a PNG')
  t.same(problems, [], 'no script errors and no policy violations')
  t.comment(`browser part: ${Math.round(performance.now() - started)} ms`)
})
