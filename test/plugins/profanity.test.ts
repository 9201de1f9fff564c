// The profanity plugin: every test file in test/plugins/profanity/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./profanity/', import.meta.url))
