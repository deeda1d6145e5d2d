import { type ContextDocument } from '../core/document';
import type { Logger } from '../core/logger';
import { renderTemplate, type TemplateContext } from '../compat/template/render-template';
import type { SetValueOptions } from '../compat/jsonpath/set-value';
import { buildTemplateContext } from '../compat/template/template-context';
import type { TmplCtxVar } from '../compat/template/tmpl-ctx-vars';
import type { HttpClient } from '../http/http-client';
import type { RecordedChanges } from './recorded-changes';

/** A Slack message slackline posted with choices on it, for the (channel, ts) → context index. */
export interface PostedChoiceMessage {
  channel: string;
  ts: string;
}

/** A choice offered with deadline steps: the gateway's schedule gets it once the document is saved. */
export interface ScheduledDeadline {
  choiceId: string;
  /** when its first step is due */
  at: Date;
}

export interface EventRunInput {
  contextId: string;
  pipeline: string;
  event: string;
  doc: ContextDocument;
  configData: Record<string, unknown>;
  secretData: Record<string, unknown>;
  tmplCtxVars: readonly TmplCtxVar[];
  /** For tmpl-ctx-vars only: they come from the command line, so they may name files. */
  cliSetOptions: SetValueOptions;
  changes: RecordedChanges;
  http: HttpClient;
  logger: Logger;
  now?: () => Date;
}

/** What every handler works with while one `--handle-event` runs. */
export class EventRun {
  readonly failures: string[] = [];
  readonly postedChoiceMessages: PostedChoiceMessage[] = [];
  readonly scheduledDeadlines: ScheduledDeadline[] = [];
  readonly now: () => Date;

  constructor(readonly input: EventRunInput) {
    this.now = input.now ?? (() => new Date());
  }

  get doc(): ContextDocument {
    return this.input.doc;
  }
  get configData(): Record<string, unknown> {
    return this.input.configData;
  }
  get logger(): Logger {
    return this.input.logger;
  }
  get http(): HttpClient {
    return this.input.http;
  }

  /**
   * Sets a value on the document, as handlers, captures and set-values do. `file://` is never honoured here:
   * these values are rendered from data (Slack, HTTP answers, pipeline params), and data must not read files.
   */
  set(path: string, value: unknown): void {
    this.input.changes.set(this.input.doc, path, value);
  }

  /** A fresh context for one handler: a copy of the document as it is now, configData, tmpl-ctx-vars. */
  templateContext(): TemplateContext {
    const { doc, configData, tmplCtxVars, cliSetOptions, logger } = this.input;
    return buildTemplateContext(doc, configData, tmplCtxVars, { ...cliSetOptions, logger });
  }

  render(template: unknown, context: TemplateContext, blankOnError = false): string {
    return renderTemplate(template, context, { blankOnError, logger: this.input.logger });
  }

  /** A failure that must not stop the other handlers, but must fail the command once everything is saved. */
  fail(message: string): void {
    this.logger.error(message);
    this.failures.push(message);
  }
}
