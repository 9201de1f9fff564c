// Every plugin's test files (one folder each) in this one process (see test/folder.ts).
import { importTests } from './folder.js'

for (const name of ['contacts', 'custom-elem', 'duplicates', 'keyword-rewrite', 'links', 'profanity', 'rate-limit', 'strikes']) {
  await importTests(new URL(`./plugins/${name}/`, import.meta.url))
}
