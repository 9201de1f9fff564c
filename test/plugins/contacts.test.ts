// The contacts plugin: every test file in test/plugins/contacts/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./contacts/', import.meta.url))
