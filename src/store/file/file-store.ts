import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deepCopy, isPlainObject, type ContextDocument } from '../../core/document';
import { StoreError } from '../../core/errors';
import { silentLogger, type Logger } from '../../core/logger';
import { dumpYaml, parseYaml } from '../../compat/yaml/yaml';
import { fsErrorReason, writeFileAtomic } from '../atomic-write';
import type { GatewayStore } from '../store';
import { FileClaims } from './file-claims';
import { FileIntakeLog } from './file-intake-log';
import { withFileLock, type FileLockOptions } from './file-lock';
import { FileDeadlines } from './file-deadlines';
import { FileOutbox } from './file-outbox';

export interface FileStoreOptions {
  /** A lock file older than this was left by a crashed writer and is broken (default 30 s). */
  lockStaleMs?: number;
  /** How long update() waits for a live lock before giving up (default 60 s). */
  lockTimeoutMs?: number;
  logger?: Logger;
}

/**
 * The embedded primary: `<dir>/<encodeURIComponent(id)>.yaml`, the same YAML text Redis would hold. Updates
 * hold an exclusive lock file, so processes on one machine or on a shared volume never lose each other's
 * changes; reads need no lock because every write replaces the file atomically. The gateway's intake log,
 * outbox and claims live under `<dir>/.slackline/`.
 */
export class FileStore implements GatewayStore {
  readonly description: string;
  readonly intake: FileIntakeLog;
  readonly outbox: FileOutbox;
  readonly deadlines: FileDeadlines;
  private readonly claims: FileClaims;
  private readonly lockOptions: FileLockOptions;

  constructor(
    private readonly dir: string,
    options: FileStoreOptions = {},
  ) {
    this.description = `file store ${dir}`;
    this.lockOptions = {
      staleMs: options.lockStaleMs ?? 30_000,
      timeoutMs: options.lockTimeoutMs ?? 60_000,
      logger: options.logger ?? silentLogger,
    };
    const own = join(dir, '.slackline');
    this.outbox = new FileOutbox(join(own, 'outbox.json'), this.lockOptions);
    this.intake = new FileIntakeLog(join(own, 'intake'), this.lockOptions, this.outbox);
    this.claims = new FileClaims(join(own, 'claims'), this.lockOptions);
    this.deadlines = new FileDeadlines(join(own, 'deadlines.json'), this.lockOptions);
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
    return withFileLock(`${file}.lock`, this.lockOptions, async () => {
      const current = await this.read(file);
      const next = change(current === undefined ? undefined : deepCopy(current));
      if (next === undefined) return current;
      await writeFileAtomic(file, dumpYaml(next), { fsync: true });
      return next;
    });
  }

  async remove(id: string): Promise<void> {
    const file = this.fileFor(id);
    await withFileLock(`${file}.lock`, this.lockOptions, async () => {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw new StoreError(`cannot remove ${file}: ${fsErrorReason(error)}`);
      });
    });
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.claims.claim(key, ttlMs);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.intake.close();
  }

  /** One small file per message under `messages/`, holding the context id (the Redis store's index key). */
  async indexMessage(channel: string, ts: string, id: string): Promise<void> {
    await writeFileAtomic(this.messageFile(channel, ts), id);
  }

  /** A file is read in full each time: nothing is remembered, so this is load(). */
  peek(id: string): Promise<ContextDocument | undefined> {
    return this.load(id);
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
      throw new StoreError(`${file} is not valid YAML: ${(error as Error).message}`, {
        cause: error,
        kind: 'not-a-document',
      });
    }
    if (!isPlainObject(doc))
      throw new StoreError(`${file} does not hold a context document (a YAML mapping)`, {
        kind: 'not-a-document',
      });
    return doc;
  }
}
