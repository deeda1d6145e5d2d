import { keptInInsertionOrder } from '../../core/document';
import { parseSetArgs } from '../../compat/state/set-args';
import { RecordedChanges } from '../../events/recorded-changes';
import { contextNotFound, requireId, type OperationContext } from './operation-context';
import { finishEventRun, runEventHandlers } from './run-event-handlers';

/**
 * `--load` and `--handle-event`: the context from the primary, with `--set` values and the event's handlers
 * applied in memory, then saved once. The save replays what was set onto the primary's latest document, so a
 * concurrent writer loses nothing and no handler (which may post to Slack) runs twice.
 */
export async function load(ctx: OperationContext): Promise<void> {
  const id = requireId(ctx);
  const { primary } = ctx.datasources;
  const loaded = await primary.load(id);
  if (!loaded) throw contextNotFound(id, primary);
  // Its top level keeps the order keys are added in, as a Python dict does (see core/document.ts).
  const doc = keptInInsertionOrder(loaded);
  const changes = new RecordedChanges();
  for (const { path, value } of parseSetArgs(ctx.args.set, ctx.logger))
    changes.set(doc, path, value, ctx.setOptions);
  const run = await runEventHandlers(ctx, id, doc, changes);
  const saved = await primary.update(id, (current) => {
    if (!current) throw contextNotFound(id, primary);
    const root = keptInInsertionOrder(current);
    changes.replay(root);
    return changes.size > 0 ? root : undefined;
  });
  await ctx.datasources.project(id, saved ?? doc);
  await finishEventRun(ctx, id, run);
}
