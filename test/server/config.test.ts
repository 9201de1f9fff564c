import t from 'tap'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isPresendError, listErrorCodes } from '../../core/errors.js'
import {
  CONFIG_FILE_NAMES,
  DEFAULT_PLUGINS,
  checkPort,
  configSchema,
  defaultConfig,
  loadConfig,
  validateConfig,
} from '../../server/config.js'

const configs = fileURLToPath(new URL('./fixtures/configs/', import.meta.url))
const fixture = (name: string) => path.join(configs, name)

const CONNECTION_DEFAULTS = { maxConnections: 1000, keepAliveTimeoutMs: 10000, headersTimeoutMs: 3000, requestTimeoutMs: 5000, maxRequestsPerSocket: 1000, watchdogMs: 5000, shutdownGraceMs: 5000 }

t.test('the embedded default serves with no file', async (t) => {
  const dir = t.testdir({})
  const loaded = await loadConfig({ cwd: dir, env: {} })
  t.equal(loaded.file, undefined)
  t.equal(loaded.baseDir, dir)
  t.same(loaded.config, defaultConfig)
  t.same(defaultConfig.server, { host: '0.0.0.0', port: 8080, path: '/', bodyLimit: 16384, ...CONNECTION_DEFAULTS })
  t.same(defaultConfig.auth, { maxSkewSeconds: 60 })
  t.same(defaultConfig.pipeline, { deadlineMs: 1500, onFault: 'allow', jsonText: [], maxTextLength: 65536 })
  t.same(defaultConfig.logging, { level: 'info', requests: false, messageText: false, repeatIntervalMs: 10000 })
  t.same(defaultConfig.metrics, { enabled: true, path: '/metrics', cacheMs: 1000 })
  t.same(defaultConfig.operations, { host: '127.0.0.1' })
  t.same(defaultConfig.plugins, [
    { use: 'profanity', options: { action: 'mask' } },
    { use: 'links', options: { action: 'replace' } },
  ])
  t.ok(Object.isFrozen(defaultConfig.server), 'the default is frozen')
  // a loaded config is a fresh copy the caller may change
  loaded.config.server.port = 1
  t.equal(defaultConfig.server.port, 8080)
})

t.test('a file without plugins gets the default plugins; [] runs none', async (t) => {
  t.same(validateConfig({}).plugins, DEFAULT_PLUGINS)
  t.same(validateConfig({ plugins: [] }).plugins, [])
})

t.test('a full file is read, with every key', async (t) => {
  const { config, file, baseDir } = await loadConfig({ file: fixture('full.json'), env: {} })
  t.equal(file, fixture('full.json'))
  t.equal(baseDir, configs.replace(/\/$/, ''))
  t.same(config, {
    server: { host: '127.0.0.1', port: 9001, path: '/callback', bodyLimit: 20000, ...CONNECTION_DEFAULTS },
    auth: { token: 'file-token', maxSkewSeconds: 30 },
    sdkAppId: 1400000000,
    pipeline: { deadlineMs: 1000, onFault: 'reject', jsonText: [], maxTextLength: 65536 },
    plugins: [{ use: '../filters/block-words.mjs', options: { words: ['spam'] } }],
    logging: { level: 'warn', requests: true, messageText: false, repeatIntervalMs: 10000 },
    metrics: { enabled: false, path: '/prom', cacheMs: 1000 },
    operations: { host: '127.0.0.1' },
    store: { keyPrefix: 'presend:', timeoutMs: 50 },
    console: { enabled: true, path: '/ops/console', token: 'console-token' },
  })
  t.notOk('$schema' in config, '$schema is accepted and dropped')
})

t.test('presend.config.json in the working directory is found; .mjs and .js too', async (t) => {
  t.same(CONFIG_FILE_NAMES, ['presend.config.json', 'presend.config.mjs', 'presend.config.js'])
  const json = t.testdir({ 'presend.config.json': JSON.stringify({ server: { port: 7001 } }) })
  t.equal((await loadConfig({ cwd: json, env: {} })).config.server.port, 7001)
  const mjs = t.testdir({ 'presend.config.mjs': 'export default { server: { port: 7002 } }' })
  const loaded = await loadConfig({ cwd: mjs, env: {} })
  t.equal(loaded.config.server.port, 7002)
  t.equal(loaded.file, path.join(mjs, 'presend.config.mjs'))
  const js = t.testdir({
    'package.json': '{"type":"module"}',
    'presend.config.js': 'export default { server: { port: 7003 } }',
  })
  t.equal((await loadConfig({ cwd: js, env: {} })).config.server.port, 7003)
})

t.test('.mjs and .cjs config modules by path; an edited module is re-read', async (t) => {
  t.equal((await loadConfig({ file: fixture('config.mjs'), env: {} })).config.server.port, 9100)
  t.equal((await loadConfig({ file: fixture('config.cjs'), env: {} })).config.server.port, 9101)
  const dir = t.testdir({ 'c.mjs': 'export default { server: { port: 1 } }' })
  const { writeFile } = await import('node:fs/promises')
  t.equal((await loadConfig({ file: 'c.mjs', cwd: dir, env: {} })).config.server.port, 1)
  await writeFile(path.join(dir, 'c.mjs'), 'export default { server: { port: 2 } }')
  t.equal((await loadConfig({ file: 'c.mjs', cwd: dir, env: {} })).config.server.port, 2, 'no stale ESM cache')
})

t.test('precedence: flags beat env beat file beat defaults', async (t) => {
  const file = fixture('full.json')
  const env = { PORT: '7100', HOST: '::1', PRESEND_TOKEN: 'env-token' }
  const fromEnv = await loadConfig({ file, env })
  t.equal(fromEnv.config.server.port, 7100)
  t.equal(fromEnv.config.server.host, '::1')
  t.equal(fromEnv.config.auth.token, 'env-token')
  const fromFlags = await loadConfig({ file, env, overrides: { port: 7200, host: '127.0.0.2' } })
  t.equal(fromFlags.config.server.port, 7200)
  t.equal(fromFlags.config.server.host, '127.0.0.2')
  t.equal(fromFlags.config.auth.token, 'env-token', 'no flag for the token: env still wins over the file')
  const empty = await loadConfig({ file, env: { PORT: '', HOST: '', PRESEND_TOKEN: '', PRESEND_CONFIG: '' } })
  t.equal(empty.config.server.port, 9001, 'empty variables count as unset')
  t.equal(empty.config.auth.token, 'file-token')
  t.equal((await loadConfig({ file, env: {}, overrides: { port: 0 } })).config.server.port, 0, 'port 0 picks a free port')
})

t.test('PRESEND_CONFIG names the file; --config beats it', async (t) => {
  const viaEnv = await loadConfig({ cwd: configs, env: { PRESEND_CONFIG: 'config.mjs' } })
  t.equal(viaEnv.config.server.port, 9100)
  const viaFlag = await loadConfig({ cwd: configs, file: 'full.json', env: { PRESEND_CONFIG: 'config.mjs' } })
  t.equal(viaFlag.config.server.port, 9001)
})

t.test('errors name the bad key and what was expected', async (t) => {
  await t.rejects(loadConfig({ file: fixture('typo.json'), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: `Invalid config in ${fixture('typo.json')}: server.prot: unknown key (did you mean "port"?); expected one of host, port, path, bodyLimit, maxConnections, keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, maxRequestsPerSocket, watchdogMs, shutdownGraceMs; pipline: unknown key (did you mean "pipeline"?); expected one of server, auth, sdkAppId, pipeline, plugins, logging, metrics, operations, store, console.`,
  })
  const err = await loadConfig({ file: fixture('bad-types.json'), env: {} }).catch((e: unknown) => e)
  t.ok(isPresendError(err, 'PRESEND_INVALID_CONFIG'))
  const message = (err as Error).message
  t.match(message, 'server.port: expected number, received string')
  t.match(message, 'server.path: expected a path starting with "/"')
  t.match(message, 'pipeline.onFault: Invalid option: expected one of "allow"|"reject"')
  t.match(message, 'plugins[0].option: unknown key (did you mean "options"?); expected one of use, name, options, onFault, timeoutMs, only, except, blockOnly')
  t.ok(Array.isArray((err as { details: unknown }).details), 'zod issues ride along as details')

  t.throws(() => validateConfig({ server: { bodyLimit: 10, Port: 1 } }, 'x.json'), {
    message:
      'Invalid config in x.json: server.bodyLimit: Too small: expected number to be >=1024; server.Port: unknown key (did you mean "port"?); expected one of host, port, path, bodyLimit, maxConnections, keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs, maxRequestsPerSocket, watchdogMs, shutdownGraceMs.',
  })
  t.throws(() => validateConfig({ zzzzzz: 1 }), {
    message:
      'Invalid config in the configuration: zzzzzz: unknown key; expected one of server, auth, sdkAppId, pipeline, plugins, logging, metrics, operations, store, console.',
  })
  t.throws(() => validateConfig([]), { message: /^Invalid config in the configuration: \(root\): expected object, received array\.$/ })
  t.throws(() => validateConfig({ plugins: [{ use: '' }] }), {
    message: /plugins\[0\]\.use: expected a built-in plugin name, an npm package or a path like "\.\/filters\/x\.js"/,
  })
  t.throws(() => validateConfig({ pipeline: { deadlineMs: 5000 } }), { message: /pipeline\.deadlineMs: Too big: expected number to be <=2000/ })
})

t.test('file errors', async (t) => {
  const dir = t.testdir({})
  await t.rejects(loadConfig({ cwd: dir, file: 'nope.json', env: {} }), {
    code: 'PRESEND_CONFIG_NOT_FOUND',
    message: `Config file ${path.join(dir, 'nope.json')} (from --config) does not exist; check the path, or leave it out to use presend.config.json in ${dir} or the embedded default.`,
  })
  await t.rejects(loadConfig({ cwd: dir, env: { PRESEND_CONFIG: 'gone.json' } }), {
    code: 'PRESEND_CONFIG_NOT_FOUND',
    message: /\(from PRESEND_CONFIG\)/,
  })
  await t.rejects(loadConfig({ file: fixture('broken.json'), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: new RegExp(`^Config file ${fixture('broken.json')} is not valid JSON: .+\\. Fix the syntax`),
  })
  await t.rejects(loadConfig({ file: fixture('no-default.mjs'), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: `Config file ${fixture('no-default.mjs')} must export the configuration object as its default export (export default { plugins: [...] }).`,
  })
  await t.rejects(loadConfig({ file: fixture('throws.mjs'), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: `Config file ${fixture('throws.mjs')} failed to load: config module exploded.`,
  })
  const nonError = t.testdir({ 'c.mjs': 'throw "a string"' })
  await t.rejects(loadConfig({ cwd: nonError, file: 'c.mjs', env: {} }), { message: /failed to load: a string\.$/ })
  await t.rejects(loadConfig({ file: fixture('config.yaml'), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: `Config file ${fixture('config.yaml')} has an unsupported extension ".yaml"; use .json, .js or .mjs.`,
  })
})

t.test('environment and flag values are checked, naming their source', async (t) => {
  const dir = t.testdir({})
  await t.rejects(loadConfig({ cwd: dir, env: { PORT: 'eighty' } }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: 'PORT is "eighty"; expected a port number from 0 to 65535 (0 picks a free port).',
  })
  await t.rejects(loadConfig({ cwd: dir, env: { PORT: '70000' } }), { message: /^PORT is "70000"/ })
  await t.rejects(loadConfig({ cwd: dir, env: {}, overrides: { port: 1.5 } }), { message: /^--port is 1\.5;/ })
  await t.rejects(loadConfig({ cwd: dir, env: {}, overrides: { host: '' } }), {
    message: '--host is empty; expected a host name or address such as 127.0.0.1 or 0.0.0.0.',
  })
  for (const bad of ['0', 'many', '1.5', '-3']) {
    await t.rejects(loadConfig({ cwd: dir, env: { PRESEND_MAX_CONNECTIONS: bad } }), {
      code: 'PRESEND_INVALID_CONFIG',
      message: `PRESEND_MAX_CONNECTIONS is ${JSON.stringify(bad)}; expected a whole number of connections of at least 1 (keep it under ulimit -n).`,
    })
  }
  t.equal((await loadConfig({ cwd: dir, env: { PRESEND_MAX_CONNECTIONS: ' 4000 ' } })).config.server.maxConnections, 4000, 'PRESEND_MAX_CONNECTIONS beats the file')
  t.equal((await loadConfig({ cwd: dir, env: { PRESEND_METRICS_TOKEN: 'scrape' } })).config.metrics.token, 'scrape', 'PRESEND_METRICS_TOKEN beats the file')
  await t.rejects(loadConfig({ cwd: t.testdir({ 'presend.config.json': '{"server":{"headersTimeoutMs":6000}}' }), env: {} }), {
    code: 'PRESEND_INVALID_CONFIG',
    message: /server\.headersTimeoutMs: headersTimeoutMs must not be more than requestTimeoutMs/,
  })
  t.equal(checkPort(' 8081 ', 'PORT'), 8081)
  t.throws(() => checkPort(-1, '--port'), { code: 'PRESEND_INVALID_CONFIG' })
})

t.test('process.cwd() and process.env are the defaults', async (t) => {
  const dir = t.testdir({ 'presend.config.json': '{"server":{"port":7400}}' })
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  const saved = { PORT: process.env.PORT, PRESEND_CONFIG: process.env.PRESEND_CONFIG }
  delete process.env.PORT
  delete process.env.PRESEND_CONFIG
  t.teardown(() => Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined))))
  const loaded = await loadConfig()
  t.equal(loaded.config.server.port, 7400)
})

t.test('the schema is exported for tools, and the codes are registered', async (t) => {
  t.equal(configSchema.parse({ server: { port: 9000 } }).server.host, '0.0.0.0')
  const codes = listErrorCodes().map((c) => c.code)
  t.ok(codes.includes('PRESEND_INVALID_CONFIG'))
  t.ok(codes.includes('PRESEND_CONFIG_NOT_FOUND'))
})
