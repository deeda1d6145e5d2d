import { isPlainObject } from '../core/document';
import { ConfigError } from '../core/errors';

/** `cicdstatemgr.http` in config.yaml: how patient outbound calls (Slack, EventListeners) are. */
export interface HttpSettings {
  connectTimeoutMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
}

export function httpSettings(configData: Record<string, unknown>): HttpSettings {
  const section = configData['http'];
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) throw new ConfigError('cicdstatemgr.http must be a mapping');
  const settings: HttpSettings = {};
  for (const key of ['connectTimeoutMs', 'timeoutMs', 'maxAttempts'] as const) {
    const value = section[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new ConfigError(`cicdstatemgr.http.${key} must be a whole number above 0`);
    }
    settings[key] = value;
  }
  return settings;
}
