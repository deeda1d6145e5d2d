import { formatGetOutput, getValue } from '../../compat/state/get-value';
import { contextNotFound, requireId, templateContextFor, type OperationContext } from './operation-context';

/**
 * `--get`: served from a local yaml/json file when it holds this context (no server round trip in a Task step),
 * else from the primary, which then fills the local files.
 */
export async function get(ctx: OperationContext, expression: string): Promise<void> {
  const id = requireId(ctx);
  let doc = await ctx.datasources.readLocal(id);
  if (!doc) {
    doc = await ctx.datasources.primary.load(id);
    if (!doc) throw contextNotFound(id, ctx.datasources.primary);
    await ctx.datasources.project(id, doc);
  }
  const loaded = doc;
  const output = formatGetOutput(
    getValue(loaded, expression, () => templateContextFor(ctx, loaded), ctx.logger),
  );
  if (output !== undefined) ctx.print(output);
}
