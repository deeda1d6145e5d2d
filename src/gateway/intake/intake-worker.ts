import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StoreError } from '../../core/errors';
import type { IntakeEntry, OutboxSchedule } from '../../store/intake-log';
import { submissionClick } from '../dialog/dialog-submission';
import type { GatewayEnv } from '../gateway-env';
import type { Liveness } from '../liveness';
import { GAVE_UP, UNEXPECTED_FAILURE } from '../slack/choice-messages';
import { storeFailure } from '../store-failure';
import { StopSignal } from '../stop-signal';
import type { WorkQueue } from '../work-queue';
import { responseUrlOf } from './accept-request';

/** Acknowledges the entry in the log, scheduling an outbox entry in the same step when given. */
export type AckEntry = (schedule?: OutboxSchedule) => Promise<void>;
/** Works on one entry: calls `ack` once its outcome is recorded (and may go on, e.g. to deliver). */
export type EntryHandler = (entry: IntakeEntry, ack: AckEntry) => Promise<void>;

/** How long one read waits for a new entry: also how soon a stopping worker notices. */
const BLOCK_MS = 2000;
/** How long an entry is tried again while the store fails, before its user is told. */
const RETRY_FOR_MS = 60_000;

/**
 * The consumer of the intake log in this process: reads new entries while the work queue has room, takes over
 * the entries of consumers that died (idle longer than `claimAfterMs`), and keeps its own entries claimed while
 * it works on them. An entry is acknowledged by its handler once the outcome is recorded; one that failed for
 * want of a store is tried again; one handed out `maxDeliveries` times is given up and its user told.
 */
export class IntakeWorker {
  readonly consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly state = new StopSignal();
  private loops: Promise<void>[] = [];
  /** Entries being worked on, by id, with when they were taken. */
  private readonly working = new Map<string, number>();

  constructor(
    private readonly env: GatewayEnv,
    private readonly work: WorkQueue,
    private readonly liveness: Liveness,
    private readonly handle: EntryHandler,
  ) {}

  start(): void {
    if (!this.state.start()) return;
    this.loops = [this.readLoop(), this.claimLoop()];
  }

  /** Stops taking entries; resolves when the loops have ended (entries being worked on go on, in the queue). */
  async stop(): Promise<void> {
    this.state.stop();
    await Promise.all(this.loops);
  }

  private async readLoop(): Promise<void> {
    for (let failures = 0; this.state.running;) {
      await Promise.race([this.work.room(), this.state.stopped]);
      if (!this.state.running) break;
      try {
        const entries = await this.env.store.intake.read(this.consumer, this.work.free, BLOCK_MS);
        this.liveness.progress();
        failures = 0;
        for (const entry of entries) this.take(entry);
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 30 === 0) {
          this.env.logger.warn(`intake: reading the log failed (${failures}x): ${(error as Error).message}`);
        }
        await this.state.pause(Math.min(2000, 100 * 2 ** failures));
      }
    }
  }

  private async claimLoop(): Promise<void> {
    const { claimAfterMs } = this.env.config.intake;
    const every = Math.max(100, Math.floor(claimAfterMs / 3));
    while (this.state.running) {
      await this.state.pause(every * (0.8 + Math.random() * 0.4));
      if (!this.state.running) break;
      try {
        const { intake } = this.env.store;
        const now = Date.now();
        const long = [...this.working].filter(([, since]) => now - since >= every).map(([id]) => id);
        await intake.touch(this.consumer, long);
        for (const id of long) this.working.set(id, now);
        if (this.work.free === 0) continue;
        for (const entry of await intake.claimStale(this.consumer, claimAfterMs, this.work.free)) {
          this.env.logger.info(`intake: took over entry ${entry.id} (handed out ${entry.deliveries}x)`);
          this.take(entry);
        }
        this.liveness.progress();
      } catch (error) {
        this.env.logger.warn(`intake: claiming stale entries failed: ${(error as Error).message}`);
      }
    }
  }

  private take(entry: IntakeEntry): void {
    if (this.working.has(entry.id)) return;
    this.working.set(entry.id, Date.now());
    void this.work
      .run(() => this.workOn(entry))
      .finally(() => {
        this.working.delete(entry.id);
        this.liveness.progress();
      });
  }

  private async workOn(entry: IntakeEntry): Promise<void> {
    const { env } = this;
    const log = env.logger.child({ intakeId: entry.id, kind: entry.kind });
    let acked = false;
    const ack: AckEntry = async (schedule) => {
      await env.store.intake.ack(entry.id, schedule);
      acked = true;
    };
    if (entry.deliveries > env.config.intake.maxDeliveries) {
      log.error(`intake: giving up an entry handed out ${entry.deliveries} times`);
      await this.tell(entry, GAVE_UP);
      return ack().catch((error: unknown) => log.error(`intake: ${(error as Error).message}`));
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handle(entry, ack);
        if (!acked) await ack();
        return;
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        // After the ack the outcome is recorded and what is left to deliver and show is in the outbox.
        if (acked) {
          const level = error instanceof StoreError ? 'warn' : 'error';
          return log[level](`handling a Slack request stopped after its outcome was recorded: ${message}`);
        }
        const transient = error instanceof StoreError && error.transient;
        if (transient && !this.state.running) {
          // Shutting down: left in the log, where another replica (or this one, restarted) takes it over.
          return log.warn(`state store unavailable at shutdown, the entry is left for takeover: ${message}`);
        }
        if (transient && Date.now() - entry.receivedAt < RETRY_FOR_MS) {
          log.warn(`state store unavailable, trying again: ${message}`);
          await this.state.pause(Math.min(5000, 250 * 2 ** attempt));
          continue;
        }
        if (error instanceof StoreError) log.warn(`state store unavailable: ${message}`);
        else log.error(`handling a Slack request failed: ${message}`);
        await this.tell(
          entry,
          error instanceof StoreError ? storeFailure(error).userText : UNEXPECTED_FAILURE,
        );
        // If even this fails the entry stays pending, is taken over later, and is given up after maxDeliveries.
        return ack().catch(() => {});
      }
    }
  }

  private async tell(entry: IntakeEntry, text: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(entry.body);
    } catch {
      body = {};
    }
    const payload = (body ?? {}) as Record<string, unknown>;
    // A modal's submission has no response_url: its user is told in the channel of the choice.
    const submission = submissionClick(payload);
    if (submission) return this.env.slack.ephemeralTo(submission.channelId, submission.userId, text);
    await this.env.slack.ephemeral(responseUrlOf(payload), text);
  }
}
