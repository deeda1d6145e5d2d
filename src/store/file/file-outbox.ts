import type { Outbox } from '../outbox';
import type { FileLockOptions } from './file-lock';
import { JsonScheduleFile } from './json-schedule-file';

/** What left the outbox in the last day, so that a late "unless it is there" does not bring it back. */
const DONE_MEMORY_MS = 24 * 60 * 60_000;
/** Refs that are done, beside the due ones, marked by a negative time: when they were done. */
const isDone = (at: number | undefined) => at !== undefined && at < 0;

/**
 * The outbox schedule as one JSON file of `ref → due time (ms)`, changed under its lock; a ref done in the last
 * day is kept as `ref → -(when it was done)`.
 */
export class FileOutbox implements Outbox {
  private readonly file: JsonScheduleFile;

  constructor(file: string, lockOptions: FileLockOptions) {
    this.file = new JsonScheduleFile(file, lockOptions, 'the outbox schedule');
  }

  schedule(ref: string, delayMs: number, onlyIfAbsent = false): Promise<void> {
    return this.file.change((entries) => {
      if (!(onlyIfAbsent && Object.hasOwn(entries, ref))) entries[ref] = Date.now() + Math.max(0, delayMs);
    });
  }

  claimDue(leaseMs: number, max: number): Promise<string[]> {
    return this.file.change((entries) => {
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
    return this.file.change((entries) => {
      const now = Date.now();
      entries[ref] = -now;
      for (const [other, at] of Object.entries(entries)) {
        if (isDone(at) && -at < now - DONE_MEMORY_MS) delete entries[other];
      }
    });
  }

  async size(): Promise<number> {
    return Object.values(await this.file.read()).filter((at) => !isDone(at)).length;
  }
}
