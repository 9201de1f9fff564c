// The reliability tests that prove behaviour under load, by fuzzing and against abuse, in this one process (see
// test/folder.ts). Like their files alone, it records no coverage (test/coverage-map.mjs): V8's counters slow
// their hot loops, and the unit tests cover the same lines.
import { importTests } from './folder.js'

await importTests(new URL('./reliability/', import.meta.url), [
  'abuse.test.ts', 'faults-under-load.test.ts', 'fuzz-builtins.test.ts', 'fuzz-route.test.ts', 'linear-time.test.ts',
  'reload-under-load.test.ts', 'shutdown-under-load.test.ts',
])
