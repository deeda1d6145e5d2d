/**
 * Errors that end a command with a message for the user. The CLI prints `message` on one line and exits
 * with `exitCode`; anything else that escapes is a bug and is reported with its stack at debug level.
 */
export class SlacklineError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong (exit code 2, like argparse). */
export class UsageError extends SlacklineError {
  override readonly exitCode = 2;
}

/** A config, secrets, app or base file is missing or invalid. */
export class ConfigError extends SlacklineError {}

/** A JSONPath expression does not parse. */
export class JsonPathSyntaxError extends SlacklineError {}

/** A JSONPath expression parses, but jsonpath-ng fails to evaluate it on this document (so we fail too). */
export class JsonPathEvaluationError extends SlacklineError {}

/** A `--set` cannot be applied to the document as it is. */
export class SetValueError extends SlacklineError {}

/** Merging bases and the app config met the same key with different types. */
export class MergeTypeError extends SlacklineError {}

/**
 * Why the store failed, for callers that act on it (retry, tell the user, count it) instead of matching text:
 * - `unavailable`: it could not be reached, or the connection was lost (may pass: try again);
 * - `timeout`: it did not answer in time (may pass);
 * - `conflict`: concurrent writers kept winning until update() gave up (may pass);
 * - `outcome-unknown`: a write's answer was lost and it could not be found out whether it was applied;
 * - `refused`: the store refused the command: credentials, rights, a wrong database (an operator must act);
 * - `not-a-document`: the key or file does not hold a context document;
 * - `io`: a file could not be read or written.
 */
export type StoreErrorKind =
  'unavailable' | 'timeout' | 'conflict' | 'outcome-unknown' | 'refused' | 'not-a-document' | 'io';

/** The primary store or a local projection could not be read or written. */
export class StoreError extends SlacklineError {
  readonly kind: StoreErrorKind;
  constructor(message: string, options: { cause?: unknown; kind?: StoreErrorKind } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind ?? 'io';
  }

  /** Whether trying again later may succeed without anyone changing anything. */
  get transient(): boolean {
    return ['unavailable', 'timeout', 'conflict', 'outcome-unknown'].includes(this.kind);
  }
}

/** A template could not be rendered (used where the reference fails instead of storing an error string). */
export class TemplateError extends SlacklineError {}
