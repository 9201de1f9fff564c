// The custom-elem plugin: every test file in test/plugins/custom-elem/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./custom-elem/', import.meta.url))
