import { createHash } from 'node:crypto';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { withFileLock, type FileLockOptions } from './file-lock';

const CLAIM_FILE = /^[0-9a-f]{64}$/;

/**
 * Keys claimed once within a time to live: one small file each, holding when the claim ends. Claims that have
 * ended are removed now and then (at most every `pruneEveryMs`), so that a gateway that sees a click per
 * minute for a year does not keep half a million files.
 */
export class FileClaims {
  private lastPrune = 0;

  constructor(
    private readonly dir: string,
    private readonly lockOptions: FileLockOptions,
    private readonly pruneEveryMs = 60_000,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const file = join(this.dir, createHash('sha256').update(key).digest('hex'));
    const claimed = await withFileLock(`${file}.lock`, this.lockOptions, async () => {
      const until = Number(await readFile(file, 'utf8').catch(() => '0'));
      if (until > Date.now()) return false;
      await writeFileAtomic(file, String(Date.now() + ttlMs), { fsync: true });
      return true;
    });
    if (Date.now() - this.lastPrune >= this.pruneEveryMs) {
      this.lastPrune = Date.now();
      await this.prune();
    }
    return claimed;
  }

  /** Removes the claims that have ended; one that is read meanwhile reads as ended, which it is. */
  private async prune(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => CLAIM_FILE.test(n))) {
      const file = join(this.dir, name);
      const until = Number(await readFile(file, 'utf8').catch(() => 'NaN'));
      if (until <= Date.now()) await unlink(file).catch(() => {});
    }
  }
}
