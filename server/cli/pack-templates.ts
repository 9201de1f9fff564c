/**
 * The files `presend new-pack` writes: a filter pack with one plugin (a blocked-words filter built on presend's
 * own matcher), its tests with `presend/testing` under `node:test`, a README and, for `--ts`, a tsconfig. The
 * pack passes its own tests as written; `test/server/cli/new-pack.test.ts` installs and runs one to prove it.
 *
 * @module
 */

/**
 * What the templates are filled with.
 * @example packFiles({ packageName: 'presend-pack-acme', pluginName: 'acme', peerRange: '^0.1.0', presendSpec: 'file:../presend', typescript: '^5.9.3', typesNode: '^20.19.0', ts: false })
 */
export interface PackTemplateInput {
  /** The npm package name, e.g. `presend-pack-acme` or `@acme/presend-pack-words`. */
  packageName: string
  /** The plugin's name (and its `export const`), e.g. `acme`. */
  pluginName: string
  /** The peer range for presend, e.g. `^0.1.0`. */
  peerRange: string
  /** The dev dependency on presend, e.g. `file:../presend`. */
  presendSpec: string
  /** Ranges for the TypeScript pack's dev dependencies, taken from presend's own. */
  typescript: string
  typesNode: string
  /** Whether to write a TypeScript pack. */
  ts: boolean
}

/** A JavaScript identifier for the plugin's export: `blocked-words` → `blockedWords`. */
function identifier(name: string): string {
  const camel = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c === undefined ? '' : c.toUpperCase()))
  return /^[A-Za-z_$]/.test(camel) ? camel : `plugin${camel.charAt(0).toUpperCase()}${camel.slice(1)}`
}

function manifest(input: PackTemplateInput): string {
  const entry = input.ts ? { types: './dist/src/index.d.ts', default: './dist/src/index.js' } : './index.js'
  const pkg = {
    name: input.packageName,
    version: '0.1.0',
    description: `A presend filter pack: ${input.pluginName} rejects messages that contain a blocked word.`,
    keywords: ['presend-pack', 'presend', 'tencent-cloud-chat'],
    type: 'module',
    exports: { '.': entry, './package.json': './package.json' },
    files: input.ts ? ['dist/src', 'README.md'] : ['index.js', 'README.md'],
    engines: { node: '>=20' },
    scripts: input.ts
      ? {
          // tsc -b: with nothing changed since the last build it returns at once (tsbuildinfo in dist/).
          build: 'tsc -b',
          test: 'tsc -b && node --enable-source-maps --test dist/test/*.test.js',
          prepack: 'tsc -b',
        }
      : { test: 'node --test test/*.test.js' },
    peerDependencies: { presend: input.peerRange },
    devDependencies: input.ts
      ? { '@types/node': input.typesNode, presend: input.presendSpec, typescript: input.typescript }
      : { presend: input.presendSpec },
    // A checkout or tarball of presend is built already: npm need not run its build script (npm 11.16+ reads
    // this and stops warning about it; npm 12 runs no unlisted dependency script anyway).
    ...(input.presendSpec.startsWith('file:') ? { allowScripts: { [input.presendSpec]: false } } : {}),
  }
  return `${JSON.stringify(pkg, null, 2)}\n`
}

function plugin(input: PackTemplateInput): string {
  const id = identifier(input.pluginName)
  return `// ${input.packageName}: a presend filter pack. Its default export is the list of its plugins;
// { "use": "${input.packageName}" } runs them all, { "use": "${input.packageName}#${input.pluginName}" } picks one.
import { definePlugin, allow, reject, rejectOptionsShape, compileTerms, z } from 'presend'

/**
 * ${input.pluginName}: rejects a message that contains one of \`words\`. Patterns follow Discord AutoMod:
 * \`word\` is the whole word, \`word*\` a word starting with it, \`*word\` one ending with it, \`*word*\` anywhere;
 * evasions (case, width, accents, look-alike letters, separators like f.o.o) are normalised away.
 */
export const ${id} = definePlugin({
  name: '${input.pluginName}',
  description: 'rejects messages that contain a blocked word',
  options: z.strictObject({
    /** The blocked words, as AutoMod-style patterns. */
    words: z.array(z.string().min(1)).min(1).default(['forbidden']),
    ...rejectOptionsShape, // code (C2C), groupCode (groups and Official Accounts), info: range-checked
  }),
  create({ words, code, groupCode, info }) {
    // Compiled once per pipeline build; find() then runs per message.
    const terms = compileTerms(words.map((pattern) => ({ pattern })))
    return {
      check(message) {
        for (const part of message.texts) {
          const [hit] = terms.find(part.text)
          if (hit !== undefined) {
            return reject({ code, groupCode, info: info ?? 'This message contains a blocked word.', reason: 'blocked word ' + hit.pattern })
          }
        }
        return allow()
      },
    }
  },
})

export default [${id}]
`
}

function tests(input: PackTemplateInput): string {
  const id = identifier(input.pluginName)
  const from = input.ts ? '../src/index.js' : '../index.js'
  const run = input.ts ? 'npm test (tsc, then node --test)' : 'npm test (node --test: no test framework to install)'
  return `// The pack's tests: ${run}. Each case runs the plugin in a one-plugin pipeline; the option types
// come from the plugin, and a failing case is reported at its own line.
import { testPlugin, groupRequest } from 'presend/testing'
import { ${id} } from '${from}'

testPlugin(${id}, {
  options: { words: ['forbidden', 'secret*'] },
  cases: [
    { name: 'a clean message passes', text: 'hello there', expect: 'allow' },
    { name: 'a blocked word is rejected', text: 'this is FORBIDDEN', expect: { reject: 1, info: 'This message contains a blocked word.' } },
    { name: 'spelled out with dots, it is still caught', text: 'this is f.o.r.b.i.d.d.e.n', expect: { reject: 1 } },
    { name: 'secret* catches words that start with it', text: 'no secrets here', expect: { reject: 1 } },
    { name: 'a word that only contains one passes', text: 'unforbiddenly', expect: 'allow' },
  ],
})

testPlugin(${id}, {
  options: { words: ['forbidden'], code: 120001, groupCode: 10100, info: 'Not here, please.' },
  cases: [
    { name: 'C2C: the custom code and info', text: 'forbidden', expect: { reject: 120001, info: 'Not here, please.' } },
    { name: 'groups: the group code', request: groupRequest({ text: 'forbidden' }), expect: { reject: 10100, info: 'Not here, please.' } },
  ],
})
`
}

function readme(input: PackTemplateInput): string {
  const develop = input.ts
    ? 'TypeScript in `src/` and `test/`, compiled into `dist/` by `npm run build` (and by `npm test` and `npm pack`).'
    : 'Plain ES modules, no build.'
  return `# ${input.packageName}

A filter pack for presend, the content filter for Tencent Cloud Chat (IM) before-send callbacks.

| plugin | what it does | options (defaults) |
|---|---|---|
| \`${input.pluginName}\` | rejects a message that contains a blocked word (AutoMod-style patterns, evasions normalised away) | \`words\` (\`["forbidden"]\`); \`code\` / \`groupCode\` / \`info\`: the reject code and text the sender sees (default code 1) |

## Use

Install the pack next to your \`presend.config.json\` and name it in \`plugins\`:

\`\`\`json
{
  "plugins": [
    { "use": "profanity" },
    { "use": "${input.packageName}#${input.pluginName}", "options": { "words": ["forbidden", "secret*"] } }
  ]
}
\`\`\`

\`presend validate\` lists the plugins it loaded; \`presend check "some text"\` runs one message through them.

## Develop

${develop} presend is a peer dependency (the server's copy is the one the plugins talk to), at \`${input.peerRange}\`:
in 0.x a minor release of presend may change the plugin API. The dev dependency \`${input.presendSpec}\` is the
presend this pack was made with; presend is not on npm yet, so keep it pointing at a presend checkout or a
tarball made with \`npm pack\` in one.

\`\`\`sh
npm install
npm test
\`\`\`

To try the pack in a server before publishing: \`npm pack\`, then, in a folder with a \`presend.config.json\` that
uses it, \`npm install <path to presend> <path to the .tgz>\`, \`npx presend validate\` and \`npx presend check "a forbidden word"\`.
`
}

const GITIGNORE = 'node_modules/\ndist/\n*.tgz\n'

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
      sourceMap: true,
      skipLibCheck: true,
      incremental: true,
      tsBuildInfoFile: 'dist/.tsbuildinfo',
      rootDir: '.',
      outDir: 'dist',
      types: ['node'],
    },
    include: ['src', 'test'],
  },
  null,
  2,
)}\n`

/**
 * The pack's files, by path relative to its folder.
 *
 * @example packFiles({ packageName: 'presend-pack-acme', pluginName: 'acme', peerRange: '^0.1.0', presendSpec: 'file:../presend', typescript: '^5.9.3', typesNode: '^20.19.0', ts: true })
 */
export function packFiles(input: PackTemplateInput): Record<string, string> {
  const files: Record<string, string> = { 'package.json': manifest(input), 'README.md': readme(input), '.gitignore': GITIGNORE }
  if (input.ts) {
    files['tsconfig.json'] = TSCONFIG
    files['src/index.ts'] = plugin(input)
    files['test/index.test.ts'] = tests(input)
  } else {
    files['index.js'] = plugin(input)
    files['test/index.test.js'] = tests(input)
  }
  return files
}
