import { deleteAclUsers, stopTestRedis } from './redis';

/** After the whole run: remove what the Redis helpers left behind (ACL users, a throwaway redis-server). */
export async function mochaGlobalTeardown(): Promise<void> {
  await deleteAclUsers();
  await stopTestRedis();
}
