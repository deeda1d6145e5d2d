import { applySetPairs } from '../../core/apply-set-pairs';
import { parseSetArgs } from '../../core/set-args';
import { contextNotFound, requireId, type OperationContext } from './operation-context';

/**
 * `--set`: a read-modify-write on the primary that retries when another writer got there first, so parallel
 * Task steps never lose each other's values (cicdstatemgr read its local files and overwrote the document).
 */
export async function set(ctx: OperationContext): Promise<void> {
  const id = requireId(ctx);
  const pairs = parseSetArgs(ctx.args.set, ctx.logger);
  const { primary } = ctx.datasources;
  let found = false;
  const doc = await primary.update(id, (current) => {
    found = current !== undefined;
    if (!current) return undefined;
    applySetPairs(current, pairs, ctx.setOptions);
    return current;
  });
  if (!found || !doc) throw contextNotFound(id, primary);
  await ctx.datasources.project(id, doc);
}
