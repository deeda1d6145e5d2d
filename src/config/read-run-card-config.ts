import type { RunCardConfig } from './gateway-config';
import type { Raw, SettingReader } from './setting-reader';

export function readRunCard(s: SettingReader, raw: Raw): RunCardConfig {
  const where = 'slackline.runCard';
  s.checkKeys(raw, where, ['token', 'allowUnauthenticated', 'channel', 'intervalMs']);
  const token = s.secret(s.pick(raw, where, 'token', 'SLACKLINE_CLOUDEVENTS_TOKEN'));
  const channel = s.text(s.pick(raw, where, 'channel', 'SLACKLINE_RUN_CARD_CHANNEL'));
  return {
    ...(token === undefined ? {} : { token }),
    allowUnauthenticated: s.boolean(s.pick(raw, where, 'allowUnauthenticated')) ?? false,
    ...(channel === undefined ? {} : { channel }),
    // Slack allows about one chat.update per second per message before it answers 429.
    intervalMs: s.integer(s.pick(raw, where, 'intervalMs'), 100, 60_000) ?? 1000,
  };
}
