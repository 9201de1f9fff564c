/**
 * `presend check`: run one message through the configured pipeline and print the decision, the reply Tencent
 * would get and what each plugin did. A TEXT becomes the request of the chosen command, built by the core's
 * request builders; without TEXT a whole callback body is read from stdin.
 *
 * @module
 */
import { suggestKey } from '../../core/key-hints.js'
import type { RunResult, TraceEntry } from '../../core/pipeline/index.js'
import { parseRequest, type CallbackRequest, type DecidedCommand } from '../../core/protocol/index.js'
import { loadConfig } from '../config.js'
import { inspect, INSPECT_COMMANDS as COMMANDS, requestOf } from '../inspect.js'
import { createPipelineFromConfig } from '../resolve.js'
import { CONFIG_OPTION, loadOptions, type CliCommand, type FlagValues } from './command.js'
import { EXIT, UsageError, readStdin, type CliIO } from './io.js'

/**
 * The `check` command.
 * @example await checkCommand.run({ values: { group: true }, positionals: ['hello'], argv: [] }, defaultIO())
 */
export const checkCommand: CliCommand = {
  summary: 'run one message through the configured pipeline and print the decision',
  help: `Usage: presend check [--config FILE] [--group | --official-account | --command NAME] [--json] [TEXT...]

Run one message through the configured pipeline and print the decision, the reply Tencent would get
and what each plugin did (the kind of each text it changed: text, custom-desc, relay, friend-wording…).
TEXT becomes a one-element message of the chosen command (C2C unless told otherwise), or the text field
of another callback (a friend request's wording, a group's name…); without TEXT, a whole callback body
(JSON) of any command presend decides is read from stdin.

Options:
  -c, --config FILE       configuration file (default: presend.config.json in the working directory)
  -g, --group             send TEXT as a Group.CallbackBeforeSendMsg
  -o, --official-account  send TEXT as an OfficialAccount.CallbackBeforeSendMsg
      --command NAME      send TEXT as this callback command; one of:
${COMMANDS.map((c) => `                            ${c}`).join('\n')}
      --json              print one JSON object { decision, reply, changed, decidedBy, faults, trace, items }
  -h, --help              show this help

Exit status: 0 allowed (changed or not), 1 rejected, 2 dropped, 3 error.

Examples:
  presend check "buy now at spam-shop.com"
  presend check --official-account "Breaking: spam-shop.com"
  presend check --command Group.CallbackBeforeCreateGroup "my group name"
  echo '{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b",
        "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}' | presend check
`,
  options: {
    ...CONFIG_OPTION,
    group: { type: 'boolean', short: 'g' },
    'official-account': { type: 'boolean', short: 'o' },
    command: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: true,
  async run({ values, positionals }, cli) {
    const command = chosenCommand(values)
    let request: CallbackRequest
    if (positionals.length > 0) {
      request = requestOf({ text: positionals.join(' '), ...(command === undefined ? {} : { command }) })
    } else {
      if (command !== undefined) {
        throw new UsageError('--group, --official-account and --command choose the command of a TEXT; a callback body on stdin names its own CallbackCommand.')
      }
      request = await requestFromStdin(cli)
    }
    const loaded = await loadConfig(loadOptions(values, cli))
    const pipeline = await createPipelineFromConfig(loaded.config, { baseDir: loaded.baseDir })
    let result
    try {
      result = await inspect(pipeline, request, {
        meta: loaded.config.sdkAppId === undefined ? {} : { sdkAppId: loaded.config.sdkAppId },
        jsonText: loaded.config.pipeline.jsonText,
      })
    } finally {
      await pipeline.close()
    }
    if (values.json === true) {
      const { decision, reply, changed, decidedBy, faults, trace, items } = result
      cli.stdout.write(`${JSON.stringify({ decision, reply, changed, decidedBy, faults, trace, items }, null, 2)}\n`)
    } else {
      cli.stdout.write(formatResult(result))
    }
    return result.decision === 'allow' ? EXIT.OK : result.decision === 'reject' ? EXIT.REJECT : EXIT.DROP
  },
}

/** The command `--group`, `--official-account` or `--command` asks for; undefined when none does. */
function chosenCommand(values: FlagValues): DecidedCommand | undefined {
  const chosen = new Set<DecidedCommand>()
  if (values.group === true) chosen.add('Group.CallbackBeforeSendMsg')
  if (values['official-account'] === true) chosen.add('OfficialAccount.CallbackBeforeSendMsg')
  if (typeof values.command === 'string') chosen.add(parseCommand(values.command))
  if (chosen.size > 1) throw new UsageError(`--group, --official-account and --command each choose the command; give one (got ${[...chosen].join(' and ')}).`)
  return [...chosen][0]
}

function parseCommand(name: string): DecidedCommand {
  const exact = COMMANDS.find((c) => c === name)
  if (exact !== undefined) return exact
  const guess = suggestKey(name, COMMANDS)
  throw new UsageError(
    `--command "${name}" is not a command presend can check${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; expected one of ${COMMANDS.join(', ')}.`,
  )
}

async function requestFromStdin(cli: CliIO): Promise<CallbackRequest> {
  if (cli.stdin.isTTY === true) throw new UsageError('give the message TEXT, or pipe a callback body (JSON) into stdin.')
  const raw = await readStdin(cli.stdin)
  if (raw.trim() === '') throw new UsageError('stdin was empty; give the message TEXT, or pipe a callback body (JSON) into stdin.')
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (err) {
    throw new UsageError(`stdin is not a JSON callback body: ${(err as Error).message}.`)
  }
  return parseRequest(json)
}

/**
 * The human-readable form of a run: decision, reply, then one line per plugin.
 * @example cli.stdout.write(formatResult(await pipeline.run(request)))
 */
export function formatResult(result: Pick<RunResult, 'decision' | 'decidedBy' | 'changed' | 'reply' | 'trace'> & Partial<RunResult>): string {
  const why = result.decidedBy === undefined ? (result.changed ? ' (changed)' : '') : ` (by ${result.decidedBy})`
  const lines = [`decision: ${result.decision}${why}`, `reply:    ${JSON.stringify(result.reply)}`, 'trace:']
  const width = Math.max(6, ...result.trace.map((e) => e.plugin.length))
  for (const entry of result.trace) lines.push(`  ${formatTrace(entry, width)}`)
  if (result.trace.length === 0) lines.push('  (no plugins)')
  return `${lines.join('\n')}\n`
}

function formatTrace(entry: TraceEntry, width: number): string {
  const parts = [entry.plugin.padEnd(width), entry.outcome.padEnd(7), `${entry.durationMs.toFixed(2)} ms`]
  // A friend request is decided per friend.
  if (entry.item !== undefined) parts.push(`friend ${JSON.stringify(entry.item)}`)
  if (entry.code !== undefined) parts.push(`code ${entry.code}`)
  if (entry.reason !== undefined) parts.push(entry.reason)
  if (entry.changes !== undefined && entry.changes.length > 0) parts.push(`[${entry.changes.join('; ')}]`)
  if (entry.error !== undefined) parts.push(`error: ${entry.error}`)
  if (entry.hits !== undefined) parts.push(`hits: ${entry.hits.map((h) => `${h.rule} @${h.slot}:${h.start}-${h.end}`).join(', ')}`)
  return parts.join('  ')
}
