// The term matcher (core/matcher): every test file in test/core/matcher/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./matcher/', import.meta.url))
