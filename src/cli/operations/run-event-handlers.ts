import { httpSettings } from '../../config/http-settings';
import type { ContextDocument } from '../../core/document';
import { SlacklineError } from '../../core/errors';
import { EventRun } from '../../events/event-run';
import { handleEvent } from '../../events/handle-event';
import type { RecordedChanges } from '../../events/recorded-changes';
import { createHttpClient } from '../../http/http-client';
import type { OperationContext } from './operation-context';

/** Runs `--handle-event` on `doc` (in memory) when it was given; what the handlers set is in `changes`. */
export async function runEventHandlers(
  ctx: OperationContext,
  contextId: string,
  doc: ContextDocument,
  changes: RecordedChanges,
): Promise<EventRun | undefined> {
  if (!ctx.handleEvent) return undefined;
  // A Task step sends a request or two and exits: Node's own http loads faster than undici's pool.
  const http = createHttpClient({
    ...httpSettings(ctx.config.configData),
    transport: 'node:http',
    logger: ctx.logger,
  });
  const run = new EventRun({
    contextId,
    ...ctx.handleEvent,
    doc,
    configData: ctx.config.configData,
    secretData: ctx.config.secretData,
    tmplCtxVars: ctx.tmplCtxVars,
    cliSetOptions: ctx.setOptions,
    changes,
    http,
    logger: ctx.logger,
  });
  try {
    await handleEvent(run);
  } finally {
    await http.close();
  }
  return run;
}

/**
 * After the document is saved: index the messages that carry choices (so the gateway can resolve clicks) and
 * schedule their deadline steps, then fail the command if a handler failed (the document holds what the other
 * handlers did).
 */
export async function finishEventRun(ctx: OperationContext, contextId: string, run: EventRun | undefined) {
  if (!run) return;
  const { primary } = ctx.datasources;
  for (const { channel, ts } of run.postedChoiceMessages)
    await primary.indexMessage?.(channel, ts, contextId);
  // After the document is saved, so the gateway never finds an entry whose choice is not there yet. Scheduled here,
  // where the choice is offered, rather than found by the gateway: it learns of a choice only from a click on it,
  // and a sweep scanning every document for ladders would cost more the larger the store grows.
  for (const { choiceId, at } of run.scheduledDeadlines)
    await primary.deadlines?.schedule({ contextId, choiceId }, at.getTime());
  if (run.failures.length === 0) return;
  const { pipeline, event } = run.input;
  const count = run.failures.length === 1 ? '1 handler failed' : `${run.failures.length} handlers failed`;
  throw new SlacklineError(
    `--handle-event ${pipeline}=${event}: ${count} (the document was saved): ${run.failures.join('; ')}`,
  );
}
