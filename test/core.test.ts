// The core's test files in this one process (see test/folder.ts): tap's per-process start costs more CPU than
// most of them take to run.
import { importTests } from './folder.js'

for (const folder of ['./core/', './core/matcher/', './core/pipeline/', './core/store/', './core/terms/', './core/testing/', './core/text/']) {
  await importTests(new URL(folder, import.meta.url))
}
