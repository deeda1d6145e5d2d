import type { ChoiceRef } from '../../core/choice/choice-record';
import { deadlineMember, deadlineRef, type DeadlineSchedule } from '../deadline-schedule';
import type { FileLockOptions } from './file-lock';
import { JsonScheduleFile } from './json-schedule-file';

/** The deadline schedule as one JSON file of `entry → due time (ms)`, changed under its lock, like the outbox. */
export class FileDeadlines implements DeadlineSchedule {
  private readonly file: JsonScheduleFile;

  constructor(file: string, lockOptions: FileLockOptions) {
    this.file = new JsonScheduleFile(file, lockOptions, 'the deadline schedule');
  }

  schedule(choice: ChoiceRef, atMs: number): Promise<void> {
    return this.file.change((entries) => {
      entries[deadlineMember(choice)] = Math.round(atMs);
    });
  }

  claimDue(nowMs: number, leaseMs: number, max: number): Promise<ChoiceRef[]> {
    return this.file.change((entries) => {
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
    return this.file.change((entries) => {
      delete entries[deadlineMember(choice)];
    });
  }

  async size(): Promise<number> {
    return Object.keys(await this.file.read()).length;
  }
}
