import { Cluster, Redis } from 'ioredis';
import { freePort } from './loopback-port';
import { ThrowawayRedis } from './throwaway-redis';

/** The 16384 slots of a Redis Cluster, split between its masters as `redis-cli --cluster create` would. */
const SLOTS = 16384;

/**
 * A real Redis Cluster of three masters (no replicas), each a redis-server of its own on free loopback ports with
 * its data in a temporary directory: what managed Redis offerings run, for the store's and the gateway's tests.
 * The helper assigns the slots and introduces the nodes itself (CLUSTER ADDSLOTSRANGE, CLUSTER MEET), which is
 * what `redis-cli --cluster create` does, and waits until every node sees the whole cluster.
 */
export class ThrowawayCluster {
  readonly nodes: ThrowawayRedis[] = [];
  private readonly busPorts: number[] = [];

  constructor(private readonly masters = 3) {}

  /** `redis-cluster://127.0.0.1:<port>,…`: every node, as the store's url names a cluster. */
  get url(): string {
    return `redis-cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.masters; i++) {
      // The cluster bus's port is given, not left at port + 10000, which may be past 65535 or taken.
      const busPort = await freePort();
      const node = new ThrowawayRedis({
        durable: false,
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          // The others keep serving their slots while a test has stopped one master.
          '--cluster-require-full-coverage',
          'no',
        ],
      });
      this.nodes.push(node);
      this.busPorts.push(busPort);
    }
    await Promise.all(this.nodes.map((node) => node.start()));
    const clients = this.nodes.map((node) => new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 1 }));
    try {
      await Promise.all(
        clients.map((client, i) => {
          const [first, last] = this.slotsOf(i);
          return client.call('CLUSTER', 'ADDSLOTSRANGE', first, last);
        }),
      );
      const [first] = clients;
      for (let i = 1; i < this.nodes.length; i++)
        await first?.call('CLUSTER', 'MEET', '127.0.0.1', this.nodes[i]!.port, this.busPorts[i]!);
      await this.waitUntilFormed(clients);
    } finally {
      for (const client of clients) client.disconnect();
    }
  }

  /** The first and last slot the `index`th node serves. */
  slotsOf(index: number): [number, number] {
    const first = Math.floor((SLOTS * index) / this.masters);
    return [first, Math.floor((SLOTS * (index + 1)) / this.masters) - 1];
  }

  /** A client of the whole cluster, for test set-up and inspection. */
  client(): Cluster {
    return new Cluster(
      this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
  }

  /** Stops every node and deletes their data. */
  async remove(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.remove()));
  }

  /**
   * Until every node says the cluster is ok, knows every master and who serves every slot: a node that knows its
   * peers but not yet their slots answers CLUSTERDOWN for those (a MIGRATE to it, say).
   */
  private async waitUntilFormed(clients: Redis[]): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(clients.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>));
      const formed = infos.every(
        (info) =>
          info.includes('cluster_state:ok') &&
          info.includes(`cluster_known_nodes:${this.masters}`) &&
          info.includes(`cluster_slots_assigned:${SLOTS}`),
      );
      if (formed) return;
      if (Date.now() > deadline) throw new Error(`the Redis Cluster did not form:\n${infos.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
