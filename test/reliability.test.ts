// The reliability tests that record coverage, in this one process (see test/folder.ts): connection limits,
// a stalled client and a shutdown during a stalled upload, each on its own server over loopback. The load, fuzz
// and process tests run as processes of their own, without coverage (test/coverage-map.mjs).
import { importTests } from './folder.js'

await importTests(new URL('./reliability/', import.meta.url), ['connection-limits.test.ts', 'shutdown-stalled-upload.test.ts', 'stalled-client.test.ts'])
