import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { LogLevel as GatewayLogLevel } from '../../config/gateway-config';
import type { Logger } from '../../core/logger';
import { redactText } from '../redact-text';

const LEVELS: Record<GatewayLogLevel, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

const RANK: Record<GatewayLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Bolt, its Web API client and its Socket Mode client log through ours, in either mode, so their lines are
 * JSON with the rest, and are redacted as text first: they log payloads and requests whole. `level` is the
 * gateway's, reported by getLevel() because the Slack packages ask it before building some debug lines;
 * setLevel() is ignored, since pino filters by the gateway's level anyway.
 */
export function boltLogger(logger: Logger, level: GatewayLogLevel = 'info'): BoltLogger {
  const line = (msg: unknown[]) => redactText(msg.map(asText).join(' '));
  // Bolt logs each request's payload at debug: turning it into redacted JSON only for pino to drop it cost
  // about 1% of a click's CPU.
  const below = RANK[level];
  return {
    debug: (...msg: unknown[]) => below <= RANK.debug && logger.debug(line(msg)),
    info: (...msg: unknown[]) => below <= RANK.info && logger.info(line(msg)),
    warn: (...msg: unknown[]) => logger.warn(line(msg)),
    error: (...msg: unknown[]) => logger.error(line(msg)),
    setLevel: () => {},
    getLevel: () => LEVELS[level],
    setName: () => {},
  };
}

/** Strings as they are, Errors as "Name: message", anything else as JSON (String() would say "[object Object]"). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error || typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
