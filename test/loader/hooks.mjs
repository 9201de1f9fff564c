// Module hooks for the test run. A `.ts` file of this repository keeps its own URL (so `import.meta.url`,
// fixture paths and coverage name the source file) but its code is the JavaScript tsc emitted for it — into
// dist/ for presend's own code (`npm run build`, the package users get), into .build/ for the tests
// (`npm run typecheck`) — with tsc's source map inlined and pointed at the source. `./x.js` imports resolve to
// `./x.ts`, as TypeScript's nodenext resolution does.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const rootUrl = pathToFileURL(root).href
const buildUrl = new URL('.build/', rootUrl).href
const distUrl = new URL('dist/', rootUrl).href

/** A repository source file, as opposed to a dependency or the build output. */
function isOwnSource(url) {
  return url.startsWith(rootUrl) && !url.startsWith(buildUrl) && !url.startsWith(distUrl) && !url.includes('/node_modules/')
}

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL
  const relative = specifier.startsWith('./') || specifier.startsWith('../')
  // Absolute file URLs come from tap's mockImport, which names the module as the test wrote it (`x.js`).
  if ((relative && parent !== undefined && isOwnSource(parent)) || specifier.startsWith(rootUrl)) {
    // A module tap's mockImport loaded resolves its imports through tap's mock hook first, which matches
    // them against the mocks by the name the test wrote (`x.js`) and hands back what it does not mock.
    if (parent?.includes('tapmock=')) {
      try {
        return await nextResolve(specifier, context)
      } catch {}
    }
    const url = new URL(specifier, parent)
    if (url.pathname.endsWith('.js') && isOwnSource(url.href)) {
      const ts = new URL(url)
      ts.pathname = url.pathname.slice(0, -3) + '.ts'
      if (existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true }
    }
  }
  return nextResolve(specifier, context)
}

export async function load(url, context, nextLoad) {
  const path = url.split('?')[0]
  if (!path.endsWith('.ts') || !isOwnSource(path)) return nextLoad(url, context)
  const file = path.slice(rootUrl.length, -3)
  const isTest = file.startsWith('test/')
  const built = new URL((isTest ? buildUrl : distUrl) + file + '.js')
  let code
  try {
    code = readFileSync(built, 'utf8')
  } catch {
    const emits = isTest ? '`npm run typecheck` (it builds dist/ and emits the tests into .build/)' : '`npm run build` (it emits dist/)'
    throw new Error(`${fileURLToPath(path)} has no compiled output at ${fileURLToPath(built)}: run ${emits} before running tests directly with tap.`)
  }
  const mapAt = code.lastIndexOf('\n//# sourceMappingURL=')
  if (mapAt !== -1) {
    const map = JSON.parse(readFileSync(new URL(built.href + '.map'), 'utf8'))
    map.sources = [path]
    delete map.sourceRoot
    code = code.slice(0, mapAt) + '\n//# sourceMappingURL=data:application/json;base64,' + Buffer.from(JSON.stringify(map)).toString('base64') + '\n'
  }
  return { format: 'module', source: code, shortCircuit: true }
}
