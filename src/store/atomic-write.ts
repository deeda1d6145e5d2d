import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../core/errors';

export interface WriteFileAtomicOptions {
  /** Flush the data (and the rename) to disk before resolving: for the primary copy, not for projections. */
  fsync?: boolean;
}

/**
 * Replaces `path` with `data` so that readers see the old file or the new one, never a part of either
 * (Task steps may `source` or `jq` a projection while another step rewrites it). Creates missing directories.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const dir = dirname(path);
  // Same directory as the target, so that rename() stays on one file system and is atomic.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw new StoreError(`cannot write ${path}: ${fsErrorReason(error)}`, { cause: error });
  }
  if (options.fsync) await syncDirectory(dir);
}

/** Makes the rename itself durable; not possible on every platform, where it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory for fsync; the data itself is already on disk.
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'it is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'file name too long',
};

/** A short reason for a file system error, for one-line messages: `permission denied (EACCES)`. */
export function fsErrorReason(error: unknown): string {
  if (error instanceof StoreError) return error.message;
  const { code, syscall, path } = (error ?? {}) as NodeJS.ErrnoException;
  // mkdir -p reports a file in the way of a directory as "already exists".
  if (code === 'EEXIST' && syscall === 'mkdir') return `${path} is not a directory`;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
