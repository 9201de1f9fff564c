/**
 * The callback commands presend decides, in one table: the three "before send" message callbacks, which can
 * rewrite the message, and the other "before" callbacks that carry user text (friend requests, group and
 * topic creation, join applications, Official Account creation), which can only allow or refuse. Each
 * entry says which fields hold user text, which code range its refusals use, and the shape of its reply.
 * Facts: `tencent-callbacks.md` §3–§5 in the shared docs.
 * @module
 */

/** A kind of text slot: where in the callback a text sits, as plugins and scopes name it. */
export const SLOT_KINDS = [
  'text',
  'custom-desc',
  'custom-data',
  'cloud-custom-data',
  'relay',
  'location',
  'file-name',
  'friend-wording',
  'friend-remark',
  'friend-group',
  'group-name',
  'group-introduction',
  'group-notification',
  'apply-message',
  'topic-name',
  'account-name',
] as const
export type SlotKind = (typeof SLOT_KINDS)[number]

/** Where a refusal's code comes from: the verdict's `code` (C2C range), `groupCode` (group range) or `friendCode`. */
export type CodeFamily = 'c2c' | 'group' | 'friend'

interface CommandSpec {
  /** The short name plugins see as `ctx.kind` and scopes match. */
  readonly kind: string
  /** Message callbacks carry `MsgBody` and may be rewritten; the others may only be allowed or refused. */
  readonly message: boolean
  /** Which range a custom reject code must be in, and which verdict field supplies it. */
  readonly codes: CodeFamily
  /** The top-level fields that hold user text, with their slot kind. */
  readonly fields: Readonly<Record<string, SlotKind>>
  /** For callbacks decided per item (friend requests): the array field, and the text fields of an item. */
  readonly items?: { readonly field: string; readonly fields: Readonly<Record<string, SlotKind>> }
  /** The field naming the sender (the first one present). */
  readonly from: readonly string[]
}

/** Every command the pipeline decides, with its rules. */
export const COMMANDS = {
  'C2C.CallbackBeforeSendMsg': { kind: 'c2c', message: true, codes: 'c2c', fields: {}, from: ['From_Account'] },
  'Group.CallbackBeforeSendMsg': { kind: 'group', message: true, codes: 'group', fields: {}, from: ['From_Account', 'Operator_Account'] },
  // Tencent's Official Account pages pass custom codes from the C2C range (120001–130000) to the caller.
  'OfficialAccount.CallbackBeforeSendMsg': {
    kind: 'official-account', message: true, codes: 'c2c', fields: {}, from: ['From_Account', 'Official_Account'],
  },
  'Sns.CallbackPrevFriendAdd': {
    kind: 'friend-add', message: false, codes: 'friend', fields: {}, from: ['From_Account', 'Requester_Account'],
    items: { field: 'FriendItem', fields: { AddWording: 'friend-wording', Remark: 'friend-remark', GroupName: 'friend-group' } },
  },
  'Sns.CallbackPrevFriendResponse': {
    kind: 'friend-response', message: false, codes: 'friend', fields: {}, from: ['From_Account', 'Requester_Account'],
    items: { field: 'ResponseFriendItem', fields: { Remark: 'friend-remark', TagName: 'friend-group' } },
  },
  // The docs list only Name; Introduction and Notification are read when present (apps may proxy them).
  'Group.CallbackBeforeCreateGroup': {
    kind: 'group-create', message: false, codes: 'group', from: ['Operator_Account', 'Owner_Account'],
    fields: { Name: 'group-name', Introduction: 'group-introduction', Notification: 'group-notification' },
  },
  'Group.CallbackBeforeApplyJoinGroup': {
    kind: 'group-apply', message: false, codes: 'group', fields: { ApplyMsg: 'apply-message' }, from: ['Requestor_Account'],
  },
  'Group.CallbackBeforeCreateTopic': {
    kind: 'topic-create', message: false, codes: 'group', from: ['Operator_Account'],
    fields: { Name: 'topic-name', Introduction: 'group-introduction', Notification: 'group-notification' },
  },
  'OfficialAccount.CallbackBeforeCreateOfficialAccount': {
    kind: 'official-account-create', message: false, codes: 'c2c', fields: { Name: 'account-name' }, from: ['Operator_Account', 'Owner_Account'],
  },
} as const satisfies Record<string, CommandSpec>

/** A command the pipeline decides. */
export type DecidedCommand = keyof typeof COMMANDS
/** Its short name (`c2c`, `group`, `friend-add`, …). */
export type CommandKind = (typeof COMMANDS)[DecidedCommand]['kind']

/** The commands in table order. */
export const DECIDED_COMMANDS = Object.keys(COMMANDS) as DecidedCommand[]
/** The short names in table order. */
export const COMMAND_KINDS = DECIDED_COMMANDS.map((c) => COMMANDS[c].kind) as CommandKind[]

/**
 * True when the pipeline decides `command` (the message callbacks and the other "before" callbacks that
 * carry user text); every other command is answered OK at once.
 * @example isDecidedCommand('Sns.CallbackPrevFriendAdd') // true
 */
export function isDecidedCommand(command: unknown): command is DecidedCommand {
  return typeof command === 'string' && Object.prototype.hasOwnProperty.call(COMMANDS, command)
}
