// Loaded by tap with `--import` (package.json "tap"."node-arg"): runs every test on the JavaScript that
// `npm run typecheck` already emitted into .build/, so no test process loads a TypeScript compiler.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
