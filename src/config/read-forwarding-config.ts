import type { ForwardingConfig } from './gateway-config';
import { FORBIDDEN_NAMES, type Raw, type SettingReader } from './setting-reader';

export function readForwarding(s: SettingReader, raw: Raw): ForwardingConfig {
  const where = 'slackline.forwarding';
  s.checkKeys(raw, where, [
    'defaultUrl',
    'routes',
    'signingSecret',
    'timeoutMs',
    'maxAttempts',
    'deliveryDeadlineMs',
  ]);
  const defaultUrl = s.httpUrl(s.pick(raw, where, 'defaultUrl', 'SLACKLINE_EVENT_LISTENER_URL'));
  const routes: Record<string, string> = {};
  for (const [name, url] of Object.entries(s.mapping(raw, where, 'routes'))) {
    const routeUrl = s.httpUrl({ value: url ?? '', label: `${where}.routes.${name}` });
    if (FORBIDDEN_NAMES.includes(name)) s.problem(`${where}.routes may not use the name ${name}`);
    else if (routeUrl !== undefined) routes[name] = routeUrl;
  }
  const signingSecret = s.secret(s.pick(raw, where, 'signingSecret', 'SLACKLINE_FORWARD_SECRET'));
  if (defaultUrl === undefined && Object.keys(routes).length === 0 && raw['defaultUrl'] === undefined) {
    // Every decision would be used up and then fail to deliver: refuse to start instead.
    s.problem(
      'no EventListener is configured to forward decisions to: set SLACKLINE_EVENT_LISTENER_URL, ' +
        `${where}.defaultUrl or ${where}.routes`,
    );
  }
  return {
    ...(defaultUrl === undefined ? {} : { defaultUrl }),
    routes,
    ...(signingSecret === undefined ? {} : { signingSecret }),
    timeoutMs: s.integer(s.pick(raw, where, 'timeoutMs'), 1, 600_000) ?? 10000,
    maxAttempts: s.integer(s.pick(raw, where, 'maxAttempts'), 1, 20) ?? 3,
    deliveryDeadlineMs:
      s.integer(
        s.pick(raw, where, 'deliveryDeadlineMs', 'SLACKLINE_DELIVERY_DEADLINE_MS'),
        1000,
        7 * 24 * 3_600_000,
      ) ?? 600_000,
  };
}
