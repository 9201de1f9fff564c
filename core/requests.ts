/**
 * Request builders: realistic callback bodies, one builder per supported command, so `presend check` can turn
 * a TEXT into the request Tencent would send and `presend/testing` can build the cases a plugin author writes.
 * The identity fields (accounts, sequence numbers, IDs) are the ones in Tencent's documented examples.
 *
 * @module
 */
import { textElement } from './plugin.js'
import type { BeforeSendCommand, BeforeSendRequest, BlockOnlyCommand, BlockOnlyRequest, CallbackRequest, DecidedCommand, MsgElement } from './protocol/index.js'

/**
 * Fields every builder accepts. `text` is shorthand for a body of one text element.
 * @example c2cRequest({ text: 'hi', from: 'alice', cloudCustomData: '{"vip":true}', extra: { MsgSeq: 7 } })
 */
export interface RequestInit {
  /** The message text, as one text element (default `'hello'`). Ignored when `body` is given. */
  text?: string
  /** The whole `MsgBody`. */
  body?: MsgElement[]
  /** The sender (`From_Account`). */
  from?: string
  /** `CloudCustomData`; absent unless given. */
  cloudCustomData?: string
  /** Extra top-level fields, merged last. */
  extra?: Record<string, unknown>
}

function bodyOf(init: RequestInit): MsgElement[] {
  return init.body ?? [textElement(init.text ?? 'hello')]
}

function finish<T extends Record<string, unknown>>(req: T, init: RequestInit): T {
  const out: Record<string, unknown> = req
  if (init.cloudCustomData !== undefined) out.CloudCustomData = init.cloudCustomData
  return Object.assign(out, init.extra) as T
}

/**
 * A `C2C.CallbackBeforeSendMsg` body with realistic identity fields.
 * @example c2cRequest({ text: 'hi', from: 'alice', to: 'bob' })
 */
export function c2cRequest(init: RequestInit & { to?: string } = {}): BeforeSendRequest {
  const seq = 48374
  const random = 2837546
  const time = 1557481126
  return finish(
    {
      CallbackCommand: 'C2C.CallbackBeforeSendMsg' as const,
      From_Account: init.from ?? 'jared',
      To_Account: init.to ?? 'Jonh',
      MsgSeq: seq,
      MsgRandom: random,
      MsgTime: time,
      MsgKey: `${seq}_${random}_${time}`,
      MsgId: '144115233406643804-1727580296-4026038328',
      OnlineOnlyFlag: 0,
      MsgBody: bodyOf(init),
      EventTime: 1670574414123,
    },
    init,
  )
}

/**
 * A `Group.CallbackBeforeSendMsg` body (`topicId` makes it a Community topic message).
 * @example groupRequest({ text: 'hi all', groupId: '@TGS#2J4SZEAEL' })
 */
export function groupRequest(init: RequestInit & { groupId?: string; topicId?: string; type?: string } = {}): BeforeSendRequest {
  const req: Record<string, unknown> = {
    CallbackCommand: 'Group.CallbackBeforeSendMsg' as const,
    GroupId: init.groupId ?? '@TGS#2J4SZEAEL',
    Type: init.type ?? 'Public',
    From_Account: init.from ?? 'jared',
    Operator_Account: init.from ?? 'jared',
    Random: 123456,
    MsgId: '144115233406643804-1727580296-4026038329',
    OnlineOnlyFlag: 0,
    MsgBody: bodyOf(init),
    EventTime: '1670574414123',
  }
  if (init.topicId !== undefined) req.TopicId = init.topicId
  return finish(req, init) as BeforeSendRequest
}

/**
 * An `OfficialAccount.CallbackBeforeSendMsg` body.
 * @example officialAccountRequest({ text: 'Breaking news', account: '@TOA#_news' })
 */
export function officialAccountRequest(init: RequestInit & { account?: string } = {}): BeforeSendRequest {
  return finish(
    {
      CallbackCommand: 'OfficialAccount.CallbackBeforeSendMsg' as const,
      Official_Account: init.account ?? '@TOA#_news',
      From_Account: init.from ?? 'admin',
      Random: 654321,
      MsgBody: bodyOf(init),
    },
    init,
  ) as BeforeSendRequest
}

/** Fields the builders of the other "before" callbacks accept: `text` is the user text the callback carries. */
export interface BlockOnlyInit {
  /** The text a user wrote: the friend request's wording, the group's name… (default `'hello'`). */
  text?: string
  /** The requester, operator or applicant. */
  from?: string
  /** Extra top-level fields, merged last. */
  extra?: Record<string, unknown>
}

function blockOnly(command: BlockOnlyCommand, fields: Record<string, unknown>, init: BlockOnlyInit): BlockOnlyRequest {
  return Object.assign({ CallbackCommand: command, ...fields }, init.extra) as BlockOnlyRequest
}

/**
 * A `Sns.CallbackPrevFriendAdd` body (Tencent's example): one friend request whose wording is `text`.
 * @example friendAddRequest({ text: 'hi, add me', from: 'alice' })
 */
export function friendAddRequest(init: BlockOnlyInit & { to?: string } = {}): BlockOnlyRequest {
  const from = init.from ?? 'id'
  return blockOnly('Sns.CallbackPrevFriendAdd', {
    Requester_Account: from,
    From_Account: from,
    FriendItem: [{ To_Account: init.to ?? 'id1', Remark: 'remark1', GroupName: 'group1', AddSource: 'AddSource_Type_Android', AddWording: init.text ?? 'hello' }],
    AddType: 'Add_Type_Both',
    ForceAddFlags: 0,
    EventTime: 1631777344870,
  }, init)
}

/**
 * A `Sns.CallbackPrevFriendResponse` body: one response whose remark is `text`.
 * @example friendResponseRequest({ text: 'my cousin' })
 */
export function friendResponseRequest(init: BlockOnlyInit & { to?: string } = {}): BlockOnlyRequest {
  const from = init.from ?? 'id'
  return blockOnly('Sns.CallbackPrevFriendResponse', {
    Requester_Account: from,
    From_Account: from,
    ResponseFriendItem: [{ To_Account: init.to ?? 'id1', Remark: init.text ?? 'hello', TagName: 'group1', ResponseAction: 'Response_Action_AgreeAndAdd' }],
    EventTime: 1631777645424,
  }, init)
}

/**
 * A `Group.CallbackBeforeCreateGroup` body whose group name is `text`.
 * @example groupCreateRequest({ text: 'Book club' })
 */
export function groupCreateRequest(init: BlockOnlyInit & { type?: string } = {}): BlockOnlyRequest {
  const from = init.from ?? 'leckie'
  return blockOnly('Group.CallbackBeforeCreateGroup', {
    Operator_Account: from,
    Owner_Account: from,
    Type: init.type ?? 'Public',
    Name: init.text ?? 'hello',
    MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'peter' }],
    EventTime: 1670574414123,
  }, init)
}

/**
 * A `Group.CallbackBeforeApplyJoinGroup` body whose application message is `text`.
 * @example groupApplyRequest({ text: 'let me in' })
 */
export function groupApplyRequest(init: BlockOnlyInit & { groupId?: string } = {}): BlockOnlyRequest {
  return blockOnly('Group.CallbackBeforeApplyJoinGroup', {
    GroupId: init.groupId ?? '@TGS#2J4SZEAEL',
    Type: 'Public',
    Requestor_Account: init.from ?? 'jared',
    ApplyMsg: init.text ?? 'hello',
    EventTime: 1670574414123,
  }, init)
}

/**
 * A `Group.CallbackBeforeCreateTopic` body whose topic name is `text`.
 * @example topicCreateRequest({ text: 'Announcements' })
 */
export function topicCreateRequest(init: BlockOnlyInit = {}): BlockOnlyRequest {
  return blockOnly('Group.CallbackBeforeCreateTopic', { Operator_Account: init.from ?? 'leckie', Type: 'Community', Name: init.text ?? 'hello' }, init)
}

/**
 * An `OfficialAccount.CallbackBeforeCreateOfficialAccount` body whose account name is `text`.
 * @example officialAccountCreateRequest({ text: 'Daily news' })
 */
export function officialAccountCreateRequest(init: BlockOnlyInit = {}): BlockOnlyRequest {
  const from = init.from ?? '107867'
  return blockOnly('OfficialAccount.CallbackBeforeCreateOfficialAccount', { Operator_Account: from, Owner_Account: from, Name: init.text ?? 'hello', EventTime: 1670574414123 }, init)
}

/**
 * The C2C example from Tencent's documentation: jared → Jonh, "red packet", with `CloudCustomData`.
 * @example const result = await pipeline.run(seedRequest())
 */
export function seedRequest(): BeforeSendRequest {
  return {
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'jared',
    To_Account: 'Jonh',
    MsgSeq: 48374,
    MsgRandom: 2837546,
    MsgTime: 1557481126,
    MsgKey: '48374_2837546_1557481126',
    MsgId: '144115233406643804-1727580296-4026038328',
    OnlineOnlyFlag: 1,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    CloudCustomData: 'your cloud custom data',
    EventTime: 1670574414123,
  }
}

/**
 * Builds a request for one command from the common fields.
 * @example const build: RequestBuilder = REQUEST_BUILDERS['Group.CallbackBeforeSendMsg']
 */
export type RequestBuilder = (init?: RequestInit) => BeforeSendRequest

/** A builder of one of the other "before" callbacks' bodies. */
export type BlockOnlyBuilder = (init?: BlockOnlyInit) => BlockOnlyRequest

/**
 * One builder per command the pipeline decides on. Typed by the command list, so a command added to the
 * protocol fails the build here until it has a builder — `presend check --command` and the testing kit both
 * read this table.
 *
 * @example REQUEST_BUILDERS['Group.CallbackBeforeSendMsg']({ text: 'hi all' })
 */
export const REQUEST_BUILDERS: Readonly<Record<BeforeSendCommand, RequestBuilder> & Record<BlockOnlyCommand, BlockOnlyBuilder>> = Object.freeze({
  'C2C.CallbackBeforeSendMsg': c2cRequest,
  'Group.CallbackBeforeSendMsg': groupRequest,
  'OfficialAccount.CallbackBeforeSendMsg': officialAccountRequest,
  'Sns.CallbackPrevFriendAdd': friendAddRequest,
  'Sns.CallbackPrevFriendResponse': friendResponseRequest,
  'Group.CallbackBeforeCreateGroup': groupCreateRequest,
  'Group.CallbackBeforeApplyJoinGroup': groupApplyRequest,
  'Group.CallbackBeforeCreateTopic': topicCreateRequest,
  'OfficialAccount.CallbackBeforeCreateOfficialAccount': officialAccountCreateRequest,
})

/**
 * The request `command` would carry `text` in: a one-element message, or the text field of another callback.
 * @example requestWithText('Sns.CallbackPrevFriendAdd', 'hi, add me')
 */
export function requestWithText(command: DecidedCommand, text: string): CallbackRequest {
  return (REQUEST_BUILDERS[command] as (init: { text: string }) => CallbackRequest)({ text })
}

/**
 * A request for `command`, built by its builder in {@link REQUEST_BUILDERS}.
 * @example requestFor('OfficialAccount.CallbackBeforeSendMsg', { text: 'news' })
 */
export function requestFor(command: BeforeSendCommand, init: RequestInit = {}): BeforeSendRequest {
  return REQUEST_BUILDERS[command](init)
}
