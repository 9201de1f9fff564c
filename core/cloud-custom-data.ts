/**
 * `CloudCustomData` patches, shared by the plugins that tag messages (`custom-elem`, `keyword-rewrite`) so both plugins give the option the
 * same meaning:
 *
 * - a **string** replaces `CloudCustomData` whatever it held;
 * - an **object** is merged into it as a JSON Merge Patch (RFC 7396: nested objects merge, `null` deletes a
 *   key, anything else — arrays included — replaces) when the current value is a JSON object. An absent,
 *   empty or whitespace-only value counts as `{}`. Any other value (not JSON, or JSON that is not an object,
 *   such as `"[1,2]"` or `"42"`) is left alone: it belongs to the app, and overwriting it would destroy data
 *   the client may rely on.
 *
 * @module
 */
import { z } from 'zod'
import { setCloudCustomData, type Edit } from './plugin.js'

/** A JSON value, as the merge patch reads and writes it. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/**
 * The `cloudCustomData` option: a string (replaces) or an object (merged into a JSON object).
 * @example cloudCustomDataSchema.parse({ vip: true }) // { vip: true }
 */
export const cloudCustomDataSchema = z.union([z.string(), z.record(z.string(), z.json())])

/** The parsed `cloudCustomData` option. */
export type CloudCustomDataOption = z.output<typeof cloudCustomDataSchema>

/**
 * A compiled patch: the new `CloudCustomData`, or `undefined` to leave the current value as it is
 * (an object patch over a value that is not a JSON object).
 */
export type CloudCustomDataPatch = (current: string | undefined) => string | undefined

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * RFC 7396 JSON Merge Patch. Results are built on null-prototype objects so a `"__proto__"` key in the
 * message's data or in the patch stays an ordinary key instead of reaching `Object.prototype`.
 */
function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch
  const out: Record<string, Json> = Object.create(null) as Record<string, Json>
  if (isObject(target)) for (const key of Object.keys(target)) out[key] = target[key] as Json
  for (const key of Object.keys(patch)) {
    const value = patch[key] as Json
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}

/**
 * Compile a `cloudCustomData` option once, in `create()`. The patch object is copied, so later changes to
 * the caller's options do not leak into running pipelines.
 *
 * @example
 * const patch = compileCloudCustomData({ level: 'LV1' })
 * patch('{"a":1}')   // '{"a":1,"level":"LV1"}'
 * patch(undefined)   // '{"level":"LV1"}'
 * patch('not json') // undefined: left alone
 */
export function compileCloudCustomData(option: CloudCustomDataOption): CloudCustomDataPatch {
  if (typeof option === 'string') return () => option
  const patch = structuredClone(option) as Json
  return (current) => {
    let parsed: unknown = {}
    if (current !== undefined && current.trim() !== '') {
      try {
        parsed = JSON.parse(current)
      } catch {
        return undefined
      }
    }
    return isObject(parsed) ? JSON.stringify(mergePatch(parsed, patch)) : undefined
  }
}

/**
 * Apply `patches` in order to `current` and return the edit that sets the result, or no edit when the
 * value would not change.
 *
 * @example cloudCustomDataEdits('x', [compileCloudCustomData('y')]) // [setCloudCustomData('y')]
 */
export function cloudCustomDataEdits(current: string | undefined, patches: readonly CloudCustomDataPatch[]): Edit[] {
  let value = current
  for (const patch of patches) value = patch(value) ?? value
  return value === undefined || value === current ? [] : [setCloudCustomData(value)]
}
