// The small plugins' test files (one folder each), in this one process (see test/folder.ts).
import { importTests } from './folder.js'

await importTests(new URL('./plugins/duplicates/', import.meta.url))
await importTests(new URL('./plugins/rate-limit/', import.meta.url))
await importTests(new URL('./plugins/strikes/', import.meta.url))
