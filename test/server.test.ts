// The server's in-process test files in this one process (see test/folder.ts): the app, its HTTP handling,
// auth, config, metrics, the operations port, the store and the CLI's in-process commands. The files that
// start other processes or a browser (console, pack, reload-large-list, cli/pack-steps, cli/process,
// cli/workers) run as processes of their own, beside this one.
import { importTests } from './folder.js'

await importTests(new URL('./server/', import.meta.url), [
  'app.test.ts', 'auth-failure-log.test.ts', 'auth.test.ts', 'body-parser.test.ts', 'config-default.test.ts', 'config-schema.test.ts',
  'config.test.ts', 'exports.test.ts', 'fastify-plugin.test.ts', 'histogram.test.ts', 'http.test.ts', 'json-syntax.test.ts', 'metrics.test.ts',
  'operations.test.ts', 'prototype-keys.test.ts', 'redact.test.ts', 'request-logger.test.ts', 'resolve.test.ts', 'store.test.ts',
  'text-surfaces.test.ts',
])
await importTests(new URL('./server/cli/', import.meta.url), ['cluster.test.ts', 'init.test.ts', 'main.test.ts', 'new-pack.test.ts', 'serve.test.ts'])
