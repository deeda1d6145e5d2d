/**
 * The durable log of verified Slack requests, appended before Slack gets its ack and read by the workers of
 * every gateway replica. An entry is acknowledged only once its outcome is recorded; an entry whose consumer
 * died is claimed by a live one. Redis: a Stream with a consumer group; the file store: a spool directory.
 */
export interface IntakeLog {
  /**
   * Appends unless `requestKey` was appended within `dedupeTtlMs` (a replay or retry of the same request).
   * `notAfter` (ms since the epoch, the store's clock where it has one) refuses an append that reaches the
   * store later than that, so a request the user was told failed is never worked on after all.
   */
  append(entry: IntakeRecord, options: AppendOptions): Promise<'appended' | 'duplicate' | 'late'>;
  /** Up to `max` entries no consumer has had, waiting up to `blockMs` for one. */
  read(consumer: string, max: number, blockMs: number): Promise<IntakeEntry[]>;
  /** Up to `max` entries other consumers took more than `minIdleMs` ago and did not acknowledge. */
  claimStale(consumer: string, minIdleMs: number, max: number): Promise<IntakeEntry[]>;
  /** Tells the log the consumer is still working on these, so nobody claims them. */
  touch(consumer: string, ids: readonly string[]): Promise<void>;
  /** Done with: the entry leaves the log, and the outbox schedule is set in the same step when given. */
  ack(id: string, schedule?: OutboxSchedule): Promise<void>;
  /** Entries appended and not yet acknowledged. */
  backlog(): Promise<number>;
}

/** What a request is, as stored: its kind and the JSON it came with. */
export interface IntakeRecord {
  kind: 'click' | 'command';
  /** when the gateway received it, ms since the epoch */
  receivedAt: number;
  /** the Slack payload (a click) or the command's fields, as JSON text */
  body: string;
  /** what identifies the request across retries and replays (e.g. Slack's trigger_id) */
  requestKey: string;
  /**
   * A click's context, as the message index named it when the click was accepted (open-dialog.ts looks it up
   * before the ack): its worker need not ask the index again. The index never changes what a message names.
   */
  contextId?: string;
}

export interface IntakeEntry extends IntakeRecord {
  id: string;
  /** how many times the log has handed the entry out, this time included */
  deliveries: number;
}

export interface AppendOptions {
  dedupeTtlMs: number;
  notAfter: number;
}

/** An outbox entry to schedule when an intake entry is acknowledged (see Outbox.schedule). */
export interface OutboxSchedule {
  ref: string;
  delayMs: number;
  onlyIfAbsent: boolean;
}
