// The stores (core/store): memory, breaker, Redis: every test file in test/core/store/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./store/', import.meta.url))
