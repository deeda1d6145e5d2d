import { readYamlFile } from '../../config/read-yaml-file';
import { resolvePath } from '../../config/resolve-path';
import { isPlainObject } from '../../core/document';
import { ConfigError, UsageError } from '../../core/errors';
import { initializeDocument } from '../../compat/state/initialize-document';
import { parseSetArgs } from '../../compat/state/set-args';
import { RecordedChanges } from '../../events/recorded-changes';
import type { OperationContext } from './operation-context';
import { finishEventRun, runEventHandlers } from './run-event-handlers';

/**
 * `--init-new ID`: builds the context from the app config and its bases, runs `--handle-event` on it if given,
 * stores it, prints the id.
 */
export async function initNew(ctx: OperationContext, id: string): Promise<void> {
  const { args } = ctx;
  if (!args.initAppConfigFile) {
    throw new UsageError('--init-new needs --init-app-config-file (or CICDSTATEMGR_INIT_APP_CONFIG_PATH)');
  }
  const appPath = resolvePath(args.initAppConfigFile, ctx.cwd);
  const appConfig = readYamlFile(appPath, 'app config file');
  if (!isPlainObject(appConfig)) throw new ConfigError(`app config file ${appPath} must be a mapping`);

  const baseNames = Array.isArray(appConfig['bases']) ? appConfig['bases'] : [];
  if (baseNames.length > 0 && !args.initBasesDir) {
    throw new UsageError(`${appPath} has bases: pass --init-bases-dir (or CICDSTATEMGR_BASES_DIR_PATH)`);
  }
  const bases = baseNames.map((name) => {
    const path = resolvePath(`${args.initBasesDir}/${String(name)}`, ctx.cwd);
    const base = readYamlFile(path, `base file "${String(name)}" of ${appPath}`);
    if (!isPlainObject(base)) throw new ConfigError(`base file ${path} must be a mapping`);
    return base;
  });

  const doc = initializeDocument({
    id,
    contextName: args.initCicdContextName,
    appConfig,
    bases,
    sets: parseSetArgs(args.set, ctx.logger),
    setOptions: ctx.setOptions,
    logger: ctx.logger,
  });
  const run = await runEventHandlers(ctx, id, doc, new RecordedChanges());
  const { primary } = ctx.datasources;
  await primary.update(id, () => doc);
  await ctx.datasources.project(id, doc);
  ctx.logger.info(`init-new: created context ${id} in ${primary.description}`);
  ctx.print(id);
  await finishEventRun(ctx, id, run);
}
