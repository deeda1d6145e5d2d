import { createHash, randomUUID } from 'node:crypto';

/**
 * The JSON body the gateway POSTs to a Tekton EventListener for a decided choice or a slash command. It is a
 * public contract (users' TriggerBindings read it, see docs/forwarded-events.md): within v1 fields are only ever
 * added, never renamed, removed or given another type.
 */
export const FORWARDED_EVENT_SCHEMA = 'slackline/forwarded-event/v1';

export interface ForwardedEvent {
  schema: typeof FORWARDED_EVENT_SCHEMA;
  id: string;
  kind: 'choice' | 'command';
  occurredAt: string;
  context: { id: string | null; name: string | null };
  choice?: { id: string | null; pipeline: string | null; event: string | null; title: string | null };
  option?: { group: string | null; text: string | null; value: string; style: string | null };
  /**
   * Added in v1 for options with inputs (docs/forwarded-events.md): the deciding user's answers, every input the
   * option declares by name ("" when not answered); `{}` for an option without inputs. Choices only.
   */
  inputs?: Record<string, string>;
  /** the decoded fields of a cicdstatemgr-format button value */
  value: Record<string, unknown> | null;
  command?: { name: string; text: string; args: Record<string, string> };
  approvers: string[];
  /** choices only, and only `"deadline"` when the choice's deadline decided it (no user did: `user.id` is '') */
  decidedBy?: 'deadline';
  user: { id: string; name: string | null; username: string | null; teamId: string | null };
  slack: {
    teamId: string | null;
    channelId: string | null;
    messageTs: string | null;
    threadTs: string | null;
    responseUrl: string | null;
    triggerId: string | null;
  };
  /** the flat fields cicdstatemgr's Tekton example extracted with CEL, only those that have a value */
  cicdstatemgr: Record<string, string>;
}

/** The Slack user who clicked or typed: `name` is Slack's `user.name`, `username` its `user.username`. */
export interface ForwardedUser {
  id: string;
  name?: string | null;
  username?: string | null;
  teamId?: string | null;
}

/** Where in Slack the request came from; anything unknown may be left out. */
export interface SlackOrigin {
  teamId?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
  threadTs?: string | null;
  responseUrl?: string | null;
  triggerId?: string | null;
}

export interface ContextRef {
  id: string | null;
  name: string | null;
}

export interface CommandEventInput {
  command: { name: string; text: string; args: Record<string, string> };
  user: ForwardedUser;
  slack?: SlackOrigin;
  /** the context the command is about, when it names one */
  context?: ContextRef;
  id?: string;
  now?: Date;
}

/** The dict keys of cicdstatemgr's deploy/test/validate and changeContext button values that its CEL overlays copied. */
const VALUE_FIELDS = [
  'cicdContextDataId',
  'cicdContextName',
  'targetAppName',
  'targetAppTag',
  'gitCloneUrl',
  'relatedPipelineName',
  'relatedPipelineRunUid',
  'relatedCicdContextDataId',
  'trigger',
  'targetCicdContextName',
  'gitAppName',
  'appName',
  'appTag',
  'cicdVersion',
  'commitId',
] as const;

export function commandEvent(input: CommandEventInput): ForwardedEvent {
  const { command, user } = input;
  const slack = slackOf(input.slack, user, {});
  const event: ForwardedEvent = {
    schema: FORWARDED_EVENT_SCHEMA,
    id: input.id ?? randomUUID(),
    kind: 'command',
    occurredAt: (input.now ?? new Date()).toISOString(),
    context: { id: input.context?.id ?? null, name: input.context?.name ?? null },
    value: null,
    command: { name: command.name, text: command.text, args: { ...command.args } },
    approvers: [],
    user: userOf(user, slack),
    slack,
    cicdstatemgr: {},
  };
  const fields: Record<string, unknown> = { ...command.args };
  // cicdstatemgr's /start-app-deploy trigger took `body.trigger_id.split('.')[2]` as the unique string.
  fields['uniqueString'] ??= slack.triggerId?.split('.')[2];
  event.cicdstatemgr = cicdstatemgrFields(fields, event, ['uniqueString']);
  return event;
}

export function cicdstatemgrFields(
  fields: Record<string, unknown>,
  event: ForwardedEvent,
  extra: readonly string[] = [],
): Record<string, string> {
  const known: Record<string, unknown> = {};
  for (const key of [...VALUE_FIELDS, ...extra]) known[key] = fields[key];
  known['cicdContextDataId'] = flat(known['cicdContextDataId']) ?? event.context.id;
  known['cicdContextName'] = flat(known['cicdContextName']) ?? event.context.name;
  Object.assign(known, {
    slackUserId: event.user.id,
    slackUsername: event.user.username,
    slackUserFullName: event.user.name,
    slackChannelId: event.slack.channelId,
    slackMessageTs: event.slack.messageTs,
    slackThreadTs: event.slack.threadTs,
  });
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(known)) {
    const text = flat(value);
    if (text !== undefined) result[key] = text;
  }
  return result;
}

/** A TriggerBinding inserts a string as is; anything that is not a scalar with a value is left out. */
function flat(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function slackOf(
  given: SlackOrigin | undefined,
  user: ForwardedUser,
  defaults: SlackOrigin,
): ForwardedEvent['slack'] {
  const pick = (key: keyof SlackOrigin): string | null => given?.[key] || defaults[key] || null;
  return {
    teamId: pick('teamId') ?? user.teamId ?? null,
    channelId: pick('channelId'),
    messageTs: pick('messageTs'),
    threadTs: pick('threadTs'),
    responseUrl: pick('responseUrl'),
    triggerId: pick('triggerId'),
  };
}

export function userOf(user: ForwardedUser, slack: ForwardedEvent['slack']): ForwardedEvent['user'] {
  return {
    id: user.id,
    name: user.name || null,
    username: user.username || null,
    teamId: user.teamId || slack.teamId,
  };
}

// A fixed namespace for slackline's name-based ids (any constant works; this one was generated once).
const ID_NAMESPACE = Buffer.from('6f1c2a4e9b7d4c0e8a3f5d2b1c9e7a60', 'hex');

/** An RFC 4122 version 5 UUID: the same name always gives the same id (a choice's, a command's trigger_id). */
export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(ID_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
