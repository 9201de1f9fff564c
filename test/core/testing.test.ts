// The plugin test kit (core/testing): every test file in test/core/testing/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./testing/', import.meta.url))
