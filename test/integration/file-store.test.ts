import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/core/errors';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { FileStore } from '../../src/store/file/file-store';

const WRITER = join(__dirname, '..', 'helpers', 'file-store-writer.ts');

/** Runs `count` writer processes, releases them all at once, and resolves when all are done. */
async function concurrentWriters(dir: string, id: string, count: number): Promise<void> {
  const children = Array.from({ length: count }, (_, i) =>
    // tsx's CommonJS hook alone: half the start-up cost of `--import tsx`, which adds an ESM loader thread.
    spawn(process.execPath, ['--require', 'tsx/cjs', WRITER, dir, id, `key${i}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const outputs = children.map((child) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const ready = new Promise<void>((resolve) => {
      const check = () => (out.includes('ready\n') ? resolve() : undefined);
      child.stdout.on('data', check);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { ready, exited, output: () => out };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.end('go\n');
  const codes = await Promise.all(outputs.map((o) => o.exited));
  codes.forEach((code, i) => assert.equal(code, 0, `writer ${i}: ${outputs[i]?.output()}`));
}

describe('FileStore', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-filestore-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a document as the same YAML text Redis would hold, one file per id', async function () {
    const store = new FileStore(join(dir, 'state'));
    const doc = { state: { cicdContextDataId: 'ctx/1 é', n: 1, yes: 'yes' }, list: [1, 'a'] };
    assert.equal(store.description, `file store ${join(dir, 'state')}`);
    assert.equal(await store.load('ctx/1 é'), undefined);
    assert.deepEqual(await store.update('ctx/1 é', () => doc), doc);
    assert.deepEqual(await store.load('ctx/1 é'), doc);
    const file = join(dir, 'state', `${encodeURIComponent('ctx/1 é')}.yaml`);
    assert.equal(store.fileFor('ctx/1 é'), file);
    assert.equal(readFileSync(file, 'utf8'), dumpYaml(doc));
    assert.deepEqual(readdirSync(join(dir, 'state')), [`${encodeURIComponent('ctx/1 é')}.yaml`]);
  });

  it('indexes a message and finds its context again', async function () {
    const store = new FileStore(join(dir, 'state'));
    assert.equal(await store.findMessage('C1', '1700000000.000100'), undefined);
    await store.indexMessage('C1', '1700000000.000100', 'ctx-1');
    assert.equal(await store.findMessage('C1', '1700000000.000100'), 'ctx-1');
    assert.equal(await store.findMessage('C2', '1700000000.000100'), undefined);
  });

  it('passes update() a copy and writes nothing when it returns undefined', async function () {
    const store = new FileStore(dir);
    await store.update('k', () => ({ a: 1 }));
    const read = await store.update('k', (current) => {
      assert.ok(current);
      current['a'] = 2;
      return undefined;
    });
    assert.deepEqual(read, { a: 1 });
    assert.deepEqual(await store.load('k'), { a: 1 });
    assert.equal(await store.update('absent', () => undefined), undefined);
    assert.equal(existsSync(store.fileFor('absent')), false);
  });

  it('releases the lock when change() throws', async function () {
    const store = new FileStore(dir);
    await assert.rejects(
      store.update('k', () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await store.update('k', () => ({ ok: true })), { ok: true });
    assert.deepEqual(readdirSync(dir), ['k.yaml']);
  });

  it('reports a file that does not hold a document, naming it', async function () {
    const store = new FileStore(dir);
    writeFileSync(store.fileFor('bad'), 'a: [unclosed\n');
    await assert.rejects(store.load('bad'), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /bad\.yaml is not valid YAML: /);
      return true;
    });
    writeFileSync(store.fileFor('list'), '- 1\n');
    await assert.rejects(
      store.update('list', (c) => c),
      /list\.yaml does not hold a context document/,
    );
    await assert.rejects(store.load(''), StoreError);
  });

  it('never loses a change: 50 concurrent updates from 50 processes leave 50 keys', async function () {
    this.timeout(180_000);
    await concurrentWriters(dir, 'busy', 50);
    const doc = await new FileStore(dir).load('busy');
    assert.deepEqual(Object.keys(doc ?? {}).sort(), Array.from({ length: 50 }, (_, i) => `key${i}`).sort());
    assert.deepEqual(readdirSync(dir), ['busy.yaml']);
  });

  it('waits for a live lock', async function () {
    const store = new FileStore(dir);
    const lock = `${store.fileFor('k')}.lock`;
    writeFileSync(lock, 'another process');
    setTimeout(() => rmSync(lock), 200);
    const started = Date.now();
    await store.update('k', () => ({ a: 1 }));
    assert.ok(Date.now() - started >= 150);
    assert.deepEqual(await store.load('k'), { a: 1 });
  });

  it('breaks a stale lock left by a crashed writer', async function () {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const store = new FileStore(dir, { lockStaleMs: 30_000, logger });
    const lock = `${store.fileFor('k')}.lock`;
    writeFileSync(lock, 'crashed 1234');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const started = Date.now();
    await store.update('k', () => ({ a: 1 }));
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(await store.load('k'), { a: 1 });
    assert.deepEqual(readdirSync(dir), ['k.yaml']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /broke the stale lock .*k\.yaml\.lock/);
  });

  it('gives up on a lock that stays taken', async function () {
    const store = new FileStore(dir, { lockTimeoutMs: 200 });
    writeFileSync(`${store.fileFor('k')}.lock`, 'held');
    await assert.rejects(
      store.update('k', () => ({})),
      /^StoreError: gave up waiting 0\.2 s for the lock .*k\.yaml\.lock$/,
    );
  });
});
