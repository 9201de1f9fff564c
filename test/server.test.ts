// The server's small in-process test files, each well under a second, in this one process (see test/folder.ts).
import { importTests } from './folder.js'

await importTests(new URL('./server/', import.meta.url), [
  'body-parser.test.ts', 'exports.test.ts', 'json-syntax.test.ts', 'metrics.test.ts', 'redact.test.ts', 'request-logger.test.ts',
  'resolve.test.ts',
])
