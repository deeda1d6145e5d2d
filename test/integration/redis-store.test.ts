import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { Cluster, Redis } from 'ioredis';
import type { RedisDatasourceConfig } from '../../src/config/datasource-config';
import { StoreError } from '../../src/core/errors';
import type { ContextDocument } from '../../src/core/document';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { RedisStore } from '../../src/store/redis/redis-store';
import { describeConnection, redisConnection } from '../../src/store/redis/redis-url';
import {
  createAclUser,
  createReadOnlyAclUser,
  flushTestKeys,
  rawClient,
  redisEndpoint,
  serverUrls,
  testClient,
  uniqueKeyPrefix,
} from '../helpers/redis';
import { describeOnEachRedis } from '../helpers/redis-backends';
import { freePort } from '../helpers/loopback-port';
import { waitFor } from '../helpers/slack-requests';

/** What PyYAML 6 (cicdstatemgr 1.2.4) writes for a document: `yaml.dump(d, default_flow_style=False, sort_keys=False)`. */
const PYYAML_TEXT = `state:
  cicdContextDataId: ctx-py
  gitAppName: app
  appTag: '99999'
  flag: true
  'off': 'no'
  count: 5
  ratio: 1.5
  nothing: null
  unicode: "caf\\xE9 \\u2713"
  multi: 'line one

    line two

    '
  long: 'word word word word word word word word word word word word word word word
    word word word word word word word word word word '
  date: '2020-01-01'
  quoted: say "hi" it's
pipelines:
  build:
    event-handlers:
      testEvent:
        notify:
          message: '{{ basicMacro(''x'') }}

            '
list:
- a
- k: v
- - 1
  - 2
empty: {}
emptyList: []
`;

const PYYAML_DOC = {
  state: {
    cicdContextDataId: 'ctx-py',
    gitAppName: 'app',
    appTag: '99999',
    flag: true,
    off: 'no',
    count: 5,
    ratio: 1.5,
    nothing: null,
    unicode: 'café ✓',
    multi: 'line one\nline two\n',
    long: 'word '.repeat(25),
    date: '2020-01-01',
    quoted: `say "hi" it's`,
  },
  pipelines: {
    build: { 'event-handlers': { testEvent: { notify: { message: "{{ basicMacro('x') }}\n" } } } },
  },
  list: ['a', { k: 'v' }, [1, 2]],
  empty: {},
  emptyList: [],
};

async function rejectsWith(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof StoreError, `not a StoreError: ${error.stack}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('redisConnection', function () {
  it('reads user, password, host, port and db from the url, and explicit fields win', function () {
    const base: RedisDatasourceConfig = { type: 'redis', isPrimary: true };
    assert.deepEqual(redisConnection({ ...base, url: 'redis://ana:123$aBcZ@redis.example:6380/4' }), {
      host: 'redis.example',
      port: 6380,
      db: 4,
      username: 'ana',
      password: '123$aBcZ',
      tls: undefined,
      keyPrefix: '',
    });
    const explicit = redisConnection({
      ...base,
      url: 'rediss://:p%40ss@h:1/2',
      host: 'other',
      db: 0,
      password: 'x',
      keyPrefix: 'ci:',
    });
    assert.deepEqual(explicit, {
      host: 'other',
      port: 1,
      db: 0,
      username: undefined,
      password: 'x',
      tls: {},
      keyPrefix: 'ci:',
    });
    assert.equal(redisConnection({ ...base, url: 'redis://[::1]' }).host, '::1');
    assert.equal(redisConnection({ ...base, url: 'rediss://h', tls: false }).tls, undefined);
    assert.deepEqual(redisConnection({ ...base, tls: true }), {
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      username: undefined,
      password: undefined,
      tls: {},
      keyPrefix: '',
    });
  });

  it('reads a cluster url (redis-cluster://, rediss-cluster://) as its nodes, and refuses what a cluster cannot do', function () {
    const base: RedisDatasourceConfig = { type: 'redis', isPrimary: true };
    assert.deepEqual(
      redisConnection({ ...base, url: 'rediss-cluster://ana:p%40ss@a.example:7000,b.example,[::1]:7002' }),
      {
        host: 'a.example',
        port: 7000,
        db: 0,
        username: 'ana',
        password: 'p@ss',
        tls: {},
        keyPrefix: '',
        clusterNodes: [
          { host: 'a.example', port: 7000 },
          { host: 'b.example', port: 6379 },
          { host: '::1', port: 7002 },
        ],
      },
    );
    const nodes = [{ host: 'n1', port: 7000 }];
    assert.deepEqual(redisConnection({ ...base, clusterNodes: nodes, host: 'ignored' }).clusterNodes, nodes);
    assert.equal(
      describeConnection(redisConnection({ ...base, url: 'redis-cluster://u:secret@a:1,b:2' })),
      'redis cluster a:1, b:2',
    );
    assert.throws(() => redisConnection({ ...base, url: 'redis-cluster://a:1/2' }), /only database 0/);
    assert.throws(
      () => redisConnection({ ...base, clusterNodes: nodes, keyPrefix: '{t}:' }),
      /may not contain \{ or \}/,
    );
    assert.throws(
      () => redisConnection({ ...base, url: 'redis-cluster://u:secret@a:1,:2' }),
      (error: Error) =>
        error instanceof StoreError &&
        /^invalid Redis url/.test(error.message) &&
        !error.message.includes('secret'),
    );
  });

  it('rejects a bad url without repeating its password', function () {
    for (const url of ['http://u:secret@h', 'redis://u:secret@h/x', 'redis://u:secret@h:99999']) {
      assert.throws(
        () => redisConnection({ type: 'redis', isPrimary: true, url }),
        (error: Error) => error instanceof StoreError && !error.message.includes('secret'),
      );
    }
  });

  it('describes the store without the password', function () {
    const store = new RedisStore({ type: 'redis', isPrimary: true, url: 'rediss://u:secret@h:7000/3' });
    assert.equal(store.description, 'redis h:7000 db 3 (TLS)');
  });
});

describeOnEachRedis('RedisStore (real Redis)', function (backend) {
  let url: string;
  let host: string;
  let port: number;
  let prefix: string;
  let redis: Redis | Cluster;
  const stores: RedisStore[] = [];
  /** The key of a context's document, as the backend lays it out. */
  const docKey = (id: string) => backend.documentKey(prefix, id);

  function store(config: Partial<RedisDatasourceConfig> = {}, options = {}): RedisStore {
    const s = new RedisStore({ type: 'redis', isPrimary: true, url, keyPrefix: prefix, ...config }, options);
    stores.push(s);
    return s;
  }

  before(async function () {
    url = await backend.url();
    ({ host, port } = redisEndpoint(url));
    redis = testClient(url);
  });
  beforeEach(function () {
    prefix = uniqueKeyPrefix('redis-store');
  });
  afterEach(async function () {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await flushTestKeys(url, prefix);
  });
  after(function () {
    redis.disconnect();
  });

  interface MonitoredCommand {
    args: string[];
    /** "lua" for the commands a script runs */
    source: string;
  }

  /** Records the commands Redis runs during `work`, until `caughtUp` holds of them. */
  async function monitorWhile(
    work: () => Promise<void>,
    caughtUp: (commands: MonitoredCommand[]) => boolean,
  ): Promise<MonitoredCommand[]> {
    // Every node of a cluster: each sees only the commands of its own slots.
    const watchers = serverUrls(url).map((server) => rawClient(server));
    const monitors = await Promise.all(watchers.map((watcher) => watcher.monitor()));
    const seen: MonitoredCommand[] = [];
    for (const monitor of monitors)
      monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ args, source }));
    try {
      await work();
      // MONITOR reports a command after running it, possibly after its answer: wait for it to catch up.
      await waitFor('the write to be monitored', () => caughtUp(seen));
    } finally {
      for (const monitor of monitors) monitor.disconnect();
      for (const watcher of watchers) watcher.disconnect();
    }
    return seen;
  }

  it('round-trips a document, stored as exactly the dumpYaml text with a plain SET and no TTL', async function () {
    const s = store();
    const doc = { state: { cicdContextDataId: 'ctx-1', n: 1, t: true, s: 'café "x" \n y' }, list: ['a', 2] };
    assert.equal(await s.load('ctx-1'), undefined);
    assert.deepEqual(await s.update('ctx-1', () => doc), doc);
    assert.deepEqual(await s.load('ctx-1'), doc);
    assert.equal(await redis.get(docKey('ctx-1')), dumpYaml(doc));
    assert.equal(await redis.type(docKey('ctx-1')), 'string');
    assert.equal(await redis.ttl(docKey('ctx-1')), -1);
  });

  if (!backend.cluster) {
    it('applies the key prefix, and uses the bare id without one (as cicdstatemgr does)', async function () {
      await store().update('a/b c', () => ({ x: 1 }));
      assert.equal(await redis.exists(`${prefix}a/b c`), 1);
      const bareId = `${prefix}bare`; // unique, and removed with the prefix's keys
      await store({ keyPrefix: undefined }).update(bareId, () => ({ z: 2 }));
      assert.equal(await redis.get(bareId), 'z: 2\n');
    });
  } else {
    it('keeps a document under the prefix and {id}, the id its hash tag, and its write receipts in its slot', async function () {
      const s = store({}, { reconnect: true }); // a reconnecting store's writes leave receipts
      await s.update('a/b c', () => ({ x: 1 }));
      await s.update('a}b', () => ({ y: 1 }));
      assert.equal(await redis.get(`${prefix}{a/b c}`), 'x: 1\n');
      assert.equal(await redis.get(`${prefix}{a}b}`), 'y: 1\n');
      const keys: string[] = [];
      for (const server of serverUrls(url)) {
        const node = rawClient(server);
        keys.push(...(await node.keys(`${prefix}*`)));
        node.disconnect();
      }
      const slot = (key: string) => redis.call('CLUSTER', 'KEYSLOT', key) as Promise<number>;
      for (const id of ['a/b c', 'a}b']) {
        const receipts = keys.filter((key) => key.startsWith(`${prefix}{${id}}:slackline:txn:`));
        assert.equal(receipts.length, 1, `one receipt of ${id} among ${keys.join(', ')}`);
        assert.equal(await slot(receipts[0]!), await slot(`${prefix}{${id}}`));
        assert.equal(await slot(`${prefix}{${id}}`), await slot(id === 'a}b' ? 'a' : id));
      }
    });
  }

  it('indexes a message under slackline:message:<channel>:<ts> and finds its context again', async function () {
    const s = store();
    assert.equal(await s.findMessage('C1', '1700000000.000100'), undefined);
    await s.indexMessage('C1', '1700000000.000100', 'ctx-1');
    assert.equal(await redis.get(`${prefix}slackline:message:C1:1700000000.000100`), 'ctx-1');
    assert.equal(await s.findMessage('C1', '1700000000.000100'), 'ctx-1');
  });

  it('reads the document with the message index, so the decision that follows writes without reading', async function () {
    const s = store();
    await s.update('ctx-idx', () => ({ votes: 0 }));
    await s.indexMessage('C1', '1700000000.000200', 'ctx-idx');
    await redis.set(docKey('ctx-idx'), 'votes: 1\n'); // written by another process: the store's copy is stale
    const other = store();
    assert.equal(await other.findMessage('C1', '1700000000.000200'), 'ctx-idx');
    const seen = await monitorWhile(
      async () => {
        const result = await other.update('ctx-idx', (doc) => ({ votes: Number(doc?.['votes']) + 1 }));
        assert.deepEqual(result, { votes: 2 });
      },
      (commands) => commands.some((c) => c.source === 'lua'), // the script's SET
    );
    // Commands a script runs are shown too, from "lua": only the ones the store sent count.
    const sent = seen.filter((c) => c.source !== 'lua' && c.args.some((a) => a.includes(docKey('ctx-idx'))));
    assert.equal(sent.length, 1, 'one command, the compare-and-set: no GET');
    assert.match(sent[0]?.args[0] ?? '', /^eval(sha)?$/i);
    assert.equal(await redis.get(docKey('ctx-idx')), 'votes: 2\n');
  });

  it('peeks at the document findMessage just read, without reading it again; loads one it has not seen', async function () {
    const s = store();
    await redis.set(docKey('ctx-peek'), 'votes: 1\n');
    await s.indexMessage('C1', '1700000000.000300', 'ctx-peek');
    assert.equal(await s.findMessage('C1', '1700000000.000300'), 'ctx-peek');
    await redis.set(docKey('ctx-peek'), 'votes: 2\n'); // not seen: peek is for a check made again later
    assert.deepEqual(await s.peek('ctx-peek'), { votes: 1 });
    assert.deepEqual(await store().peek('ctx-peek'), { votes: 2 });
  });

  it('writes nothing when the change leaves the document as it is', async function () {
    const s = store();
    await redis.set(docKey('same'), 'a: 1\n');
    const text = (c: MonitoredCommand) => c.args.join(' ');
    const commands = await monitorWhile(
      async () => {
        assert.deepEqual(await s.update('same', (doc) => ({ ...doc, a: 1 })), { a: 1 });
        await s.update('same', (doc) => ({ ...doc, b: 2 })); // a write, to know when MONITOR has caught up
      },
      (commands) => commands.some((c) => /^set .*b: 2/is.test(text(c))),
    );
    const seen = commands.map(text);
    // Only this test's keys: MONITOR sees every client of a Redis other tests and processes share.
    const ours = seen.filter((line) => line.toLowerCase().startsWith(`set ${prefix}`.toLowerCase()));
    assert.equal(ours.length, 1, 'only the change was written');
    assert.equal(await redis.get(docKey('same')), 'a: 1\nb: 2\n');
  });

  it('finds a message whose document is missing or not a string, and leaves the error to the update', async function () {
    const s = store();
    await s.indexMessage('C1', '1.1', 'nothing-here');
    assert.equal(await s.findMessage('C1', '1.1'), 'nothing-here');
    await redis.lpush(docKey('a-list'), 'x');
    await s.indexMessage('C1', '1.2', 'a-list');
    assert.equal(await s.findMessage('C1', '1.2'), 'a-list');
    await rejectsWith(
      s.update('a-list', () => ({})),
      `Redis key "${docKey('a-list')}" does not hold a string value (WRONGTYPE)`,
    );
  });

  it('loads a document as PyYAML writes it', async function () {
    await redis.set(docKey('ctx-py'), PYYAML_TEXT);
    assert.deepEqual(await store().load('ctx-py'), PYYAML_DOC);
  });

  /** PYYAML_TEXT with months of history in front of its state: large enough (25 KB) to be read entry by entry. */
  function withHistory(text: string, lines = 800): string {
    const history = Array.from({ length: lines }, (_, i) => `    run${i}: deployed 1.0.${i} to dev\n`).join(
      '',
    );
    return text.replace('state:\n', `state:\n  history:\n${history}`);
  }

  it('changes a large document PyYAML wrote by rewriting only what the change read: the rest keeps its bytes', async function () {
    const text = withHistory(PYYAML_TEXT);
    await redis.set(docKey('ctx-big'), text);
    const after = await store().update('ctx-big', (doc) => {
      const state = doc?.['state'] as Record<string, unknown>;
      state['offeredChoices'] = { c1: { status: 'decided' } };
      return doc;
    });
    const written = text.replace(
      'pipelines:\n',
      '  offeredChoices:\n    c1:\n      status: decided\npipelines:\n',
    );
    assert.equal(await redis.get(docKey('ctx-big')), written);
    const expected = await store().load('ctx-big');
    assert.deepEqual((expected?.['state'] as Record<string, unknown>)['offeredChoices'], {
      c1: { status: 'decided' },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(after)), expected);
  });

  it("changes a large document twice in a row, the second from what the first wrote, and keeps the rest's bytes", async function () {
    const text = withHistory(PYYAML_TEXT);
    await redis.set(docKey('ctx-big-2'), text);
    const s = store();
    const offer = (status: string) => (doc: ContextDocument | undefined) => {
      const state = doc?.['state'] as Record<string, unknown>;
      state['offeredChoices'] = { c1: { status, by: 'U1' } };
      return doc;
    };
    await s.update('ctx-big-2', offer('decided'));
    await s.update('ctx-big-2', offer('delivered'));
    assert.equal(
      await redis.get(docKey('ctx-big-2')),
      text.replace(
        'pipelines:\n',
        '  offeredChoices:\n    c1:\n      status: delivered\n      by: U1\npipelines:\n',
      ),
    );
  });

  it('reads a document whole when an entry it read does not parse alone, and then names the key', async function () {
    const corrupt = withHistory(PYYAML_TEXT).replace(
      '    run7: deployed 1.0.7 to dev\n',
      '    run7: x\n      not: valid\n',
    );
    await redis.set(docKey('ctx-corrupt'), corrupt);
    await rejectsWith(
      store().update('ctx-corrupt', (doc) => {
        const history = (doc?.['state'] as Record<string, Record<string, unknown>>)['history'];
        return { ...doc, seen: history?.['run7'] };
      }),
      new RegExp(`^Redis key "${docKey('ctx-corrupt')}" does not hold valid YAML: `),
    );
    assert.equal(await redis.get(docKey('ctx-corrupt')), corrupt, 'nothing written');
  });

  it('reads a large document whole with readByEntries: false (the CLI), so a broken entry is found at once', async function () {
    const corrupt = withHistory(PYYAML_TEXT).replace(
      '    run7: deployed 1.0.7 to dev\n',
      '    run7: x\n      not: valid\n',
    );
    await redis.set(docKey('ctx-whole'), corrupt);
    const touchOnlyState = (doc: Record<string, unknown> | undefined) => {
      if (doc) doc['flag'] = true;
      return doc;
    };
    await rejectsWith(
      store({}, { readByEntries: false }).update('ctx-whole', touchOnlyState),
      new RegExp(`^Redis key "${docKey('ctx-whole')}" does not hold valid YAML: `),
    );
    // Read by entries, the same change never reads the broken one; a change that copies the whole document
    // reads it all, and is refused the same way.
    await store().update('ctx-whole', touchOnlyState);
    assert.match((await redis.get(docKey('ctx-whole'))) ?? '', /^flag: true$/m);
    await rejectsWith(
      store().update('ctx-whole', (doc) => ({ ...doc, copied: true })),
      new RegExp(`^Redis key "${docKey('ctx-whole')}" does not hold valid YAML: `),
    );
  });

  it('passes update() a copy, keeps the key untouched when it returns undefined, and can update again', async function () {
    const s = store();
    await s.update('k', () => ({ a: 1 }));
    const read = await s.update('k', (current) => {
      assert.ok(current);
      current['a'] = 99; // mutating the copy must not leak into what update() returns
      return undefined;
    });
    assert.deepEqual(read, { a: 1 });
    assert.equal(await redis.get(docKey('k')), 'a: 1\n');
    await redis.set(docKey('other'), 'x: 1\n');
    assert.deepEqual(await s.update('k', (c) => ({ ...c, b: 2 })), { a: 1, b: 2 });
  });

  it('makes a change on what another writer saved since, not on the document it last wrote', async function () {
    const s = store();
    await s.update('shared', () => ({ mine: 1 }));
    await redis.set(docKey('shared'), 'theirs: 2\n');
    const seenByChange: unknown[] = [];
    const result = await s.update('shared', (current) => {
      seenByChange.push(current);
      return { ...current, mine: 3 };
    });
    assert.deepEqual(result, { theirs: 2, mine: 3 });
    assert.equal(await redis.get(docKey('shared')), 'theirs: 2\nmine: 3\n');
    // The first attempt may start from what this store wrote; the write that counts started from theirs.
    assert.deepEqual(seenByChange.at(-1), { theirs: 2 });
  });

  it('decides to write nothing only on what the key holds now', async function () {
    const s = store();
    await s.update('gone', () => ({ here: true }));
    await redis.del(docKey('gone')); // another writer deletes the key behind this store's back
    const result = await s.update('gone', (current) => (current ? undefined : { recreated: true }));
    assert.deepEqual(result, { recreated: true });
    assert.equal(await redis.get(docKey('gone')), 'recreated: true\n');
    await redis.set(docKey('gone'), 'other: 1\n');
    assert.deepEqual(
      await s.update('gone', () => undefined),
      { other: 1 },
      'what is returned when nothing is written is the key as it is now',
    );
  });

  it('reads a document whose bytes are not valid UTF-8, and writes it back', async function () {
    const s = store();
    await redis.set(docKey('latin1'), Buffer.from('name: caf\xe9\n', 'latin1'));
    const result = await s.update('latin1', (current) => ({ ...current, seen: true }));
    assert.deepEqual(result, { name: 'caf\ufffd', seen: true });
  });

  it('passes on an error thrown by change() and stays usable', async function () {
    const s = store();
    await assert.rejects(
      s.update('k', () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await s.update('k', () => ({ ok: true })), { ok: true });
  });

  it('names the key when its value is not valid YAML or not a mapping', async function () {
    await redis.set(docKey('bad'), 'a: [unclosed\n');
    await rejectsWith(
      store().load('bad'),
      new RegExp(`^Redis key "${docKey('bad')}" does not hold valid YAML: `),
    );
    await redis.set(docKey('list'), '- 1\n');
    await rejectsWith(
      store().update('list', (c) => c),
      /does not hold a context document/,
    );
    await redis.lpush(docKey('wrongtype'), 'x');
    await rejectsWith(
      store().load('wrongtype'),
      `Redis key "${docKey('wrongtype')}" does not hold a string value (WRONGTYPE)`,
    );
  });

  it('never loses a change: 50 concurrent updates from 50 clients leave 50 keys', async function () {
    this.timeout(60_000);
    const clients = Array.from({ length: 50 }, () => store());
    await Promise.all(clients.map((s, i) => s.update('busy', (current) => ({ ...current, [`key${i}`]: i }))));
    const doc = await store().load('busy');
    assert.equal(Object.keys(doc ?? {}).length, 50);
    for (let i = 0; i < 50; i++) assert.equal(doc?.[`key${i}`], i);
  });

  it('serialises concurrent updates made through one client', async function () {
    const s = store();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.update('one', (c) => ({ ...c, [`k${i}`]: true }))),
    );
    assert.equal(Object.keys((await s.load('one')) ?? {}).length, 20);
  });

  it('gives up after its deadline when every write conflicts', async function () {
    const s = store({}, { conflictTimeoutMs: 300 });
    let calls = 0;
    await rejectsWith(
      s.update('contested', () => {
        calls++;
        // Another writer changes the key between this client's read and its write, every time. Synchronously
        // (redis-cli), so the other write has landed before this one is sent, however busy the machine is.
        const where = backend.cluster ? ['-c', '-h', host, '-p', String(port)] : ['-u', url];
        execFileSync('redis-cli', [...where, 'SET', docKey('contested'), `n: ${calls}\n`]);
        return { mine: true };
      }),
      new RegExp(`^gave up writing Redis key "${docKey('contested')}" after 0.3 s: \\d+ conflicting writes$`),
    );
    assert.ok(calls > 1);
  });

  it('selects the database from the url', async function () {
    if (backend.cluster) {
      // A cluster has database 0 only: another is refused before anything connects.
      assert.throws(
        () => store({ db: 3 }),
        /^StoreError: a Redis Cluster has only database 0: remove db from the redis settings$/,
      );
      return;
    }
    const s = store({ url: `${url.replace(/\/\d*$/, '')}/3` });
    await s.update('in-db-3', () => ({ db: 3 }));
    assert.equal(await redis.exists(`${prefix}in-db-3`), 0);
    const db3 = rawClient(`${url.replace(/\/\d*$/, '')}/3`);
    try {
      assert.equal(await db3.get(`${prefix}in-db-3`), 'db: 3\n');
      await db3.del(`${prefix}in-db-3`);
    } finally {
      db3.disconnect();
    }
    await rejectsWith(store({ db: 12345 }).load('x'), `Redis at ${host}:${port} has no database 12345`);
  });

  describe('credentials and errors', function () {
    /** What a client needs on a cluster to learn its layout (docs/operations.md). */
    const clusterRights = backend.cluster ? ['+cluster|slots'] : [];
    it('works as an ACL user whose password contains $, given as fields or in the url', async function () {
      const user = await createAclUser(url);
      const { clusterNodes } = redisEndpoint(url);
      const byFields = store({
        url: undefined,
        ...(clusterNodes ? { clusterNodes } : { host, port }),
        username: user.username,
        password: user.password,
      });
      await byFields.update('acl', () => ({ by: 'fields' }));
      const byUrl = store({
        url: clusterNodes
          ? url.replace('redis-cluster://', `redis-cluster://${user.username}:${user.password}@`)
          : `redis://${user.username}:${user.password}@${host}:${port}/0`,
      });
      assert.deepEqual(await byUrl.load('acl'), { by: 'fields' });
      assert.ok(!byUrl.description.includes(user.password));
    });

    it('reports wrong credentials in one line', async function () {
      const user = await createAclUser(url);
      const s = store({ username: user.username, password: 'wrong$pw' });
      await rejectsWith(s.load('x'), `Redis refused the credentials of user "${user.username}" (WRONGPASS)`);
      await rejectsWith(
        s.update('x', () => ({})),
        `Redis refused the credentials of user "${user.username}" (WRONGPASS)`,
      );
    });

    it('reports a user without the right to write', async function () {
      const user = await createReadOnlyAclUser(url, clusterRights);
      const s = store({ username: user.username, password: user.password });
      assert.equal(await s.load('ro'), undefined);
      await rejectsWith(
        s.update('ro', () => ({ a: 1 })),
        `Redis user "${user.username}" may not run EVAL on key "${docKey('ro')}" (NOPERM)`,
      );
    });

    it('reports a user who may run scripts but not write keys', async function () {
      const user = await createReadOnlyAclUser(url, ['+eval', '+evalsha', ...clusterRights]);
      const s = store({ username: user.username, password: user.password });
      await rejectsWith(
        s.update('ro', () => ({ a: 1 })),
        `Redis user "${user.username}" may not run GET and SET on key "${docKey('ro')}", which slackline's write script needs (NOPERM)`,
      );
      assert.equal(await redis.exists(docKey('ro')), 0);
    });

    it('fails fast when nothing listens on the port', async function () {
      const closed = await freePort();
      const s = store({ url: `${backend.cluster ? 'redis-cluster' : 'redis'}://127.0.0.1:${closed}` });
      // ioredis does not tell why a cluster's nodes could not be used: only that none answered.
      const why = backend.cluster ? 'no node of the cluster answered' : 'connection refused';
      const started = Date.now();
      await rejectsWith(s.load('x'), `cannot reach Redis at 127.0.0.1:${closed}: ${why}`);
      await rejectsWith(
        s.update('x', () => ({})),
        `cannot reach Redis at 127.0.0.1:${closed}: ${why}`,
      );
      assert.ok(Date.now() - started < 2000);
    });

    it('connects again after its connection was lost', async function () {
      // Its own ACL user, so that CLIENT KILL touches nobody else's connections on a shared Redis.
      const user = await createAclUser(url);
      const s = store({ username: user.username, password: user.password });
      await s.update('again', () => ({ a: 1 }));
      for (const server of serverUrls(url)) {
        const node = rawClient(server);
        await node.call('CLIENT', 'KILL', 'USER', user.username);
        node.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await s.load('again'), { a: 1 });
    });
  });

  it('does not load ioredis until the store is first used', function () {
    const script = [
      "const { openDatasources } = require('./src/store/open-datasources');",
      "const { silentLogger } = require('./src/core/logger');",
      "openDatasources([{ type: 'redis', isPrimary: true, host: '127.0.0.1' }], silentLogger);",
      "console.log(Object.keys(require.cache).filter((f) => f.includes('/node_modules/ioredis/')).length);",
    ].join('\n');
    const result = spawnSync('node', ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '0');
  });
});
