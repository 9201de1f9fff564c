// The core's test files in this one process (see test/folder.ts): tap's per-process start costs more CPU than
// most of them take to run.
import { importTests } from './folder.js'

await importTests(new URL('./core/', import.meta.url), [
  'cloud-custom-data.test.ts', 'edits.test.ts', 'errors.test.ts', 'exports.test.ts', 'json-text.test.ts', 'mask.test.ts',
  'message.test.ts', 'pipeline.test.ts', 'plugin.test.ts', 'properties.test.ts', 'protocol.test.ts', 'regressions.test.ts',
  'requests.test.ts', 'safe-regex.test.ts', 'sharded-map.test.ts', 'slices.test.ts', 'slot-edits.test.ts', 'slots.test.ts',
])
await importTests(new URL('./core/matcher/', import.meta.url))
await importTests(new URL('./core/pipeline/', import.meta.url))
await importTests(new URL('./core/store/', import.meta.url))
await importTests(new URL('./core/terms/', import.meta.url))
await importTests(new URL('./core/testing/', import.meta.url))
await importTests(new URL('./core/text/', import.meta.url))
