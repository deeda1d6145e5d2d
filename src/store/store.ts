import type { ContextDocument } from '../core/document';
import type { DeadlineSchedule } from './deadline-schedule';
import type { IntakeLog } from './intake-log';
import type { Outbox } from './outbox';

/** The primary copy of every context document (Redis, or the embedded file store). */
export interface Store {
  /** For messages, e.g. `redis 127.0.0.1:6379 db 0` or `file store /abs/dir`; never contains a password. */
  readonly description: string;
  /** The stored document, or undefined when there is none under `id`. */
  load(id: string): Promise<ContextDocument | undefined>;
  /**
   * Read-modify-write that never loses a concurrent writer's change. `change` gets a copy of the document
   * (undefined if none) and may be called several times: after a conflict, and, with a store that starts from
   * the version it last saw, again on a fresh read when it wrote nothing or threw. Returning undefined means
   * "write nothing". Resolves to the document as committed, or as read when nothing was written.
   */
  update(
    id: string,
    change: (current: ContextDocument | undefined) => ContextDocument | undefined,
  ): Promise<ContextDocument | undefined>;
  close(): Promise<void>;
  /**
   * Records which context a Slack message with choices belongs to, so the gateway can resolve a click on it
   * whatever its button value says.
   */
  indexMessage?(channel: string, ts: string, id: string): Promise<void>;
  /** The context id a message was indexed under, if any. */
  findMessage?(channel: string, ts: string): Promise<string | undefined>;
  /**
   * The schedule of choices' deadline steps, which the CLI writes to when it offers a choice with a ladder and
   * the gateway works; absent in a store the gateway cannot run on.
   */
  readonly deadlines?: DeadlineSchedule;
}

/**
 * What the gateway keeps beside the documents, in the same primary store: the intake log of acknowledged
 * requests, the outbox schedule of decisions still to deliver, and keys that may be claimed once.
 */
export interface GatewayStore extends Store {
  readonly intake: IntakeLog;
  readonly outbox: Outbox;
  /** True for the first claim of `key` within `ttlMs`, false for every later one (SET NX PX). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /**
   * The document as this store last read or wrote it, or as loaded now when it has none: for a check that is
   * made again where it counts (whether a click opens a modal), right after findMessage read the document.
   * Only to be read: it may be the store's own copy.
   */
  peek(id: string): Promise<Readonly<ContextDocument> | undefined>;
  /** Removes a document (a delivered command's record); nothing when there is none. */
  remove(id: string): Promise<void>;
  /** Resolves when the store answers a round trip (readiness). */
  ping(): Promise<void>;
}
