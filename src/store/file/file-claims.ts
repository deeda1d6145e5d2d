import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { withFileLock, type FileLockOptions } from './file-lock';

/** Keys claimed once within a time to live: one small file each, holding when the claim ends. */
export class FileClaims {
  constructor(
    private readonly dir: string,
    private readonly lockOptions: FileLockOptions,
  ) {}

  claim(key: string, ttlMs: number): Promise<boolean> {
    const file = join(this.dir, createHash('sha256').update(key).digest('hex'));
    return withFileLock(`${file}.lock`, this.lockOptions, async () => {
      const until = Number(await readFile(file, 'utf8').catch(() => '0'));
      if (until > Date.now()) return false;
      await writeFileAtomic(file, String(Date.now() + ttlMs), { fsync: true });
      return true;
    });
  }
}
