import { createHash } from 'node:crypto';
import type { IntakeRecord } from '../../store/intake-log';
import type { GatewayEnv } from '../gateway-env';
import type { RequestType } from '../metrics';
import { NOT_RECORDED } from '../slack/choice-messages';

/** Slack's window is 3 s; the ack goes by then whether or not the store has answered. */
const ACK_WITHIN_MS = 2500;

export interface AcceptInput {
  type: RequestType;
  kind: IntakeRecord['kind'];
  /** the payload or the command's fields, as Bolt parsed them */
  body: Record<string, unknown>;
  ack: () => Promise<void>;
  /** performance.now() when the request reached the gateway (see request-arrival.ts); default: now. */
  arrivedAt?: number;
  /** How the user is told it was not recorded; default: the body's response_url (a modal's has none). */
  tell?: (text: string) => Promise<void>;
  /** a click's context, when the message index was asked before the ack (IntakeRecord.contextId) */
  contextId?: string;
}

/**
 * Log, then ack: a verified click or command is appended to the intake log before Slack hears back, so no
 * acknowledged request can be lost, and the work on it starts from the log in whichever replica takes it. A
 * retry or replay of a request (the same trigger_id) is acknowledged and does nothing. When the log cannot
 * take the entry, Slack still gets its ack in time and the user is told at once to click again.
 */
export async function acceptRequest(env: GatewayEnv, input: AcceptInput): Promise<void> {
  const { config, store, metrics, logger } = env;
  const arrivedAt = input.arrivedAt ?? performance.now();
  const record: IntakeRecord = {
    kind: input.kind,
    receivedAt: env.now(),
    body: JSON.stringify(input.body),
    requestKey: requestKey(input.kind, input.body),
    ...(input.contextId === undefined ? {} : { contextId: input.contextId }),
  };
  // Past this, by the store's clock, the append is refused: a user told "nothing happened" was told the truth.
  const notAfter = Date.now() + config.intake.appendTimeoutMs;
  const appended = store.intake
    .append(record, { dedupeTtlMs: config.intake.dedupeTtlMs, notAfter })
    .catch((error: unknown) => error as Error);
  let timer: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    appended,
    // From the arrival: a click that first checked whether it opens a modal (open-dialog.ts) has spent some.
    new Promise<'ack now'>(
      (resolve) =>
        (timer = setTimeout(
          () => resolve('ack now'),
          Math.max(0, arrivedAt + ACK_WITHIN_MS - performance.now()),
        )),
    ),
  ]);
  clearTimeout(timer);
  await input.ack();
  metrics.ack(input.type, (performance.now() - arrivedAt) / 1000);
  const outcome = early === 'ack now' ? await appended : early;
  if (outcome === 'appended') return metrics.request(input.type, 'ok');
  if (outcome === 'duplicate') {
    logger.info(`a ${input.kind} was received again (a retry or a replay): already taken, nothing more done`);
    return metrics.request(input.type, 'duplicate');
  }
  metrics.request(input.type, 'unrecorded');
  const why = outcome === 'late' ? 'the state store answered too late' : outcome.message;
  logger.warn(`a ${input.kind} could not be written to the intake log, the user is told: ${why}`);
  await (input.tell ?? ((text) => env.slack.ephemeral(responseUrlOf(input.body), text)))(NOT_RECORDED);
}

/**
 * What identifies a request across Slack's retries and a replay of its bytes: Slack's trigger_id, unique per
 * interaction and per command; a payload without one is identified by its content.
 */
export function requestKey(kind: IntakeRecord['kind'], body: Record<string, unknown>): string {
  const team =
    text(body['team_id']) ?? text((body['team'] as Record<string, unknown> | undefined)?.['id']) ?? '';
  const trigger = text(body['trigger_id']);
  if (trigger) return `${kind}:${team}:${trigger}`;
  return `${kind}:${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}`;
}

export function responseUrlOf(body: Record<string, unknown>): string | null {
  return text(body['response_url']) ?? null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
