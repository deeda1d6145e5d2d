import { readFile } from 'node:fs/promises';
import type { ChoiceRef } from '../../core/choice/choice-record';
import { StoreError } from '../../core/errors';
import { fsErrorReason, writeFileAtomic } from '../atomic-write';
import { deadlineMember, deadlineRef, type DeadlineSchedule } from '../deadline-schedule';
import { withFileLock, type FileLockOptions } from './file-lock';

type Schedule = Record<string, number>;

/** The deadline schedule as one JSON file of `entry → due time (ms)`, changed under its lock, like the outbox. */
export class FileDeadlines implements DeadlineSchedule {
  constructor(
    private readonly file: string,
    private readonly lockOptions: FileLockOptions,
  ) {}

  schedule(choice: ChoiceRef, atMs: number): Promise<void> {
    return this.change((entries) => {
      entries[deadlineMember(choice)] = Math.round(atMs);
    });
  }

  claimDue(nowMs: number, leaseMs: number, max: number): Promise<ChoiceRef[]> {
    return this.change((entries) => {
      const due = Object.entries(entries)
        .filter(([, at]) => at <= nowMs)
        .sort(([, a], [, b]) => a - b)
        .slice(0, max)
        .map(([member]) => member);
      for (const member of due) entries[member] = nowMs + leaseMs;
      return due.flatMap((member) => deadlineRef(member) ?? []);
    });
  }

  done(choice: ChoiceRef): Promise<void> {
    return this.change((entries) => {
      delete entries[deadlineMember(choice)];
    });
  }

  async size(): Promise<number> {
    return Object.keys(await this.read()).length;
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
      throw new StoreError(`${this.file} is not the deadline schedule slackline writes`, {
        kind: 'not-a-document',
      });
    }
  }
}
