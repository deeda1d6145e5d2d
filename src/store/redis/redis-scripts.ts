/**
 * The Lua scripts slackline runs in Redis, each one atomic step. ioredis sends a script's text once per
 * connection and then only its SHA-1 (EVALSHA), hence the ACL rights `+eval +evalsha`.
 */

/**
 * Writes KEYS[1] only if it still holds the text the change was made from (ARGV[1]: its SHA-1, or '' for no key),
 * and then KEYS[2], when given, as the write's receipt. Otherwise it answers with what the key holds now, so the
 * change can be made again without another round trip.
 */
export const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = current and redis.sha1hex(current) or ''
if version ~= ARGV[1] then return {0, current} end
redis.call('SET', KEYS[1], ARGV[2])
if KEYS[2] then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
return {1}
`;

/**
 * Reads a message's index entry (KEYS[1]) and the document it names (ARGV[1], the key prefix, before the id).
 * The document's key is not among KEYS, which Redis Cluster forbids: there the two are read by two commands
 * (find-indexed-document.ts), and this script runs only on a single Redis.
 */
export const FIND_MESSAGE = `
local id = redis.call('GET', KEYS[1])
if not id then return {} end
local doc = redis.pcall('GET', ARGV[1] .. id)
if type(doc) == 'table' then doc = false end
return {id, doc}
`;

/** Milliseconds since the epoch by Redis's clock, which every replica shares. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Appends a request to the intake stream (KEYS[1]) unless it is late (Redis's clock past ARGV[1]) or its key
 * (KEYS[2]) was seen within ARGV[2] ms. ARGV[3..] are the entry's fields and values. {1, id}, {2} duplicate,
 * {0} late.
 */
export const INTAKE_APPEND = `${NOW}
if now > tonumber(ARGV[1]) then return {0} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {2} end
return {1, redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))}
`;

/**
 * Acknowledges an intake entry and removes it from the stream (KEYS[1], group ARGV[1], id ARGV[2]); with ARGV[3],
 * also schedules ARGV[4] in the outbox (KEYS[2]) ARGV[3] ms from now, only when absent if ARGV[5] is 'NX'.
 */
export const INTAKE_ACK = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if ARGV[3] then
${NOW}
  if ARGV[5] ~= 'NX' then redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
  elseif not redis.call('ZSCORE', KEYS[3], ARGV[4]) then redis.call('ZADD', KEYS[2], 'NX', now + tonumber(ARGV[3]), ARGV[4]) end
end
return 1
`;

/**
 * Schedules ARGV[2] in the outbox (KEYS[1]) ARGV[1] ms from now; if ARGV[3] is 'NX', only when it is neither
 * there nor recently done (KEYS[2]): "make sure it is delivered" must not bring back what was just delivered.
 */
export const OUTBOX_SCHEDULE = `${NOW}
if ARGV[3] ~= 'NX' then return redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2]) end
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
return redis.call('ZADD', KEYS[1], 'NX', now + tonumber(ARGV[1]), ARGV[2])
`;

/** Takes ARGV[1] out of the outbox (KEYS[1]) into the recently done (KEYS[2]), forgotten after ARGV[2] ms. */
export const OUTBOX_DONE = `${NOW}
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]))
return 1
`;

/** Up to ARGV[2] outbox entries (KEYS[1]) due now, each moved ARGV[1] ms ahead: the claimer's lease. */
export const OUTBOX_CLAIM_DUE = `${NOW}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, ref in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ref) end
return due
`;

/**
 * Up to ARGV[3] deadline entries (KEYS[1]) due at ARGV[1] (the caller's clock, ms), each moved ARGV[2] ms past
 * it: the claimer's lease, as for the outbox.
 */
export const DEADLINES_CLAIM_DUE = `
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, ref in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ref) end
return due
`;

/** Every script by the name it is defined under on the client. */
export const SCRIPTS = {
  compareAndSet: COMPARE_AND_SET,
  findMessage: FIND_MESSAGE,
  intakeAppend: INTAKE_APPEND,
  intakeAck: INTAKE_ACK,
  outboxSchedule: OUTBOX_SCHEDULE,
  outboxClaimDue: OUTBOX_CLAIM_DUE,
  outboxDone: OUTBOX_DONE,
  deadlinesClaimDue: DEADLINES_CLAIM_DUE,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
