import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { StoreError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { fsErrorReason } from '../atomic-write';

export interface FileLockOptions {
  /** A lock file older than this was left by a crashed holder and is broken. */
  staleMs: number;
  /** How long to wait for a live lock before giving up. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * Runs `work` holding an exclusive lock file (`open(…, 'wx')` is atomic on local disks and NFSv3+), so that
 * processes on one machine or on a shared volume take turns.
 */
export async function withFileLock<T>(
  lockFile: string,
  options: FileLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const release = await lock(lockFile, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Takes the lock file and resolves to the function that releases it. */
async function lock(lockFile: string, options: FileLockOptions): Promise<() => Promise<void>> {
  // Identifies this holder, so that release never removes a lock someone else took after ours was broken.
  const token = `${hostname()} ${process.pid} ${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + options.timeoutMs;
  const dir = dirname(lockFile);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create ${dir}: ${fsErrorReason(error)}`, { cause: error });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return () => unlock(lockFile, token, options.logger);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError(`cannot create lock file ${lockFile}: ${fsErrorReason(error)}`, {
          cause: error,
        });
      }
    }
    await breakIfStale(lockFile, options);
    if (Date.now() > deadline) {
      throw new StoreError(`gave up waiting ${options.timeoutMs / 1000} s for the lock ${lockFile}`, {
        kind: 'timeout',
      });
    }
    // Jittered and growing, so that many waiting processes do not retry in lock step.
    await sleep(Math.random() * Math.min(100, 2 * 2 ** Math.min(attempt, 6)));
  }
}

async function unlock(lockFile: string, token: string, logger: Logger): Promise<void> {
  try {
    if ((await readFile(lockFile, 'utf8')) === token) {
      await unlink(lockFile);
      return;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError(`cannot remove lock file ${lockFile}: ${fsErrorReason(error)}`, { cause: error });
    }
  }
  logger.warn(`the lock ${lockFile} was broken as stale while this process held it`);
}

/**
 * Removes a lock left by a crashed holder. Moving it aside with rename() lets exactly one waiter take a
 * given lock file; if what was moved turns out to be a fresh lock (taken between our stat and rename),
 * it is put back with link(), which fails rather than overwrite a lock someone took in the meantime.
 */
async function breakIfStale(lockFile: string, options: FileLockOptions): Promise<void> {
  let seen;
  try {
    seen = await stat(lockFile);
  } catch {
    return; // released meanwhile
  }
  if (Date.now() - seen.mtimeMs < options.staleMs) return;
  const aside = `${lockFile}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockFile, aside);
  } catch {
    return; // another waiter broke it first
  }
  try {
    const moved = await stat(aside);
    if (moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs) {
      options.logger.warn(`broke the stale lock ${lockFile} (older than ${options.staleMs / 1000} s)`);
    } else {
      await link(aside, lockFile).catch(() => {});
    }
  } finally {
    await unlink(aside).catch(() => {});
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
