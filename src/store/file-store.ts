import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deepCopy, isPlainObject, type ContextDocument } from '../core/document';
import { StoreError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import { dumpYaml, parseYaml } from '../core/yaml';
import { fsErrorReason, writeFileAtomic } from './atomic-write';
import type { Store } from './store';

export interface FileStoreOptions {
  /** A lock file older than this was left by a crashed writer and is broken (default 30 s). */
  lockStaleMs?: number;
  /** How long update() waits for a live lock before giving up (default 60 s). */
  lockTimeoutMs?: number;
  logger?: Logger;
}

/**
 * The embedded primary: `<dir>/<encodeURIComponent(id)>.yaml`, the same YAML text Redis would hold. Updates
 * hold an exclusive lock file (`open(…, 'wx')` is atomic on local disks and NFSv3+), so processes on one
 * machine or on a shared volume never lose each other's changes; reads need no lock because every write
 * replaces the file atomically.
 */
export class FileStore implements Store {
  readonly description: string;
  private readonly lockStaleMs: number;
  private readonly lockTimeoutMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly dir: string,
    options: FileStoreOptions = {},
  ) {
    this.description = `file store ${dir}`;
    this.lockStaleMs = options.lockStaleMs ?? 30_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** The file that holds `id` (ids may contain `/` and anything else, hence the encoding). */
  fileFor(id: string): string {
    if (id === '') throw new StoreError('a context id must not be empty');
    return join(this.dir, `${encodeURIComponent(id)}.yaml`);
  }

  async load(id: string): Promise<ContextDocument | undefined> {
    return this.read(this.fileFor(id));
  }

  async update(
    id: string,
    change: (current: ContextDocument | undefined) => ContextDocument | undefined,
  ): Promise<ContextDocument | undefined> {
    const file = this.fileFor(id);
    const release = await this.lock(`${file}.lock`);
    try {
      const current = await this.read(file);
      const next = change(current === undefined ? undefined : deepCopy(current));
      if (next === undefined) return current;
      await writeFileAtomic(file, dumpYaml(next), { fsync: true });
      return next;
    } finally {
      await release();
    }
  }

  async close(): Promise<void> {}

  /** One small file per message under `messages/`, holding the context id (the Redis store's index key). */
  async indexMessage(channel: string, ts: string, id: string): Promise<void> {
    await writeFileAtomic(this.messageFile(channel, ts), id);
  }

  async findMessage(channel: string, ts: string): Promise<string | undefined> {
    try {
      return (await readFile(this.messageFile(channel, ts), 'utf8')) || undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`cannot read the message index of ${channel} ${ts}: ${fsErrorReason(error)}`);
    }
  }

  private messageFile(channel: string, ts: string): string {
    return join(this.dir, 'messages', encodeURIComponent(`${channel}:${ts}`));
  }

  private async read(file: string): Promise<ContextDocument | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`cannot read ${file}: ${fsErrorReason(error)}`, { cause: error });
    }
    let doc: unknown;
    try {
      doc = parseYaml(text, file);
    } catch (error) {
      throw new StoreError(`${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
    }
    if (!isPlainObject(doc))
      throw new StoreError(`${file} does not hold a context document (a YAML mapping)`);
    return doc;
  }

  /** Takes the lock file and resolves to the function that releases it. */
  private async lock(lockFile: string): Promise<() => Promise<void>> {
    // Identifies this holder, so that release never removes a lock someone else took after ours was broken.
    const token = `${hostname()} ${process.pid} ${randomBytes(8).toString('hex')}`;
    const deadline = Date.now() + this.lockTimeoutMs;
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create ${this.dir}: ${fsErrorReason(error)}`, { cause: error });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lockFile, 'wx');
        try {
          await handle.writeFile(token);
        } finally {
          await handle.close();
        }
        return () => this.unlock(lockFile, token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StoreError(`cannot create lock file ${lockFile}: ${fsErrorReason(error)}`, {
            cause: error,
          });
        }
      }
      await this.breakIfStale(lockFile);
      if (Date.now() > deadline) {
        throw new StoreError(`gave up waiting ${this.lockTimeoutMs / 1000} s for the lock ${lockFile}`);
      }
      // Jittered and growing, so that many waiting processes do not retry in lock step.
      await sleep(Math.random() * Math.min(100, 2 * 2 ** Math.min(attempt, 6)));
    }
  }

  private async unlock(lockFile: string, token: string): Promise<void> {
    try {
      if ((await readFile(lockFile, 'utf8')) === token) {
        await unlink(lockFile);
        return;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StoreError(`cannot remove lock file ${lockFile}: ${fsErrorReason(error)}`, {
          cause: error,
        });
      }
    }
    this.logger.warn(`the lock ${lockFile} was broken as stale while this process held it`);
  }

  /**
   * Removes a lock left by a crashed writer. Moving it aside with rename() lets exactly one waiter take a
   * given lock file; if what was moved turns out to be a fresh lock (taken between our stat and rename),
   * it is put back with link(), which fails rather than overwrite a lock someone took in the meantime.
   */
  private async breakIfStale(lockFile: string): Promise<void> {
    let seen;
    try {
      seen = await stat(lockFile);
    } catch {
      return; // released meanwhile
    }
    if (Date.now() - seen.mtimeMs < this.lockStaleMs) return;
    const aside = `${lockFile}.stale-${randomBytes(6).toString('hex')}`;
    try {
      await rename(lockFile, aside);
    } catch {
      return; // another waiter broke it first
    }
    try {
      const moved = await stat(aside);
      if (moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs) {
        this.logger.warn(`broke the stale lock ${lockFile} (older than ${this.lockStaleMs / 1000} s)`);
      } else {
        await link(aside, lockFile).catch(() => {});
      }
    } finally {
      await unlink(aside).catch(() => {});
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
