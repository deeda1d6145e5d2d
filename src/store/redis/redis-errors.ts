import { StoreError, type StoreErrorKind } from '../../core/errors';
import { hostPort, type RedisConnection } from './redis-url';

/** A command written to a connection that closed before it answered: it may or may not have been executed. */
export class ConnectionLost extends Error {
  constructor() {
    super('Connection is closed.');
    this.name = 'ConnectionLost';
  }
}

export interface ErrorContext {
  connection: RedisConnection;
  command: string;
  key?: string;
  /** The last connection-level error: commands on a broken connection then only say "Connection is closed." */
  lastError?: Error;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

// ioredis's own wording for a command that cannot be sent or was never answered.
const CLOSED = 'Connection is closed.';
const NOT_WRITABLE = "Stream isn't writeable";
const TIMED_OUT = 'Command timed out';

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** One line for the user, what failed, where, and Redis's own code, with the kind callers act on. */
export function redisStoreError(error: unknown, context: ErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const [kind, message] = describe(error, context);
  return new StoreError(message, { cause: error, kind });
}

/** Whether the command may have run though its answer never came (so a write must be checked). */
export function answerLost(error: unknown): boolean {
  const cause = error instanceof StoreError ? error.cause : error;
  return cause instanceof ConnectionLost || (cause instanceof Error && cause.message === TIMED_OUT);
}

/**
 * Whether a command failed for want of a Redis to run it (no connection, or one still loading its data after a
 * restart) rather than being refused by Redis.
 */
export function isConnectionLoss(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (
      e instanceof ConnectionLost ||
      e.name === 'MaxRetriesPerRequestError' ||
      e.message === CLOSED ||
      e.message === TIMED_OUT ||
      e.message.startsWith(NOT_WRITABLE) ||
      e.message.startsWith('LOADING') ||
      (code !== undefined && CONNECTION_CODES.has(code))
    ) {
      return true;
    }
    e = e.cause;
  }
  return false;
}

function describe(error: unknown, context: ErrorContext): [StoreErrorKind, string] {
  const { connection, command, key, lastError } = context;
  const { host, port, username, db } = connection;
  const at = hostPort(host, port);
  const err = error instanceof Error ? error : new Error(String(error));
  const message = err.message.split('\n')[0] ?? '';
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const brokenConnection =
    message === CLOSED || message.startsWith(NOT_WRITABLE) || err.name === 'MaxRetriesPerRequestError';
  // A command on a connection that broke earlier: the cause is the connection error.
  if (lastError && lastError !== err && brokenConnection) return describe(lastError, context);
  const onKey = key === undefined ? '' : ` on key "${key}"`;
  const user = `"${username ?? 'default'}"`;
  const unreachable = (why: string): [StoreErrorKind, string] => [
    'unavailable',
    `cannot reach Redis at ${at}: ${why}`,
  ];
  // A cluster none of whose nodes could be used: a node's refusal says why, else none answered (ioredis keeps
  // the nodes' own connection errors to itself).
  if (err.name === 'ClusterAllFailedError' || message === 'None of startup nodes is available') {
    const refusal = [(err as { lastNodeError?: unknown }).lastNodeError, lastError].find(
      (e): e is Error => e instanceof Error && e.name === 'ReplyError',
    );
    if (refusal) return describe(refusal, { ...context, lastError: undefined });
    return unreachable('no node of the cluster answered');
  }
  switch (code) {
    case 'ECONNREFUSED':
      return unreachable('connection refused');
    case 'ETIMEDOUT':
      return unreachable(`no answer within ${context.connectTimeoutMs / 1000} s`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return unreachable('unknown host');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unreachable('host unreachable');
    case 'ECONNRESET':
    case 'EPIPE':
      return ['unavailable', `lost the connection to Redis at ${at} (${code})`];
  }
  if (/^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) {
    return ['refused', `TLS connection to Redis at ${at} failed: ${message}`];
  }
  if (message.startsWith('WRONGPASS'))
    return ['refused', `Redis refused the credentials of user ${user} (WRONGPASS)`];
  if (message.startsWith('NOAUTH')) return ['refused', `Redis at ${at} requires a password (NOAUTH)`];
  if (message.startsWith('NOPERM')) {
    // Redis names the command it refused (for a script, EVAL or EVALSHA), unless it refused a key.
    const refused = /'([\w|]+)' command/.exec(message)?.[1]?.toUpperCase() ?? command;
    return ['refused', `Redis user ${user} may not run ${refused}${onKey} (NOPERM)`];
  }
  if (message.includes("user executing the script can't run")) {
    // Only the write script is refused this way in practice: it needs GET and SET, the rest read.
    return [
      'refused',
      `Redis user ${user} may not run GET and SET${onKey}, which slackline's write script needs (NOPERM)`,
    ];
  }
  if (message.startsWith('WRONGTYPE'))
    return ['not-a-document', `Redis key "${key}" does not hold a string value (WRONGTYPE)`];
  if (command === 'SELECT' && message.includes('DB index'))
    return ['refused', `Redis at ${at} has no database ${db}`];
  if (message.startsWith('LOADING')) return ['unavailable', `Redis at ${at} is still loading its data`];
  if (message === TIMED_OUT) {
    return [
      'timeout',
      `Redis at ${at} did not answer ${command} within ${context.commandTimeoutMs / 1000} s`,
    ];
  }
  if (err instanceof ConnectionLost || brokenConnection)
    return ['unavailable', `lost the connection to Redis at ${at}`];
  if (err.name === 'ReplyError') return ['refused', `Redis at ${at} refused ${command}${onKey}: ${message}`];
  return ['unavailable', `Redis at ${at}: ${command}${onKey} failed: ${message}`];
}
