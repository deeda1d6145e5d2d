import { readFile } from 'node:fs/promises';
import { StoreError } from '../../core/errors';
import { fsErrorReason, writeFileAtomic } from '../atomic-write';
import type { Outbox } from '../outbox';
import { withFileLock, type FileLockOptions } from './file-lock';

type Schedule = Record<string, number>;

/** What left the outbox in the last day, so that a late "unless it is there" does not bring it back. */
const DONE_MEMORY_MS = 24 * 60 * 60_000;
/** Refs that are done, beside the due ones, marked by a negative time: when they were done. */
const isDone = (at: number | undefined) => at !== undefined && at < 0;

/**
 * The outbox schedule as one JSON file of `ref → due time (ms)`, changed under its lock; a ref done in the last
 * day is kept as `ref → -(when it was done)`.
 */
export class FileOutbox implements Outbox {
  constructor(
    private readonly file: string,
    private readonly lockOptions: FileLockOptions,
  ) {}

  schedule(ref: string, delayMs: number, onlyIfAbsent = false): Promise<void> {
    return this.change((entries) => {
      if (!(onlyIfAbsent && Object.hasOwn(entries, ref))) entries[ref] = Date.now() + Math.max(0, delayMs);
    });
  }

  claimDue(leaseMs: number, max: number): Promise<string[]> {
    return this.change((entries) => {
      const now = Date.now();
      const due = Object.entries(entries)
        .filter(([, at]) => !isDone(at) && at <= now)
        .sort(([, a], [, b]) => a - b)
        .slice(0, max)
        .map(([ref]) => ref);
      for (const ref of due) entries[ref] = now + leaseMs;
      return due;
    });
  }

  done(ref: string): Promise<void> {
    return this.change((entries) => {
      const now = Date.now();
      entries[ref] = -now;
      for (const [other, at] of Object.entries(entries)) {
        if (isDone(at) && -at < now - DONE_MEMORY_MS) delete entries[other];
      }
    });
  }

  async size(): Promise<number> {
    return Object.values(await this.read()).filter((at) => !isDone(at)).length;
  }

  private change<T>(edit: (entries: Schedule) => T): Promise<T> {
    return withFileLock(`${this.file}.lock`, this.lockOptions, async () => {
      const entries = await this.read();
      const result = edit(entries);
      await writeFileAtomic(this.file, JSON.stringify(entries), { fsync: true });
      return result;
    });
  }

  private async read(): Promise<Schedule> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new StoreError(`cannot read ${this.file}: ${fsErrorReason(error)}`, { cause: error });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Schedule) : {};
    } catch {
      throw new StoreError(`${this.file} is not the outbox schedule slackline writes`, {
        kind: 'not-a-document',
      });
    }
  }
}
