/**
 * Scopes: where a plugin applies. `only` runs it only where every dimension it names matches; `except`
 * skips it where any dimension it names matches (exempt an admin, a bot, a live-stream group…). Names are
 * checked when the pipeline is built, and a scope is compiled into Set lookups, so a message pays a few
 * hash lookups for it.
 * @module
 */
import { z } from 'zod'
import { suggestKey } from '../key-hints.js'
import { COMMANDS, COMMAND_KINDS, DECIDED_COMMANDS } from '../protocol/commands.js'
import type { RunFacts as Facts } from '../plugin.js'

/** Tencent's group types; the pairs are the old and new names of one type. */
const GROUP_TYPES: Readonly<Record<string, string>> = {
  Public: 'Public',
  Private: 'Work',
  Work: 'Work',
  ChatRoom: 'Meeting',
  Meeting: 'Meeting',
  AVChatRoom: 'AVChatRoom',
  Community: 'Community',
  Live: 'Live',
}

/** `OptPlatform` values (compared case-insensitively; the English docs say `macOS` where the Chinese say `Mac`). */
const PLATFORMS: Readonly<Record<string, string>> = {
  restapi: 'restapi', web: 'web', android: 'android', ios: 'ios', windows: 'windows', mac: 'mac', macos: 'mac', ipad: 'ipad', unknown: 'unknown',
}

const list = z.array(z.string().min(1)).min(1)

const COMMAND_NAMES: Readonly<Record<string, string>> = Object.fromEntries([
  ...DECIDED_COMMANDS.map((c) => [c, COMMANDS[c].kind]),
  ...COMMAND_KINDS.map((k) => [k, k]),
])

/** The canonical form of `name` in `known` (exact, else case-insensitive), or undefined. */
function canonical(name: string, known: Readonly<Record<string, string>>): string | undefined {
  return known[name] ?? known[name.toLowerCase()]
}

/** A list of names from `known`: an unknown one is an issue at its index, with a guess. */
function namesOf(known: Readonly<Record<string, string>>, what: string) {
  return list.superRefine((names, ctx) => {
    names.forEach((name, i) => {
      if (canonical(name, known) !== undefined) return
      const guess = suggestKey(name, Object.keys(known))
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `${JSON.stringify(name)} is not ${what}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; expected one of ${Object.keys(known).join(', ')}`,
      })
    })
  })
}

/**
 * A scope: any of `commands` (a callback command or its short name: `c2c`, `group`, `friend-add`…),
 * `groupIds`, `groupTypes` (`Public`, `Work`, `Meeting`, `AVChatRoom`, `Community`), `senders` (accounts)
 * and `platforms` (`iOS`, `Android`, `Web`, `RESTAPI`…).
 * @example scopeSchema.parse({ senders: ['administrator'], groupTypes: ['AVChatRoom'] })
 */
export const scopeSchema = z.strictObject({
  commands: namesOf(COMMAND_NAMES, 'a command presend decides').optional(),
  groupIds: list.optional(),
  groupTypes: namesOf(GROUP_TYPES, 'a group type').optional(),
  senders: list.optional(),
  platforms: namesOf(PLATFORMS, 'a platform').optional(),
})

/** A scope as written in settings or config. */
export type Scope = z.input<typeof scopeSchema>

/** A compiled scope test: is this message in the plugin's scope? */
export type ScopeTest = (facts: Facts) => boolean

type Dimension = (facts: Facts) => boolean

/** The canonical forms of names the schema accepted. */
function setOf(names: readonly string[], known: Readonly<Record<string, string>>): Set<string> {
  return new Set(names.map((name) => canonical(name, known) as string))
}

function dimensions(scope: z.output<typeof scopeSchema>): Dimension[] {
  const tests: Dimension[] = []
  if (scope.commands !== undefined) {
    const kinds = setOf(scope.commands, COMMAND_NAMES)
    tests.push((f) => kinds.has(f.kind))
  }
  if (scope.groupIds !== undefined) {
    const ids = new Set(scope.groupIds)
    tests.push((f) => f.groupId !== undefined && ids.has(f.groupId))
  }
  if (scope.groupTypes !== undefined) {
    const types = setOf(scope.groupTypes, GROUP_TYPES)
    tests.push((f) => f.groupType !== undefined && types.has(GROUP_TYPES[f.groupType] ?? f.groupType))
  }
  if (scope.senders !== undefined) {
    const senders = new Set(scope.senders)
    tests.push((f) => f.from !== undefined && senders.has(f.from))
  }
  if (scope.platforms !== undefined) {
    const platforms = setOf(scope.platforms, PLATFORMS)
    tests.push((f) => f.platform !== undefined && platforms.has(canonical(f.platform, PLATFORMS) ?? ''))
  }
  return tests
}

/**
 * Compile `only` and `except` (validated by {@link scopeSchema}) into one test; undefined when neither is
 * set, so an unscoped plugin costs nothing.
 * @example compileScope(undefined, { senders: ['admin'] })?.(facts)
 */
export function compileScope(only: z.output<typeof scopeSchema> | undefined, except: z.output<typeof scopeSchema> | undefined): ScopeTest | undefined {
  const all = only === undefined ? [] : dimensions(only)
  const any = except === undefined ? [] : dimensions(except)
  if (all.length === 0 && any.length === 0) return undefined
  return (facts) => all.every((test) => test(facts)) && !any.some((test) => test(facts))
}
