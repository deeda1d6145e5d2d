import { isPlainObject } from '../core/document';
import type { ForwardingConfig, SlashCommandConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import { FORBIDDEN_NAMES, type Raw, type SettingReader } from './setting-reader';

export function readCommands(
  s: SettingReader,
  raw: Raw,
  forwarding: ForwardingConfig,
): Record<string, SlashCommandConfig> {
  const commands: Record<string, SlashCommandConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const where = `slackline.commands.${name}`;
    // Slack sends the command as registered: a slash, lower case, no spaces.
    if (!/^\/[^\sA-Z]+$/.test(name))
      s.problem(`${where}: a command is "/" and lower-case letters, like /deploy`);
    if (value !== null && !isPlainObject(value)) {
      s.problem(`${where} must be a mapping (args, route, description, allowedUsers)`);
      continue;
    }
    const settings = value ?? {};
    s.checkKeys(settings, where, GATEWAY_ROWS, 'slackline.commands.*');
    const status = s.read(G.commandStatus, settings, where);
    const args = settings['args'] ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string' && /^[A-Za-z_][\w-]*$/.test(a))) {
      s.problem(`${where}.args must be a list of names (letters, digits, _ and -)`);
    } else if (new Set(args).size !== args.length) {
      s.problem(`${where}.args names an argument twice`);
    } else if (args.some((a) => FORBIDDEN_NAMES.includes(a))) {
      s.problem(`${where}.args may not use ${FORBIDDEN_NAMES.join(', ')}`);
    }
    const route = s.read(G.commandRoute, settings, where);
    if (route !== undefined && !Object.hasOwn(forwarding.routes, route)) {
      s.problem(`${where}.route "${route}" is not in slackline.forwarding.routes`);
    } else if (route === undefined && forwarding.defaultUrl === undefined && !status) {
      s.problem(
        `${where} has no route and there is no default EventListener URL ` +
          '(SLACKLINE_EVENT_LISTENER_URL or slackline.forwarding.defaultUrl)',
      );
    }
    const description = s.read(G.commandDescription, settings, where);
    const allowedUsers = settings['allowedUsers'] ?? [];
    if (
      !Array.isArray(allowedUsers) ||
      !allowedUsers.every((u) => typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u))
    ) {
      s.problem(`${where}.allowedUsers must be a list of Slack user ids (U…)`);
    }
    commands[name] = {
      args: Array.isArray(args) ? (args as string[]) : [],
      ...(route === undefined ? {} : { route }),
      ...(description === undefined ? {} : { description }),
      ...(Array.isArray(allowedUsers) && allowedUsers.length > 0
        ? { allowedUsers: allowedUsers as string[] }
        : {}),
      ...(status ? { status } : {}),
    };
  }
  return commands;
}
