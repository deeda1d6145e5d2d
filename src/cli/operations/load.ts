import { applySetPairs } from '../../core/apply-set-pairs';
import { parseSetArgs } from '../../core/set-args';
import { contextNotFound, requireId, type OperationContext } from './operation-context';

/** `--load`: the context from the primary, with any `--set` applied there, written to every local file. */
export async function load(ctx: OperationContext): Promise<void> {
  const id = requireId(ctx);
  const pairs = parseSetArgs(ctx.args.set, ctx.logger);
  const { primary } = ctx.datasources;
  let found = false;
  const doc = await primary.update(id, (current) => {
    found = current !== undefined;
    if (!current || pairs.length === 0) return undefined;
    applySetPairs(current, pairs, ctx.setOptions);
    return current;
  });
  if (!found || !doc) throw contextNotFound(id, primary);
  await ctx.datasources.project(id, doc);
}
