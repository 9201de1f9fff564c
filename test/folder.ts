// One test process for several test files of one module: tap starts a process per file, and each start costs
// about a second of CPU (tap, its plugins and the module hooks), more than many small files take to run. A
// file imports a folder's `*.test.ts` files with this (or named files of it): `test/x.test.ts` those of
// `test/x/`, and test/core.test.ts, test/plugins.test.ts, test/server.test.ts, test/reliability.test.ts and
// test/reliability-load.test.ts (the uncounted ones) those of whole trees; package.json "tap"."exclude" keeps
// tap from starting those files again on their own. Each still runs alone as before (`npx tap test/x/y.test.ts`,
// or a folder's files: `npx tap test/core/text/*.test.ts`; tap finds none from the folder name alone, since the
// exclude list names them). An imported file must not
// await a root subtest at its top level, nor import others itself (`importTests` awaits one): the root test
// runs its subtests one at a time and is busy importing that file, so the await would never end.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** package.json's `tap.exclude`: the files tap must not start on their own, since a group imports them. */
const EXCLUDED: readonly string[] = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { tap: { exclude: string[] } }).tap.exclude

/** Whether `file` (relative to the checkout) is excluded by name or by its folder's `*.test.ts`. */
function excluded(file: string): boolean {
  return EXCLUDED.includes(file) || EXCLUDED.includes(`${path.posix.dirname(file)}/*.test.ts`)
}

/**
 * Import every `*.test.ts` file in `folder`, in name order: each registers its subtests on the importing
 * file's root test, as if written there; they run after the imports. The imports run inside a subtest,
 * which keeps the root test busy: a file that adds a root teardown makes tap end the root test as soon as
 * it is idle, which would drop the subtests of the files still being imported.
 * @example await importTests(new URL('./text/', import.meta.url))
 * @example await importTests(new URL('./', import.meta.url), ['config-default.test.ts'])
 */
export async function importTests(folder: URL, only?: readonly string[]): Promise<void> {
  const names = readdirSync(folder).filter((name) => name.endsWith('.test.ts') && (only === undefined || only.includes(name))).sort()
  await t.test(`import the test files of ${folder.pathname.replace(/.*\/test\//, 'test/')}`, async (t) => {
    t.equal(names.length, only?.length ?? names.length, `every file named is there: ${only?.join(', ') ?? 'all'}`)
    t.not(names.length, 0, 'the folder has test files (or the file that imports it should go)')
    for (const name of names) {
      const file = `${folder.pathname.replace(/.*\/test\//, 'test/')}${name}`
      // Else tap also starts it as a process of its own, and it runs twice.
      t.ok(excluded(file), `${file} is in package.json's "tap"."exclude" (by name or its folder's *.test.ts)`)
      await import(new URL(name, folder).href)
    }
  })
}
