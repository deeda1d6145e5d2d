import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from './tekton-manifests';

/**
 * The bot scope each Slack Web API method slackline calls needs (api.slack.com/methods/<method>). A method
 * missing here fails the test: add it, with its scope, when the code starts calling it.
 */
export const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
  // A trigger_id is the permission: views.open needs no scope ('' = none).
  'views.open': '',
};
/** A Slack app needs `commands` to have slash commands at all. */
export const COMMANDS_SCOPE = 'commands';

/** Web API methods called through Bolt's WebClient in TypeScript sources: `client.chat.update(`, … */
export function webApiCallsIn(dir: string): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const file of filesUnder(dir, ['.ts'])) {
    const text = readFileSync(join(dir, file), 'utf8');
    // Two or more segments after `client.`: a Redis client's `client.get(` is not a Web API call.
    for (const [, method] of text.matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z]+)+)\s*\(/g)) {
      calls.set(method as string, [...(calls.get(method as string) ?? []), file]);
    }
  }
  return calls;
}

/** Web API methods in URLs of cicdstatemgr's config (`slack.url: https://slack.com/api/chat.postMessage`). */
export function webApiUrlsIn(text: string): string[] {
  return [...text.matchAll(/https:\/\/slack\.com\/api\/([a-zA-Z.]+)/g)].map((m) => m[1] as string);
}

/** The scopes `methods` need, plus `commands` when there are slash commands; unknown methods as problems. */
export function requiredScopes(
  methods: Iterable<string>,
  hasCommands: boolean,
): { scopes: string[]; problems: string[] } {
  const scopes = new Set<string>(hasCommands ? [COMMANDS_SCOPE] : []);
  const problems: string[] = [];
  for (const method of methods) {
    const scope = METHOD_SCOPES[method];
    if (scope) scopes.add(scope);
    else if (scope === undefined)
      problems.push(`${method} is called, but METHOD_SCOPES does not say which scope it needs`);
  }
  return { scopes: [...scopes].sort(), problems };
}

/** Scopes the manifest lacks, and scopes it asks for that nothing uses. */
export function scopeProblems(granted: string[], required: string[]): string[] {
  return [
    ...required.filter((s) => !granted.includes(s)).map((s) => `missing bot scope ${s}`),
    ...granted.filter((s) => !required.includes(s)).map((s) => `unneeded bot scope ${s}`),
  ];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Every request URL of a manifest, with where it is. */
export function requestUrls(manifest: Json): { where: string; url: string }[] {
  const urls: { where: string; url: string }[] = [];
  for (const [i, c] of (manifest['features']?.['slash_commands'] ?? []).entries())
    if (c['url']) urls.push({ where: `slash command ${c['command'] ?? i}`, url: c['url'] });
  const interactivity = manifest['settings']?.['interactivity'] ?? {};
  for (const key of ['request_url', 'message_menu_options_url'])
    if (interactivity[key]) urls.push({ where: `interactivity.${key}`, url: interactivity[key] });
  const events = manifest['settings']?.['event_subscriptions']?.['request_url'];
  if (events) urls.push({ where: 'event_subscriptions.request_url', url: events });
  return urls;
}

/**
 * The rules of Slack's manifest schema (v1, slackapi/manifest-schema) that a hand-written manifest can break:
 * known top-level keys only, a name of 1–35 characters, a bot display name of a-z 0-9 - _ ., slash commands
 * of 2–32 characters starting with `/` and with a description, https request URLs.
 */
export function manifestSchemaProblems(manifest: Json): string[] {
  const problems: string[] = [];
  const known = [
    '_metadata',
    'display_information',
    'features',
    'oauth_config',
    'settings',
    'outgoing_domains',
    'functions',
    'workflows',
    'datastores',
    'types',
    'external_auth_providers',
    'app_directory',
  ];
  for (const key of Object.keys(manifest))
    if (!known.includes(key)) problems.push(`unknown top-level key ${key}`);
  const name = manifest['display_information']?.['name'];
  if (typeof name !== 'string' || name.length < 1 || name.length > 35)
    problems.push('display_information.name must be 1–35 characters');
  if (String(manifest['display_information']?.['description'] ?? '').length > 140)
    problems.push('description is over 140 characters');
  const bot = manifest['features']?.['bot_user']?.['display_name'];
  if (typeof bot !== 'string' || !/^[a-z0-9._-]{1,80}$/.test(bot))
    problems.push('bot_user.display_name must be a-z 0-9 - _ .');
  for (const c of manifest['features']?.['slash_commands'] ?? []) {
    if (!/^\/.{1,31}$/.test(String(c['command'])))
      problems.push(`slash command ${c['command']}: "/" and 1–31 more characters`);
    if (!c['description']) problems.push(`slash command ${c['command']} has no description`);
  }
  if (
    manifest['settings']?.['interactivity'] &&
    typeof manifest['settings']['interactivity']['is_enabled'] !== 'boolean'
  )
    problems.push('settings.interactivity.is_enabled is required');
  for (const { where, url } of requestUrls(manifest))
    if (!/^https:\/\//.test(url))
      problems.push(`${where}: ${url} is not https (Slack requires it for commands)`);
  return problems;
}
