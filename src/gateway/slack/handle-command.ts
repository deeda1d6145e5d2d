import { findChoiceByMessage } from '../../core/choice-decision';
import { isPlainObject, type ContextDocument } from '../../core/document';
import { commandEvent } from '../../core/forwarded-event';
import { contextName } from '../context-name';
import { forwardEvent } from '../forward-event';
import type { GatewayEnv } from '../gateway-env';
import { resolveRoute } from '../resolve-route';

/** The fields of a slash command that the gateway uses (Slack sends them as a flat form). */
export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  team_id?: string;
  channel_id?: string;
  response_url?: string;
  trigger_id?: string;
}

/**
 * A slash command, after it was acknowledged: `status <context-id>` answers from the document; a configured
 * command maps its words to named arguments (the last takes the rest of the text) and is forwarded to its route.
 * Every answer goes to the user who typed it.
 */
export async function handleCommand(
  env: GatewayEnv,
  command: SlashCommand,
  ephemeral: (text: string) => Promise<void>,
): Promise<void> {
  const words = command.text.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'status') return ephemeral(await statusOf(env, words[1]));
  const spec = env.config.commands[command.command];
  if (!spec) return ephemeral(`slackline has no command ${command.command} configured.`);
  if (spec.allowedUsers && !spec.allowedUsers.includes(command.user_id)) {
    env.metrics.decision('refused');
    return ephemeral(
      `Only ${spec.allowedUsers.map((u) => `<@${u}>`).join(' or ')} can run ${command.command}.`,
    );
  }
  if (words.length < spec.args.length) {
    return ephemeral(
      `Usage: ${command.command} ${spec.args.map((a) => `<${a}>`).join(' ')} (or: status <context-id>)`,
    );
  }
  const args = Object.fromEntries(
    spec.args.map((name, i) => [
      name,
      i === spec.args.length - 1 ? words.slice(i).join(' ') : (words[i] as string),
    ]),
  );
  const target = resolveRoute(spec.route, env.config.forwarding);
  if ('error' in target) return ephemeral(`${command.command} cannot be forwarded: ${target.error}.`);
  const event = commandEvent({
    command: { name: command.command, text: command.text, args },
    user: { id: command.user_id, username: command.user_name ?? null, teamId: command.team_id ?? null },
    slack: {
      teamId: command.team_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      triggerId: command.trigger_id,
    },
    now: new Date(env.now()),
  });
  const result = await forwardEvent(env, target, event);
  env.logger
    .child({ eventId: result.eventId, command: command.command })
    .info(`command forwarded: ${result.delivered}`);
  return ephemeral(
    result.delivered
      ? `✅ ${command.command} ${command.text} was sent to ${target.route}${result.eventId ? ` · event ${result.eventId}` : ''}`
      : `⚠️ ${command.command} could not be delivered to ${target.route} (${result.error}). Nothing was started; try again.`,
  );
}

async function statusOf(env: GatewayEnv, id: string | undefined): Promise<string> {
  if (!id) return 'Usage: status <context-id>';
  const doc = await env.store.load(id);
  if (!doc) return `No context "${id}" is known to slackline.`;
  return statusText(id, doc);
}

/** One line for the context, one per offered choice: open, decided (and its delivery) or expired. */
function statusText(id: string, doc: ContextDocument): string {
  const state = isPlainObject(doc['state']) ? doc['state'] : {};
  const name = contextName(doc);
  const lines = [`*${id}*${name !== null ? ` (${name})` : ''}`];
  const offered = isPlainObject(state['offeredChoices']) ? Object.values(state['offeredChoices']) : [];
  for (const raw of offered) {
    if (!isPlainObject(raw) || typeof raw['channel'] !== 'string' || typeof raw['messageTs'] !== 'string')
      continue;
    const choice = findChoiceByMessage(doc, raw['channel'], raw['messageTs']);
    if (!choice) continue;
    const decision = choice.decision;
    const status = decision
      ? `decided: *${decision.option.text}* by ${decision.approvers.map((u) => `<@${u}>`).join(', ')}, ${
          decision.delivery.status === 'delivered'
            ? `delivered${decision.delivery.eventId ? ` (event ${decision.delivery.eventId})` : ''}`
            : decision.delivery.status === 'failed'
              ? `delivery failed (${decision.delivery.error})`
              : 'being delivered'
        }`
      : choice.status === 'expired'
        ? 'expired'
        : `open (${choice.votes.length} of ${choice.approvalsNeeded} approvals)`;
    lines.push(`• ${choice.title}: ${status}`);
  }
  if (lines.length === 1) lines.push('No choices were offered in this context yet.');
  return lines.join('\n');
}
