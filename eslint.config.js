// Lint and format check for presend (run by `npm test`). typescript-eslint's recommended rules catch bugs;
// @stylistic enforces the house format (no semicolons, single quotes, two-space indent) so no separate formatter runs.
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', '.build/', 'node_modules/', 'test/bench/results/', '**/fixtures/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  stylistic.configs.customize({ semi: false, quotes: 'single', indent: 2, commaDangle: 'always-multiline', braceStyle: '1tbs', arrowParens: false }),
  {
    rules: {
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/member-delimiter-style': ['error', { multiline: { delimiter: 'none' }, singleline: { delimiter: 'semi', requireLast: false } }],
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/quote-props': ['error', 'as-needed'],
      // Long conditions and lists are wrapped by hand where they read best; these rules would fight that.
      '@stylistic/list-style': 'off',
      '@stylistic/operator-linebreak': 'off',
      '@stylistic/indent-binary-ops': 'off',
      '@stylistic/multiline-ternary': 'off',
    },
  },
  {
    rules: {
      // `_name` marks a value kept on purpose (a destructured key left out, a parameter a signature needs).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A one-line closure such as `() => { throw err }` reads best on its line.
      '@stylistic/max-statements-per-line': 'off',
    },
  },
  {
    // The console's page script runs in the browser.
    files: ['server/console/assets/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', Node: 'readonly', EventSource: 'readonly', fetch: 'readonly', location: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly' } },
  },
  {
    // Character classes of combining marks and format characters are the point of these normalisers.
    files: ['core/text/normalizers/diacritics.ts', 'core/text/normalizers/invisible.ts'],
    rules: { 'no-misleading-character-class': 'off' },
  },
  {
    // Context declares its facts through an interface merged with the class (getters are defined once from a key list).
    files: ['core/pipeline/context.ts'],
    rules: { '@typescript-eslint/no-unsafe-declaration-merging': 'off', '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    // `{} extends Input` is the idiom for "every option has a default".
    files: ['core/testing/test-plugin.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', queueMicrotask: 'readonly' } },
  },
)
