// The text normalisation (core/text): every test file in test/core/text/ in this one process (see test/folder.ts).
import { importTests } from '../folder.js'

await importTests(new URL('./text/', import.meta.url))
