import type { RedisClients } from './redis-clients';

/**
 * Reads a message's index entry (`indexKey`) and the document of the context it names: the id (undefined when
 * there is no entry) and the document's bytes (null when there is no such string key).
 *
 * On one Redis a script reads both in one round trip. On a Redis Cluster a script may only touch keys of one slot,
 * and the index entry cannot share its context's: a click knows only the channel and ts of its message, so the
 * entry's name cannot carry the context's hash tag. There the entry and then the document are read by two
 * commands; nothing is lost between them, since the index entry never changes once written.
 */
export async function findIndexedDocument(
  redis: RedisClients,
  indexKey: string,
): Promise<{ id: string; bytes: Buffer | null } | undefined> {
  if (!redis.cluster) {
    const prefix = redis.connection.keyPrefix;
    const [id, bytes] = await redis.script<[Buffer?, Buffer?]>('findMessage', [indexKey], [prefix], true);
    return id === undefined ? undefined : { id: id.toString('utf8'), bytes: bytes ?? null };
  }
  const id = await redis.run('GET', indexKey, (client) => client.get(indexKey));
  if (id === null) return undefined;
  const key = redis.documentKey(id);
  // A key of another type reads as no document: the update that follows reads it again and says what it is.
  const bytes = await redis
    .run('GET', key, (client) => client.getBuffer(key))
    .catch((error: Error) => {
      if (error.message.includes('WRONGTYPE')) return null;
      throw error;
    });
  return { id, bytes };
}
