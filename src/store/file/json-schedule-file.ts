import { readFile } from 'node:fs/promises';
import { StoreError } from '../../core/errors';
import { fsErrorReason, writeFileAtomic } from '../atomic-write';
import { withFileLock, type FileLockOptions } from './file-lock';

/** `entry → time (ms)`, as the file store's outbox and deadline schedule keep them. */
export type Schedule = Record<string, number>;

/** One JSON file of a schedule, read whole and changed under its lock: the file store's sorted set. */
export class JsonScheduleFile {
  constructor(
    private readonly file: string,
    private readonly lockOptions: FileLockOptions,
    /** what it holds, for the message when it holds something else: "the outbox schedule" */
    private readonly what: string,
  ) {}

  change<T>(edit: (entries: Schedule) => T): Promise<T> {
    return withFileLock(`${this.file}.lock`, this.lockOptions, async () => {
      const entries = await this.read();
      const result = edit(entries);
      await writeFileAtomic(this.file, JSON.stringify(entries), { fsync: true });
      return result;
    });
  }

  async read(): Promise<Schedule> {
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
      throw new StoreError(`${this.file} is not ${this.what} slackline writes`, { kind: 'not-a-document' });
    }
  }
}
