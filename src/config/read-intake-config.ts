import type { IntakeConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import type { Raw, SettingReader } from './setting-reader';

export function readIntake(s: SettingReader, raw: Raw): IntakeConfig {
  s.checkKeys(raw, 'slackline.intake', GATEWAY_ROWS);
  return {
    appendTimeoutMs: s.read(G.appendTimeoutMs, raw),
    claimAfterMs: s.read(G.claimAfterMs, raw),
    maxDeliveries: s.read(G.maxDeliveries, raw),
    dedupeTtlMs: s.read(G.dedupeTtlMs, raw),
  };
}
