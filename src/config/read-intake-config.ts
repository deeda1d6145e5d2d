import type { IntakeConfig } from './gateway-config';
import type { Raw, SettingReader } from './setting-reader';

export function readIntake(s: SettingReader, raw: Raw): IntakeConfig {
  const where = 'slackline.intake';
  s.checkKeys(raw, where, ['appendTimeoutMs', 'claimAfterMs', 'maxDeliveries', 'dedupeTtlMs']);
  return {
    appendTimeoutMs: s.integer(s.pick(raw, where, 'appendTimeoutMs'), 500, 60_000) ?? 4_000,
    claimAfterMs:
      s.integer(s.pick(raw, where, 'claimAfterMs', 'SLACKLINE_INTAKE_CLAIM_AFTER_MS'), 500, 3_600_000) ??
      15_000,
    maxDeliveries: s.integer(s.pick(raw, where, 'maxDeliveries'), 1, 1000) ?? 5,
    dedupeTtlMs: s.integer(s.pick(raw, where, 'dedupeTtlMs'), 1000, 7 * 24 * 3_600_000) ?? 30 * 60_000,
  };
}
