/**
 * Tencent Cloud Chat (IM) callback protocol: zod schemas and types for requests, elements and replies.
 * Facts: `tencent-callbacks.md` in the shared docs.
 *
 * @module
 */
export * from './elements.js'
export * from './requests.js'
export * from './replies.js'
export { DECIDED_COMMANDS, SLOT_KINDS, isDecidedCommand, type DecidedCommand, type CommandKind, type SlotKind, type CodeFamily } from './commands.js'
