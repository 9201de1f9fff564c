// The import graph of the shipped code (core/, plugins/, server/), read from each file's text: no import
// cycles (type-only imports included: a cycle of types is still two files that cannot be read one without
// the other), and the layering server -> plugins -> core, with no plugin importing another plugin's folder.
import t from 'tap'
import ts from 'typescript'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TREES = ['core', 'plugins', 'server']

/** One import or export-from of a file: the specifier as written, and the repo file it names (relative specifiers only). */
interface Import {
  readonly specifier: string
  readonly target: string | undefined
}

type Graph = ReadonlyMap<string, readonly Import[]>

/** Every .ts file under `dir`, as a repo-relative path with forward slashes. */
function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`)
    .sort()
}

/**
 * The imports of one file: static imports and export-froms (type-only ones too), `import('…')` and
 * `require('…')` with a literal, found by TypeScript's own pre-processor, which skips comments and strings.
 */
function importsOf(file: string, text: string): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { specifier, target: undefined }
    const target = path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts')
    return { specifier, target }
  })
}

function graphOf(files: Readonly<Record<string, string>>): Graph {
  return new Map(Object.entries(files).map(([file, text]) => [file, importsOf(file, text)]))
}

const edge = (file: string, i: Import): string => `${file} imports '${i.specifier}'`

/**
 * One sentence per cycle: each strongly connected group of files (Tarjan), shown as one closed path
 * through it, every step naming the file and the import that makes it.
 */
function cycles(graph: Graph): string[] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const groups: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const { target: w } of graph.get(v)!) {
      if (w === undefined || !graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const group: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      group.push(w)
    } while (w !== v)
    if (group.length > 1 || graph.get(v)!.some((i) => i.target === v)) groups.push(group.sort())
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return groups.map((group) => {
    const members = new Set(group)
    // Breadth-first from the group's first file back to it, inside the group: the shortest cycle through it.
    const start = group[0]!
    const via = new Map<string, [string, Import]>()
    const queue = [start]
    let closing: [string, Import] | undefined
    while (closing === undefined) {
      const v = queue.shift()!
      for (const i of graph.get(v)!) {
        if (i.target === start) {
          closing = [v, i]
          break
        }
        if (i.target === undefined || !members.has(i.target) || via.has(i.target)) continue
        via.set(i.target, [v, i])
        queue.push(i.target)
      }
    }
    const steps: string[] = []
    for (let step: [string, Import] | undefined = closing; step !== undefined; step = via.get(step[0])) steps.unshift(edge(...step))
    return `import cycle: ${steps.join(', then ')}. Move the shared types or code to a module both can import, or pass it in.`
  })
}

/** The top folder a file's layer is named by, and its plugin folder when in plugins/. */
function place(file: string): { tree: string; plugin: string | undefined } {
  const [tree, second, third] = file.split('/')
  return { tree: tree!, plugin: tree === 'plugins' && third !== undefined ? second : undefined }
}

/** The package entry points by name: code inside the package imports the module itself instead. */
const SELF = /^presend(?:\/(?:plugins|server|testing))?$/

/**
 * One sentence per import that breaks the layering: core imports only core; a plugin imports core and its
 * own folder (plugins/index.ts, which lists them all, any plugin); server imports core, plugins and server.
 * Nothing imports a file outside those trees, a file that does not exist, or the package's main entry.
 */
function layering(graph: Graph): string[] {
  const allowed: Record<string, readonly string[]> = { core: ['core'], plugins: ['core', 'plugins'], server: ['core', 'plugins', 'server'] }
  const out: string[] = []
  for (const [file, imports] of graph) {
    const from = place(file)
    for (const i of imports) {
      if (i.target === undefined) {
        if (SELF.test(i.specifier)) out.push(`${edge(file, i)}: code inside presend imports the module that defines a name, not the package entry.`)
        continue
      }
      const to = place(i.target)
      if (!existsSync(path.join(ROOT, i.target))) out.push(`${edge(file, i)}, which names no file (${i.target}).`)
      else if (!TREES.includes(to.tree)) out.push(`${edge(file, i)}: shipped code imports nothing outside ${TREES.join('/, ')}/ (${i.target}).`)
      else if (!allowed[from.tree]!.includes(to.tree)) out.push(`${edge(file, i)}: ${from.tree}/ may import only ${allowed[from.tree]!.join('/, ')}/ (layering server -> plugins -> core).`)
      else if (from.plugin !== undefined && to.plugin !== from.plugin && to.tree === 'plugins') {
        out.push(`${edge(file, i)}: a plugin imports only core/ and its own folder, never another plugin's; move what both need to core/.`)
      } else if (i.target === 'core/index.ts') out.push(`${edge(file, i)}: code inside presend imports the module that defines a name, not the package entry core/index.ts.`)
    }
  }
  return out
}

t.test('cycles: each is found, and named by its files and imports', async (t) => {
  const graph = graphOf({
    'core/a.ts': "import type { B } from './b.js'\n// import { c } from './c.js' (a comment, not an import)\nexport type A = B",
    'core/b.ts': "export { a } from './deep/c.js'\nexport const s = 'import x from \"./a.js\"'",
    'core/deep/c.ts': "import { A } from '../a.js'\nimport z from 'zod'",
    'core/self.ts': "const lazy = () => import('./self.js')",
    'core/leaf.ts': "import { A } from './a.js'",
  })
  t.same(graph.get('core/a.ts'), [{ specifier: './b.js', target: 'core/b.ts' }], 'comments and strings are not imports')
  t.same(graph.get('core/deep/c.ts'), [{ specifier: '../a.js', target: 'core/a.ts' }, { specifier: 'zod', target: undefined }])
  t.same(cycles(graph), [
    "import cycle: core/a.ts imports './b.js', then core/b.ts imports './deep/c.js', then core/deep/c.ts imports '../a.js'. Move the shared types or code to a module both can import, or pass it in.",
    "import cycle: core/self.ts imports './self.js'. Move the shared types or code to a module both can import, or pass it in.",
  ])
})

t.test('layering: each broken rule is named by its file and import', async (t) => {
  // Real paths, so a rule fires rather than the missing-file check.
  const graph = graphOf({
    'core/errors.ts': "import { x } from '../plugins/links/index.js'\nimport { y } from '../test/import-graph.test.js'\nimport { z } from 'presend'",
    'plugins/contacts/index.ts': "import { m } from '../profanity/index.js'\nimport { c } from '../../core/plugin.js'\nconst s = () => import('../../server/app.js')\nimport { own } from './detect.js'",
    'plugins/links/index.ts': "import { c } from '../../core/index.js'\nimport { gone } from './gone.js'",
    'plugins/index.ts': "import links from './links/index.js'",
    'server/app.ts': "import { p } from '../plugins/index.js'\nimport { c } from '../core/plugin.js'\nconst pkg = require.resolve('presend/package.json')",
  })
  t.same(layering(graph), [
    "core/errors.ts imports '../plugins/links/index.js': core/ may import only core/ (layering server -> plugins -> core).",
    "core/errors.ts imports '../test/import-graph.test.js': shipped code imports nothing outside core/, plugins/, server/ (test/import-graph.test.ts).",
    "core/errors.ts imports 'presend': code inside presend imports the module that defines a name, not the package entry.",
    "plugins/contacts/index.ts imports '../profanity/index.js': a plugin imports only core/ and its own folder, never another plugin's; move what both need to core/.",
    "plugins/contacts/index.ts imports '../../server/app.js': plugins/ may import only core/, plugins/ (layering server -> plugins -> core).",
    "plugins/links/index.ts imports '../../core/index.js': code inside presend imports the module that defines a name, not the package entry core/index.ts.",
    "plugins/links/index.ts imports './gone.js', which names no file (plugins/links/gone.ts).",
  ])
})

t.test('core/, plugins/ and server/: no import cycles, layering kept', async (t) => {
  const files = TREES.flatMap(tsFiles)
  const graph = graphOf(Object.fromEntries(files.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')])))
  // The scan sees the real graph: a known import of each kind is there.
  t.ok(graph.get('plugins/contacts/index.ts')!.some((i) => i.target === 'core/mask.ts'), 'a value import is found')
  t.ok(graph.get('core/pipeline/scope.ts')!.some((i) => i.target === 'core/plugin.ts'), 'a type-only import is found')
  t.same(cycles(graph), [], 'no import cycles')
  t.same(layering(graph), [], 'layering: core <- plugins <- server, no plugin imports another')
})
