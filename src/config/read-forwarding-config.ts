import type { ForwardingConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import { keyOf } from './setting-row';
import { FORBIDDEN_NAMES, type Raw, type SettingReader } from './setting-reader';

export function readForwarding(s: SettingReader, raw: Raw): ForwardingConfig {
  const where = 'slackline.forwarding';
  s.checkKeys(raw, where, GATEWAY_ROWS);
  const defaultUrl = s.read(G.defaultUrl, raw);
  const routes: Record<string, string> = {};
  for (const [name, url] of Object.entries(s.mapping(raw, where, 'routes'))) {
    const routeUrl = s.check(G.routes, { value: url ?? '', label: `${where}.routes.${name}` });
    if (FORBIDDEN_NAMES.includes(name)) s.problem(`${where}.routes may not use the name ${name}`);
    else if (routeUrl !== undefined) routes[name] = routeUrl;
  }
  const signingSecret = s.read(G.forwardSecret, raw);
  if (
    defaultUrl === undefined &&
    Object.keys(routes).length === 0 &&
    raw[keyOf(G.defaultUrl)] === undefined
  ) {
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
    timeoutMs: s.read(G.forwardTimeoutMs, raw),
    maxAttempts: s.read(G.maxAttempts, raw),
    deliveryDeadlineMs: s.read(G.deliveryDeadlineMs, raw),
  };
}
