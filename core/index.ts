/**
 * presend — the SDK: the Tencent before-send protocol, the plugin contract and the filter pipeline.
 *
 * Only what plugin authors and SDK users need is exported here (README.md, "API stability"). The engines
 * and helpers the built-in plugins, the server and the tests use are imported from their own modules and
 * may change in any release.
 * @module
 */
export {
  BEFORE_SEND_COMMANDS,
  DECIDED_COMMANDS,
  KNOWN_MSG_TYPES,
  OK_REPLY,
  beforeSendRequestSchema,
  c2cRejectCode,
  c2cRequestSchema,
  callbackQuerySchema,
  callbackReplySchema,
  elementContentSchemas,
  friendRejectCode,
  groupRejectCode,
  groupRequestSchema,
  isBeforeSendCommand,
  isDecidedCommand,
  msgBodySchema,
  msgElementSchema,
  officialAccountRequestSchema,
  parseRequest,
  rejectOptionsShape,
  type BeforeSendCommand,
  type BeforeSendRequest,
  type BlockOnlyCommand,
  type BlockOnlyRequest,
  type C2CRequest,
  type CallbackQuery,
  type CallbackReply,
  type CallbackRequest,
  type CommandKind,
  type CustomElement,
  type DecidedCommand,
  type GroupRequest,
  type KnownMsgType,
  type MsgElement,
  type OfficialAccountRequest,
  type ResultItem,
  type SlotKind,
  type TextElement,
} from './protocol/index.js'
export {
  allow,
  appendElement,
  customElement,
  definePlugin,
  drop,
  edit,
  insertElement,
  reject,
  removeElement,
  replaceText,
  setCloudCustomData,
  textElement,
  type AllowVerdict,
  type AnyPlugin,
  type AppendElementEdit,
  type CheckContext,
  type Checker,
  type DropVerdict,
  type Edit,
  type Hit,
  type InsertElementEdit,
  type Message,
  type Plugin,
  type PluginEnv,
  type RejectVerdict,
  type RemoveElementEdit,
  type ReplaceTextEdit,
  type RunFacts,
  type RunOutcome,
  type SetCloudCustomDataEdit,
  type TextPart,
  type Verdict,
} from './plugin.js'
export type { Logger, LogFn } from './logger.js'
export { ERROR_CODES, PresendError, isPresendError, type ErrorCode } from './errors.js'
export * from './pipeline/index.js'
export * from './store/types.js'
export { createMemoryStore, type MemoryStoreOptions } from './store/memory.js'
export { whenReady } from './store/namespace.js'
export { createMessage, elementText } from './message.js'
export { SLOT_KINDS, slotsOption, slotKinds, type TextSlot } from './slots.js'
export type { JsonTextRule } from './json-text.js'
export type { NormalizeOptions } from './text/index.js'
export { compileTerms, compileTermsAsync, type TermEntry, type TermHit, type TermSet, type CompileTermsOptions } from './terms.js'
export { compileSafeRegExp, MAX_REGEX_LENGTH, type SafeRegExp } from './safe-regex.js'
/** The zod presend validates with, re-exported so plugin option schemas use the same instance. */
export { z } from 'zod'
