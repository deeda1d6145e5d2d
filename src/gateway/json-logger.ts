import pino from 'pino';
import type { LogLevel } from '../config/gateway-config';
import type { Logger } from '../core/logger';

/** Extra properties of one line; the gateway's handlers add `eventId`, `contextId` through child(). */
export type LogFields = Record<string, unknown>;

/** A Logger that also takes structured fields, and binds fields to every line of a child. */
export interface JsonLogger extends Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): JsonLogger;
}

/**
 * Key names whose values are never written, compared without case, `-` or `_`, at any depth: request headers
 * and Slack payloads get logged whole while debugging, and they carry the credentials. A key that ends with
 * one of SECRET_SUFFIXES is dropped too (botToken, signingSecrets, x-slackline-signature, …).
 */
const REDACTED_KEYS: readonly string[] = [
  'token',
  'password',
  'secret',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xslacksignature',
  'apikey',
  // A response_url lets whoever holds it post into the channel for 30 minutes.
  'responseurl',
];
const SECRET_SUFFIXES = ['token', 'tokens', 'secret', 'secrets', 'password', 'signature'];
const REDACTED = '[redacted]';
// Deeper than any Slack payload; it bounds the work a hostile payload can cause.
const MAX_DEPTH = 10;

/**
 * JSON lines (`level` as a word, ISO `time`, `msg`, bindings) on `destination`, stdout by default.
 * The only importer of pino: it writes synchronously without worker threads, so the esbuild bundle works,
 * and a line costs microseconds on the request path.
 */
export function createJsonLogger(level: LogLevel, destination?: NodeJS.WritableStream): JsonLogger {
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // redact() has already turned Errors into { type, message, stack, … }; pino's own would say "Object".
    serializers: { err: (err: unknown) => err },
  };
  return wrap(destination === undefined ? pino(options) : pino(options, destination));
}

function wrap(logger: pino.Logger): JsonLogger {
  const line =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (fields === undefined) logger[level](message);
      else logger[level](redact(fields, 0, new WeakSet()) as LogFields, message);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (bindings) => wrap(logger.child(redact(bindings, 0, new WeakSet()) as LogFields)),
  };
}

/**
 * A copy without secret-named keys. Class instances and Errors are copied through their own enumerable
 * properties too (a client error often carries the request it made, headers included); values that choose
 * their JSON form (Date, Buffer, URL) are kept.
 */
function redact(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (!(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (ancestors.has(value) || depth >= MAX_DEPTH) return '[…]';
  ancestors.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map((item) => redact(item, depth + 1, ancestors));
  else {
    const record: Record<string, unknown> =
      value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : {};
    for (const [key, item] of Object.entries(value)) {
      record[key] = isSecretKey(key) ? REDACTED : redact(item, depth + 1, ancestors);
    }
    copy = record;
  }
  ancestors.delete(value);
  return copy;
}

/** Whether a key names a credential (see REDACTED_KEYS); also used on the keys in free text, see redact-text.ts. */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return REDACTED_KEYS.includes(normalized) || SECRET_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}
