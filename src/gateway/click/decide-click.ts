import { applyToChoice } from '../../core/choice/apply-click';
import { groupsToCheck } from '../../core/choice/authorize';
import { buttonChoice } from '../../core/choice/button-choice';
import type { ChoiceRecord } from '../../core/choice/choice-record';
import { refusal, type Click, type ClickOutcome, type DecisionPolicy } from '../../core/choice/click';
import { findChoiceByMessage } from '../../core/choice/read-choice';
import type { ContextDocument } from '../../core/document';
import type { GatewayEnv } from '../gateway-env';
import { resolveRoute } from '../resolve-route';
import type { ClickTarget } from './resolve-click';
import { buttonValuesOf, clickOrigin, clickUser, type SlackClick } from './slack-click';

export interface Decided {
  outcome: ClickOutcome;
  /** the document as committed (or as read, when the click changed nothing) */
  doc: ContextDocument | undefined;
}

/**
 * Decides atomically in the store: the kernel applies the click to the document inside the store's
 * read-modify-write, which may run it again on a re-read document after a concurrent write. The user's Slack
 * groups are a Slack call, so they are asked outside it, once, and only when the choice's allow-list needs them.
 */
export async function decideClick(
  env: GatewayEnv,
  target: Exclude<ClickTarget, { kind: 'unknown' }>,
  slackClick: SlackClick,
): Promise<Decided> {
  const click = kernelClick(slackClick, new Date(env.now()));
  const policy = decisionPolicy(env, target.contextId);
  let groups: string[] | undefined;
  let lookedUp = false;
  for (;;) {
    let outcome: ClickOutcome | undefined;
    let needs: string[] = [];
    const doc = await env.store.update(target.contextId, (current) => {
      needs = [];
      if (!current) {
        outcome = refusal(
          'no-choice',
          `The pipeline context "${target.contextId}" this button belongs to no longer exists.`,
        );
        return undefined;
      }
      const record = choiceOf(env, current, target, slackClick, click);
      if (!record || 'kind' in record) {
        outcome =
          record ??
          refusal('no-choice', 'slackline never offered a choice on this message, so nothing was forwarded.');
        return undefined;
      }
      needs = lookedUp ? [] : groupsToCheck(record, click.userId);
      if (needs.length > 0) return undefined;
      outcome = applyToChoice(
        current,
        record,
        { ...click, ...(groups ? { userGroups: groups } : {}) },
        policy,
      );
      // Written when the kernel changed it; the store writes nothing when the text did not change.
      return current;
    });
    if (needs.length > 0) {
      groups = await lookUpGroups(env, slackClick.userId, needs);
      lookedUp = true;
      continue;
    }
    return { outcome: outcome as ClickOutcome, doc };
  }
}

function choiceOf(
  env: GatewayEnv,
  doc: ContextDocument,
  target: Exclude<ClickTarget, { kind: 'unknown' }>,
  slackClick: SlackClick,
  click: Click,
): ChoiceRecord | ClickOutcome | undefined {
  if (target.kind === 'offered') {
    const choice = findChoiceByMessage(doc, click.channelId, click.messageTs);
    // A submission names the choice its modal was opened for: another one on that message is not it.
    if (choice && slackClick.choiceId !== undefined && choice.id !== slackClick.choiceId) {
      return refusal('no-choice', 'The choice this form was opened for is no longer on its message.');
    }
    return choice;
  }
  const { legacyButtons, forwarding } = env.config;
  const { trigger } = target.button;
  return buttonChoice(
    doc,
    {
      click,
      button: target.button,
      messageValues: buttonValuesOf(slackClick.message),
      messageText: typeof slackClick.message?.['text'] === 'string' ? slackClick.message['text'] : null,
      threadTs: slackClick.threadTs,
    },
    {
      allowedUsers: legacyButtons.allowedUsers,
      allowedGroups: legacyButtons.allowedGroups,
      // cicdstatemgr's EventListener routed on the value's prefix: a route of that name, else the default.
      route: Object.hasOwn(forwarding.routes, trigger) ? trigger : null,
    },
  );
}

/** The rules of the gateway's config that decisions are made under. */
export function decisionPolicy(env: GatewayEnv, contextId: string): DecisionPolicy {
  return {
    contextId,
    deliveryDeadlineMs: env.config.forwarding.deliveryDeadlineMs,
    routeProblem: (route) => {
      const target = resolveRoute(route, env.config.forwarding);
      return 'error' in target ? target.error : undefined;
    },
  };
}

/** The click as the kernel takes it. */
export function kernelClick(click: SlackClick, at: Date): Click {
  return {
    userId: click.userId,
    ...(click.userName ? { userName: click.userName } : {}),
    ...(click.teamId ? { teamId: click.teamId } : {}),
    channelId: click.channelId,
    messageTs: click.messageTs,
    value: click.value,
    at,
    user: clickUser(click),
    slack: clickOrigin(click),
    ...(click.inputs ? { inputs: click.inputs } : {}),
  };
}

/** Undefined when Slack cannot tell: the refusal then says the groups could not be checked. */
async function lookUpGroups(
  env: GatewayEnv,
  userId: string,
  groups: string[],
): Promise<string[] | undefined> {
  try {
    return await env.slack.groupsOf(userId, groups);
  } catch (error) {
    env.logger.warn(`could not look up the Slack user groups of ${userId}: ${(error as Error).message}`);
    return undefined;
  }
}
