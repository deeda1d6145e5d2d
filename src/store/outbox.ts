/**
 * When each undelivered decision is next due, by a reference the gateway gives it. A claim moves an entry's
 * due time to the end of a lease: whoever holds it delivers, and if it dies the entry is due again when the
 * lease ends, so every replica may sweep and one at a time works on each entry. Times are the store's clock
 * where it has one, so replicas whose clocks differ still agree.
 */
export interface Outbox {
  /**
   * Due in `delayMs`; with `onlyIfAbsent` only when neither scheduled already (a live lease is kept) nor done in
   * the last day (a late "make sure it is delivered" must not bring back what was delivered).
   */
  schedule(ref: string, delayMs: number, onlyIfAbsent?: boolean): Promise<void>;
  /** Up to `max` entries due now, each leased for `leaseMs`. */
  claimDue(leaseMs: number, max: number): Promise<string[]>;
  /** Delivered or given up: no longer scheduled. */
  done(ref: string): Promise<void>;
  /** Entries scheduled, due or not. */
  size(): Promise<number>;
}
