import type { ContextRef } from '../../core/forwarded-event';
import type { InterceptedEvent } from './intercepted-event';

export const INTERCEPTOR_SCHEMA = 'slackline/interceptor/v1';

/** How the request's origin was established. */
export type Verification = 'slackline-signature' | 'slack-signature' | 'none';

/**
 * What both interceptor endpoints add: the ClusterInterceptor under `extensions.slackline`, the webhook as the
 * body's `slackline` field. Within v1, fields are only ever added (as for forwarded events).
 */
export interface SlacklineExtension {
  schema: typeof INTERCEPTOR_SCHEMA;
  /** `slackline`: the gateway's forwarded event or other slackline-signed JSON; `slack`: a request from Slack */
  source: 'slackline' | 'slack';
  verified: Verification;
  /** the interaction's payload type (`block_actions`, …), `slash_command`, `forwarded_event` or `signed_json` */
  type: string;
  /** each action's value, select menus' selected values included (see action-values.ts) */
  actionValues: string[];
  /** the context the message or event belongs to; nulls when unknown */
  context: ContextRef;
  /** the offered choice recorded for the clicked message (or the forwarded event's decided choice) */
  choice: {
    id: string | null;
    pipeline: string | null;
    event: string | null;
    title: string | null;
    status: string;
  } | null;
  /** the normalized event (docs/forwarded-events.md's fields; kind `click` for a click not yet decided) */
  event: InterceptedEvent | null;
  /**
   * What stays the same across every copy of one request: a forwarded event's `id` (kept across the gateway's
   * retries, replicas and restarts), Slack's `trigger_id` for a request straight from Slack; null for signed JSON
   * of the CLI's, which carries none. The interceptor lets one arrival of each through (see pass-once.ts).
   */
  idempotencyKey: string | null;
}
