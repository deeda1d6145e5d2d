import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/core/errors';
import { writeFileAtomic } from '../../src/store/atomic-write';

describe('writeFileAtomic', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-atomic-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates missing directories and writes the data', async function () {
    const file = join(dir, 'a', 'b', 'c.txt');
    await writeFileAtomic(file, 'hello');
    assert.equal(readFileSync(file, 'utf8'), 'hello');
    await writeFileAtomic(file, 'bye', { fsync: true });
    assert.equal(readFileSync(file, 'utf8'), 'bye');
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['c.txt']);
  });

  it('fails with a StoreError naming the file, and leaves no temporary file', async function () {
    const file = join(dir, 'target');
    writeFileSync(join(dir, 'blocker'), 'a file where a directory should be');
    await assert.rejects(writeFileAtomic(join(dir, 'blocker', 'x'), 'data'), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /^cannot write .*blocker\/x: .*blocker is not a directory$/);
      return true;
    });
    // Renaming onto a directory fails after the temporary file was written.
    mkdirSync(join(file, 'inner'), { recursive: true });
    await assert.rejects(writeFileAtomic(file, 'data'), StoreError);
    assert.deepEqual(readdirSync(dir).sort(), ['blocker', 'target']);
  });

  it('leaves the old file intact when the write fails half-way', function () {
    const file = join(dir, 'state.yaml');
    writeFileSync(file, 'old: content\n');
    // The child may write at most 8 KiB (ulimit -f), so writing 1 MiB fails in the middle with EFBIG.
    const script = [
      "process.on('SIGXFSZ', () => {});",
      "const { writeFileAtomic } = require('./src/store/atomic-write');",
      "writeFileAtomic(process.argv[1], 'x'.repeat(1 << 20)).then(",
      '  () => process.exit(0),',
      '  (e) => { console.log(e.message); process.exit(3); });',
    ].join('\n');
    const result = spawnSync(
      'bash',
      ['-c', 'ulimit -f 8; exec node --require tsx/cjs -e "$0" "$1"', script, file],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stdout, /cannot write .*state\.yaml: file too large \(EFBIG\)/);
    assert.equal(readFileSync(file, 'utf8'), 'old: content\n');
    assert.deepEqual(readdirSync(dir), ['state.yaml']);
  });

  it('never shows a reader a partly written file', async function () {
    const file = join(dir, 'big.json');
    const versions = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(512 * 1024));
    await writeFileAtomic(file, versions[0] as string);
    let stop = false;
    let reads = 0;
    const reader = (async () => {
      while (!stop) {
        const text = readFileSync(file, 'utf8');
        assert.ok(versions.includes(text), `saw a partial file of ${text.length} bytes`);
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 40; i++) await writeFileAtomic(file, versions[i % versions.length] as string);
    stop = true;
    await reader;
    assert.ok(reads > 0);
  });
});
