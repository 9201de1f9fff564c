// The keyword-rewrite plugin: every test file in test/plugins/keyword-rewrite/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./keyword-rewrite/', import.meta.url))
