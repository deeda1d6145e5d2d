import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../../core/errors';
import { fsErrorReason, writeFileAtomic } from '../atomic-write';
import type { AppendOptions, IntakeEntry, IntakeLog, IntakeRecord, OutboxSchedule } from '../intake-log';
import type { Outbox } from '../outbox';
import { FileClaims } from './file-claims';
import type { FileLockOptions } from './file-lock';

/** How often a waiting read looks for entries another process appended (this one's wake it at once). */
const POLL_MS = 100;

/**
 * The intake log as a spool directory: each entry one file in `pending/`, written with fsync before the ack. A
 * consumer takes an entry by renaming it into `taken/` under a name that says who took it and how often it was
 * handed out, which only one rename can do; its modification time is when it was taken or last touched, so a
 * consumer that died leaves entries that grow idle and are taken over. Acknowledging removes the file.
 */
export class FileIntakeLog implements IntakeLog {
  private readonly pending: string;
  private readonly taken: string;
  private readonly seen: FileClaims;
  private readonly appended = new EventEmitter();
  /** The files this process holds, by entry id. */
  private readonly held = new Map<string, string>();
  private sequence = 0;

  constructor(
    dir: string,
    lockOptions: FileLockOptions,
    private readonly outbox: Outbox,
  ) {
    this.pending = join(dir, 'pending');
    this.taken = join(dir, 'taken');
    this.seen = new FileClaims(join(dir, 'seen'), lockOptions);
    this.appended.setMaxListeners(0);
  }

  async append(entry: IntakeRecord, options: AppendOptions): Promise<'appended' | 'duplicate' | 'late'> {
    if (!(await this.seen.claim(entry.requestKey, options.dedupeTtlMs))) return 'duplicate';
    if (Date.now() > options.notAfter) return 'late';
    // Ids sort by time, so entries are read first come, first served.
    const id = `${String(Date.now()).padStart(15, '0')}-${String(this.sequence++ % 1e6).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
    await writeFileAtomic(join(this.pending, `${id}.json`), JSON.stringify(entry), { fsync: true });
    this.appended.emit('entry');
    return 'appended';
  }

  async read(consumer: string, max: number, blockMs: number): Promise<IntakeEntry[]> {
    const until = Date.now() + blockMs;
    for (;;) {
      const entries: IntakeEntry[] = [];
      for (const name of await this.list(this.pending)) {
        if (entries.length >= max) break;
        const id = name.replace(/\.json$/, '');
        const entry = await this.take(join(this.pending, name), id, 1, consumer);
        if (entry) entries.push(entry);
      }
      if (entries.length > 0 || Date.now() >= until) return entries;
      await this.nextAppend(Math.min(POLL_MS, until - Date.now()));
    }
  }

  async claimStale(consumer: string, minIdleMs: number, max: number): Promise<IntakeEntry[]> {
    const entries: IntakeEntry[] = [];
    for (const name of await this.list(this.taken)) {
      if (entries.length >= max) break;
      const [id, count] = name.replace(/\.json$/, '').split('~');
      if (!id || this.held.has(id)) continue;
      const file = join(this.taken, name);
      const idle = await stat(file).then(
        (s) => Date.now() - s.mtimeMs,
        () => -1,
      );
      if (idle < minIdleMs) continue;
      const entry = await this.take(file, id, (Number(count) || 1) + 1, consumer);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  async touch(_consumer: string, ids: readonly string[]): Promise<void> {
    const now = new Date();
    for (const id of ids) {
      const file = this.held.get(id);
      if (file) await utimes(file, now, now).catch(() => {});
    }
  }

  async ack(id: string, schedule?: OutboxSchedule): Promise<void> {
    // The outbox first: a crash in between leaves the entry to be worked on again, which schedules it again.
    if (schedule) await this.outbox.schedule(schedule.ref, schedule.delayMs, schedule.onlyIfAbsent);
    const file = this.held.get(id);
    this.held.delete(id);
    if (file) await unlink(file).catch(() => {});
  }

  async backlog(): Promise<number> {
    return (await this.list(this.pending)).length + (await this.list(this.taken)).length;
  }

  close(): void {
    this.appended.removeAllListeners();
  }

  /** Renames the entry to this consumer; undefined when another one got it first. */
  private async take(
    file: string,
    id: string,
    deliveries: number,
    consumer: string,
  ): Promise<IntakeEntry | undefined> {
    const target = join(this.taken, `${id}~${deliveries}~${encodeURIComponent(consumer)}.json`);
    try {
      await mkdir(this.taken, { recursive: true });
      await rename(file, target);
      const now = new Date();
      await utimes(target, now, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreError(`cannot take intake entry ${id}: ${fsErrorReason(error)}`, { cause: error });
    }
    this.held.set(id, target);
    try {
      const record = JSON.parse(await readFile(target, 'utf8')) as IntakeRecord;
      return { ...record, id, deliveries };
    } catch {
      await this.ack(id); // not an entry slackline wrote
      return undefined;
    }
  }

  private async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreError(`cannot read ${dir}: ${fsErrorReason(error)}`, { cause: error });
    }
  }

  private nextAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off('entry', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.appended.on('entry', done);
    });
  }
}
