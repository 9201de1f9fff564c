// The links plugin: every test file in test/plugins/links/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./links/', import.meta.url))
