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

/** The primary store or a local projection could not be read or written. */
export class StoreError extends SlacklineError {}

/** A template could not be rendered (used where the reference fails instead of storing an error string). */
export class TemplateError extends SlacklineError {}
