import { pendingDelivery } from '../../core/choice/delivery';
import { contextName } from '../../core/context-name';
import { commandEvent, uuidFromName, type ContextRef } from '../../core/forwarded-event';
import type { GatewayEnv } from '../gateway-env';
import type { AckEntry } from '../intake/intake-worker';
import {
  commandDelivery,
  commandDocument,
  commandRecordId,
  type CommandRecord,
} from '../outbox/command-delivery';
import { deliver } from '../outbox/deliver';
import { outboxRef } from '../outbox/outbox-ref';
import { leaseMs } from '../outbox/lease-ms';
import { resolveRoute } from '../resolve-route';
import { statusOf } from './command-status';
import type { SlashCommand } from './slash-command';

/**
 * A slash command taken from the intake log. Only configured commands run, and only for their allowed users:
 * one with `status: true` answers `status <context-id>` from the document; otherwise its words become named
 * arguments and it is forwarded like a decision, through the outbox, as one event whose id derives from
 * Slack's trigger_id. Every answer goes to the user who typed it.
 */
export async function handleCommand(
  env: GatewayEnv,
  command: SlashCommand,
  requestKey: string,
  ack: AckEntry,
): Promise<void> {
  const reply = (text: string) => env.slack.ephemeral(command.response_url ?? null, text);
  const name = command.command;
  const spec = Object.hasOwn(env.config.commands, name) ? env.config.commands[name] : undefined;
  if (!spec) return reply(`slackline has no command ${name} configured.`);
  if (spec.allowedUsers && !spec.allowedUsers.includes(command.user_id)) {
    env.metrics.decision('refused');
    return reply(`Only ${spec.allowedUsers.map((u) => `<@${u}>`).join(' or ')} can run ${name}.`);
  }
  const words = command.text.trim().split(/\s+/).filter(Boolean);
  if (spec.status && words[0] === 'status') return reply(await statusOf(env, words[1]));
  const target = resolveRoute(spec.route, env.config.forwarding);
  const usage = `Usage: ${name} ${spec.args.map((a) => `<${a}>`).join(' ')}${spec.status ? ' (or: status <context-id>)' : ''}`;
  if ('error' in target && !spec.status) return reply(`${name} cannot be forwarded: ${target.error}.`);
  if (words.length < spec.args.length || 'error' in target) return reply(usage.trim());
  const args = Object.fromEntries(
    spec.args.map((arg, i) => [
      arg,
      i === spec.args.length - 1 ? words.slice(i).join(' ') : (words[i] as string),
    ]),
  );
  const at = new Date(env.now());
  const eventId = uuidFromName(`command:${requestKey}`);
  const record: CommandRecord = {
    event: commandEvent({
      command: { name, text: command.text, args },
      user: { id: command.user_id, username: command.user_name ?? null, teamId: command.team_id ?? null },
      slack: {
        teamId: command.team_id,
        channelId: command.channel_id,
        responseUrl: command.response_url,
        triggerId: command.trigger_id,
      },
      context: await namedContext(env, args['cicdContextDataId']),
      id: eventId,
      now: at,
    }),
    responseUrl: command.response_url ?? null,
    delivery: pendingDelivery(at, env.config.forwarding.deliveryDeadlineMs, spec.route ?? null),
  };
  // Made once: taken again after a crash, the entry finds its record as it was left.
  let created = false;
  await env.store.update(commandRecordId(eventId), (current) => {
    created = current === undefined;
    return created ? commandDocument(record) : undefined;
  });
  const ref = outboxRef({ kind: 'command', eventId });
  await ack({ ref, delayMs: leaseMs(env), onlyIfAbsent: true });
  await deliver(env, commandDelivery(env, eventId, created ? record : undefined));
}

/** The context a command's `cicdContextDataId` argument names, with its name when the document exists. */
async function namedContext(env: GatewayEnv, id: string | undefined): Promise<ContextRef | undefined> {
  if (!id) return undefined;
  const doc = await env.store.load(id).catch(() => undefined);
  return { id, name: doc ? contextName(doc) : null };
}
