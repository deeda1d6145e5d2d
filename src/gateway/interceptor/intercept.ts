import { randomUUID } from 'node:crypto';
import { StoreError } from '../../core/errors';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../core/forward-signature';
import type { GatewayEnv } from '../gateway-env';
import { storeFailure } from '../store-failure';
import { slackClickFrom } from '../click/slack-click';
import { actionValues } from './action-values';
import { GrpcCode } from './grpc-code';
import { hasHeader, headerValue } from './header-value';
import { clickEventOf, commandEventOf } from './intercepted-event';
import { readSlackRequest, type ReadRequest } from './read-slack-request';
import { resolveClickContext, type ClickContext } from './resolve-click-context';
import { INTERCEPTOR_SCHEMA, type SlacklineExtension } from './slackline-extension';
import type { InterceptInput } from './intercept-input';
import { verifyOrigin } from './verify-origin';

export type InterceptOutcome =
  | { ok: true; read: ReadRequest; extension: SlacklineExtension }
  | { ok: false; code: GrpcCode; message: string };

const NOT_SLACK_JSON =
  'not a Slack request or slackline event: the JSON body is not a Slack interaction, a slash command or a ' +
  'slackline forwarded event, and no x-slackline-signature vouches for it';

// Well inside the webhook's fixed 5 s and the ClusterInterceptor's 10 s response-header timeout.
const LOOKUP_TIMEOUT_MS = 2000;

/**
 * What both interceptor endpoints do: read the body in whichever shape it came, check who sent it, find the
 * context of a clicked message (the only I/O, one index and one document read), and describe the event. A refusal
 * carries the gRPC code a ClusterInterceptor answers with; the webhook maps it to an HTTP status.
 */
export async function intercept(env: GatewayEnv, input: InterceptInput): Promise<InterceptOutcome> {
  const read = readSlackRequest(input.body, headerValue(input.headers, 'content-type') ?? '');
  if ('problem' in read) {
    return refuse(GrpcCode.INVALID_ARGUMENT, `not a Slack request or slackline event: ${read.problem}`);
  }
  const unknownJson = read.request.kind === 'json';
  const slacklineSigned =
    hasHeader(input.headers, SIGNATURE_HEADER) || hasHeader(input.headers, TIMESTAMP_HEADER);
  if (unknownJson && !slacklineSigned) return refuse(GrpcCode.INVALID_ARGUMENT, NOT_SLACK_JSON);
  const verified = verifyOrigin(input, read.rawBody, slacklineSigned, env.now());
  if (typeof verified !== 'string') return { ok: false, ...verified };
  const base = { schema: INTERCEPTOR_SCHEMA, verified, actionValues: [] as string[] } as const;
  const { request } = read;
  switch (request.kind) {
    case 'json':
      // Signed by slackline (the CLI's trigger-pipeline) but not an event the gateway describes: verified only.
      if (verified !== 'slackline-signature') return refuse(GrpcCode.INVALID_ARGUMENT, NOT_SLACK_JSON);
      return done(read, { ...base, source: 'slackline', type: 'signed_json', ...NOTHING_MORE });
    case 'forwarded': {
      const { event } = request;
      const choice = event.choice ? { ...event.choice, status: 'decided' } : null;
      const described = { context: event.context, choice, event, idempotencyKey: event.id };
      return done(read, { ...base, source: 'slackline', type: 'forwarded_event', ...described });
    }
    case 'command': {
      const described = describeCommand(env, request.fields, input.eventId);
      return done(read, { ...base, source: 'slack', type: 'slash_command', ...described });
    }
    case 'interaction': {
      const described = await describeInteraction(env, request.payload, input.eventId);
      return 'code' in described
        ? refuse(described.code, described.message)
        : done(read, { ...base, ...described });
    }
  }
}

/** A verified request that names no context, choice or event. */
const NOTHING_MORE = { context: { id: null, name: null }, choice: null, event: null, idempotencyKey: null };

type Described = Pick<SlacklineExtension, 'context' | 'choice' | 'event' | 'idempotencyKey'>;

function describeCommand(env: GatewayEnv, fields: Record<string, string>, eventId?: string): Described {
  const spec = Object.hasOwn(env.config.commands, fields['command'] ?? '')
    ? env.config.commands[fields['command'] as string]
    : undefined;
  const now = new Date(env.now());
  const event = commandEventOf({ fields, spec, id: eventId || randomUUID(), now }) ?? null;
  return { ...NOTHING_MORE, event, idempotencyKey: slackKey(fields['trigger_id']) };
}

/** A click on a message is resolved against its context (the only I/O); other interactions are described. */
async function describeInteraction(
  env: GatewayEnv,
  payload: Record<string, unknown>,
  eventId?: string,
): Promise<
  | (Described & Pick<SlacklineExtension, 'source' | 'type' | 'actionValues'>)
  | { code: GrpcCode; message: string }
> {
  const values = actionValues(payload);
  // Read once, for the lookup and the event: the first action value given as `value`, since a Block Kit menu
  // keeps its own in selected_option. Undefined when it is no click on a message (a modal, a shortcut, …).
  const click = slackClickFrom({ ...payload, actions: [{ value: values[0] }] });
  let found: ClickContext = { context: { id: null, name: null }, choice: undefined };
  if (click) {
    try {
      found = await resolveClickContext(env.store, click.channelId, click.messageTs, LOOKUP_TIMEOUT_MS);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      env.logger.warn(`interceptor: state store unavailable: ${error.message}`);
      return {
        code: storeFailure(error).grpcCode,
        message: 'the state store is unavailable, so the clicked message cannot be resolved',
      };
    }
  }
  const { context, choice } = found;
  const now = new Date(env.now());
  const event = click
    ? clickEventOf({ payload, click, context, choice, id: eventId || randomUUID(), now })
    : null;
  const summary = choice
    ? {
        id: choice.id,
        pipeline: choice.pipeline,
        event: choice.event,
        title: choice.title,
        status: choice.status,
      }
    : null;
  return {
    source: 'slack',
    type: payload['type'] as string,
    actionValues: values,
    context,
    choice: summary,
    event,
    idempotencyKey: slackKey(payload['trigger_id']),
  };
}

/** Slack gives every interaction and command its own `trigger_id`, kept when it retries the same request. */
function slackKey(triggerId: unknown): string | null {
  return typeof triggerId === 'string' && triggerId !== '' ? `slack:${triggerId}` : null;
}

function refuse(code: GrpcCode, message: string): InterceptOutcome {
  return { ok: false, code, message };
}

/** The extension with its fields always in one order, which makes logs and examples easier to read. */
function done(read: ReadRequest, extension: SlacklineExtension): InterceptOutcome {
  const {
    schema,
    source,
    verified,
    type,
    actionValues: values,
    context,
    choice,
    event,
    idempotencyKey,
  } = extension;
  return {
    ok: true,
    read,
    extension: {
      schema,
      source,
      verified,
      type,
      actionValues: values,
      context,
      choice,
      event,
      idempotencyKey,
    },
  };
}
