/**
 * The filter pipeline: built once (options validated, plugins created, everything frozen), then run per
 * message. Plugins run in the declared order, each seeing the message as the previous ones left it; the
 * first reject or drop ends the run. A deadline and a fault policy bound every plugin.
 *
 * `types.ts` holds the public types, `build.ts` the build, `run.ts` the run loop and fault policy,
 * `context.ts` what a plugin is told, `result.ts` the result and reply.
 * @module
 */
export type { FaultPolicy, PluginSettings, PluginEntry, PipelineOptions, RunMeta, TraceEntry, TraceHit, RunResult, ItemResult, Pipeline, Scope } from './types.js'
export { createPipeline } from './build.js'
