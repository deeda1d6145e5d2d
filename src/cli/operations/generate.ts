import { runGenerators } from '../../core/run-generators';
import { contextNotFound, requireId, templateContextFor, type OperationContext } from './operation-context';

/** `--generate PATH`: runs the generators at PATH against the primary's document, as one atomic change. */
export async function generate(ctx: OperationContext, path: string): Promise<void> {
  const id = requireId(ctx);
  const { primary } = ctx.datasources;
  let found = false;
  const doc = await primary.update(id, (current) => {
    found = current !== undefined;
    if (!current) return undefined;
    const count = runGenerators(current, path, (d) => templateContextFor(ctx, d), {
      ...ctx.setOptions,
      logger: ctx.logger,
    });
    return count > 0 ? current : undefined;
  });
  if (!found || !doc) throw contextNotFound(id, primary);
  await ctx.datasources.project(id, doc);
}
