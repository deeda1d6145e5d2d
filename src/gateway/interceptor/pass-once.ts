import { StoreError } from '../../core/errors';
import type { GatewayEnv } from '../gateway-env';
import { GrpcCode, type Refusal } from './grpc-code';
import type { SlacklineExtension } from './slackline-extension';

/** Longer than any redelivery of a decision (the delivery deadline is ten minutes by default) and Slack's retries. */
export const PASSED_TTL_MS = 24 * 60 * 60_000;

/**
 * Lets the first arrival of an idempotency key through and refuses the later ones, so that a decision POSTed
 * twice (a retry after a reset connection, a redelivery after a crash) creates one PipelineRun. Keys are
 * recorded per scope (the trigger, for a ClusterInterceptor), since two triggers of one EventListener each see
 * every event. When the key cannot be recorded the event still passes: a duplicate is better than a decision
 * lost, and the EventListener has already answered 202 to its sender.
 */
export async function passOnce(
  env: GatewayEnv,
  scope: string,
  extension: SlacklineExtension,
): Promise<Refusal | undefined> {
  const key = extension.idempotencyKey;
  if (key === null) return undefined;
  try {
    if (await env.store.claimOnce(`slackline:passed:${scope}:${key}`, PASSED_TTL_MS)) return undefined;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    env.logger.warn(`interceptor: let ${key} through unrecorded (state store: ${error.message})`);
    return undefined;
  }
  return {
    code: GrpcCode.ALREADY_EXISTS,
    message: `already let through: idempotency key ${key} already passed ${scope}`,
  };
}
