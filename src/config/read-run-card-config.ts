import type { RunCardConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import type { Raw, SettingReader } from './setting-reader';

export function readRunCard(s: SettingReader, raw: Raw): RunCardConfig {
  s.checkKeys(raw, 'slackline.runCard', GATEWAY_ROWS);
  const token = s.read(G.runCardToken, raw);
  const channel = s.read(G.runCardChannel, raw);
  return {
    ...(token === undefined ? {} : { token }),
    allowUnauthenticated: s.read(G.allowUnauthenticated, raw),
    ...(channel === undefined ? {} : { channel }),
    intervalMs: s.read(G.runCardIntervalMs, raw),
  };
}
