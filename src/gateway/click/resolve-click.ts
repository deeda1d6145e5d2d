import { decodeLegacyButtonValue, type LegacyButtonValue } from '../../core/legacy-button-value';
import type { GatewayEnv } from '../gateway-env';
import { UNKNOWN_CONTEXT } from '../slack/choice-messages';
import type { SlackClick } from './slack-click';

/** Which context, and which kind of record in it, a click is decided against. */
export type ClickTarget =
  | { kind: 'offered'; contextId: string }
  | { kind: 'button'; contextId: string; button: LegacyButtonValue }
  | { kind: 'unknown'; message: string };

/**
 * A click is resolved through the message index that manual-choice wrote: a message slackline posted is found
 * whatever its button values say. A button in cicdstatemgr 1.2.4's format names its context in its value, which
 * anyone can write: such a button on a message slackline never indexed is only taken when the operator turned
 * legacyButtons on for a migration, and is then decided under the context's rules (see button-choice.ts).
 * `known`: the context the index named when the click was accepted (IntakeRecord.contextId).
 */
export async function resolveClick(env: GatewayEnv, click: SlackClick, known?: string): Promise<ClickTarget> {
  const indexed = known ?? (await env.store.findMessage?.(click.channelId, click.messageTs));
  if (indexed) return { kind: 'offered', contextId: indexed };
  const button = decodeLegacyButtonValue(click.value);
  const contextId = button?.fields['cicdContextDataId'];
  if (!button || typeof contextId !== 'string' || contextId === '') {
    return { kind: 'unknown', message: UNKNOWN_CONTEXT };
  }
  if (!env.config.legacyButtons.enabled) {
    env.logger.warn(
      'refused a click on a cicdstatemgr-format button on a message slackline never indexed: ' +
        'legacyButtons is off (turn it on only while migrating from cicdstatemgr 1.2.4)',
      { contextId, channel: click.channelId, messageTs: click.messageTs, user: click.userId },
    );
    return { kind: 'unknown', message: UNKNOWN_CONTEXT };
  }
  return { kind: 'button', contextId, button };
}
