import type { ChoiceRecord, RefusalReason } from './choice-record';
import type { Click } from './click';
import { stringList } from './read-choice';
import { listOf, mention, slackId } from './slack-text';

/**
 * Why the user may not choose, if they may not: the allow-lists first, then the initiator exclusion. The
 * caller looks the user's groups up beforehand when groupsToCheck says they matter.
 */
export function authorize(choice: ChoiceRecord, click: Click): [RefusalReason, string] | undefined {
  const users = stringList(choice.allowedUsers).map(slackId);
  const groups = stringList(choice.allowedGroups).map(slackId);
  if (users.length > 0 || groups.length > 0) {
    const inGroup = (click.userGroups ?? []).some((group) => groups.includes(group));
    if (!users.includes(click.userId) && !inGroup) {
      const who = [...users.map(mention), ...groups.map((g) => `members of <!subteam^${g}>`)];
      const unchecked =
        groups.length > 0 && click.userGroups === undefined ? ' (your user groups could not be checked)' : '';
      return ['not-allowed', `Only ${listOf(who, 'or')} can make this choice${unchecked}.`];
    }
  }
  if (choice.excludeInitiator === true && isInitiator(choice.initiator, click)) {
    return ['initiator-excluded', 'You started this, so someone else has to make this choice.'];
  }
  return undefined;
}

/** The groups worth looking the user up in: none when the user is allowed by id, or no group is allowed. */
export function groupsToCheck(choice: ChoiceRecord, userId: string): string[] {
  const users = stringList(choice.allowedUsers).map(slackId);
  return users.includes(userId) ? [] : stringList(choice.allowedGroups).map(slackId);
}

/**
 * The initiator is whatever the config's `initiator` template rendered: cicdstatemgr's examples use a user id,
 * a `<@U…>` mention or a username. Matching any of them only ever refuses more, so it is the safe side.
 */
function isInitiator(initiator: unknown, click: Click): boolean {
  if (typeof initiator !== 'string' || initiator === '') return false;
  const id = slackId(initiator);
  return id === click.userId || (click.userName !== undefined && initiator === click.userName);
}
