import { runGenerators } from '../../compat/state/run-generators';
import { changeContext, templateContextFor, type OperationContext } from './operation-context';

/** `--generate PATH`: runs the generators at PATH against the primary's document, as one atomic change. */
export async function generate(ctx: OperationContext, path: string): Promise<void> {
  // No file:// here: generated keys and values are rendered from the document, which holds data from Slack
  // and pipelines, and data must never name a file to read.
  const options = { logger: ctx.logger };
  await changeContext(ctx, (doc) => runGenerators(doc, path, (d) => templateContextFor(ctx, d), options) > 0);
}
