import { applySetPairs } from '../../compat/state/apply-set-pairs';
import { parseSetArgs } from '../../compat/state/set-args';
import { changeContext, type OperationContext } from './operation-context';

/**
 * `--set`: a read-modify-write on the primary that retries when another writer got there first, so parallel
 * Task steps never lose each other's values (cicdstatemgr read its local files and overwrote the document).
 */
export async function set(ctx: OperationContext): Promise<void> {
  const pairs = parseSetArgs(ctx.args.set, ctx.logger);
  await changeContext(ctx, (doc) => {
    applySetPairs(doc, pairs, ctx.setOptions);
    return true;
  });
}
