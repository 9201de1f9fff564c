// The moderation console (server/console): every test file in test/server/console/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./console/', import.meta.url))
