import { applySetPairs } from '../../core/apply-set-pairs';
import { parseSetArgs } from '../../core/set-args';
import { changeContext, type OperationContext } from './operation-context';

/** `--load`: the context from the primary, with any `--set` applied there, written to every local file. */
export async function load(ctx: OperationContext): Promise<void> {
  const pairs = parseSetArgs(ctx.args.set, ctx.logger);
  await changeContext(ctx, (doc) => {
    applySetPairs(doc, pairs, ctx.setOptions);
    return pairs.length > 0;
  });
}
