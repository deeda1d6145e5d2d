import type { Headers } from './header-value';

/** What an interceptor endpoint hands intercept(): the request as Tekton sent it, and how to check it. */
export interface InterceptInput {
  /** the event body exactly as the EventListener has it */
  body: string;
  /** the same body as bytes, where they are at hand: Slack signs bytes, which text may not round-trip */
  rawBody?: Buffer;
  headers: Headers;
  /** what checks the two kinds of signature; an empty list means that kind cannot be checked */
  secrets: { slackline: readonly string[]; slack: readonly string[] };
  /** refuse what cannot be verified (no signature, no secret for it, a body converted from its form) */
  requireSignature: boolean;
  /** Tekton's event id, when known, becomes the normalized event's id */
  eventId?: string | undefined;
}
