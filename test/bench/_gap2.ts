import { writeWordList } from './reload-load.js'
import { buildServer } from '../../server/app.js'
import { configSchema } from '../../server/config.js'
import { mkdtempSync } from 'node:fs'
const dir = mkdtempSync('/tmp/reload-exp/gap')
writeWordList(dir)
const config = configSchema.parse({ plugins: [{ use: 'profanity', options: { files: ['words.txt'], lists: [], forms: false } }] }) as any
const app = await buildServer(config, { baseDir: dir, logger: false, defaultMetrics: false })
const t0 = performance.now()
let last = performance.now(); const gaps: Array<[number, number]> = []
const iv = setInterval(() => { const now = performance.now(); if (now - last > 100) gaps.push([Math.round(last), Math.round(now - last)]); last = now }, 1)
console.log('reload start', Math.round(t0))
const r = await app.presend.reload()
console.log('reload end', Math.round(performance.now()), r.ok)
await new Promise((r) => setTimeout(r, 2000))
clearInterval(iv)
console.log(gaps)
await app.close()
