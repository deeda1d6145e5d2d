import { loadCicdstatemgrConfig } from '../config/load-cicdstatemgr-config';
import { loadFileValue } from '../config/load-file-value';
import { resolvePath } from '../config/resolve-path';
import { templateBudgetSettings } from '../config/template-budget-settings';
import { SlacklineError, UsageError } from '../core/errors';
import { configureRenderBudget } from '../compat/template/render-budget';
import { SLACKLINE_VERSION } from '../core/version';
import { parseTmplCtxVars } from '../compat/template/tmpl-ctx-vars';
import { parseHandleEvent } from '../events/handle-event';
import { openDatasources } from '../store/open-datasources';
import { generate } from './operations/generate';
import { get } from './operations/get';
import { initNew } from './operations/init-new';
import { load } from './operations/load';
import type { OperationContext } from './operations/operation-context';
import { set } from './operations/set';
import { CICDSTATEMGR_USAGE, parseCicdstatemgrArgs, type CicdstatemgrArgs } from './parse-cicdstatemgr-args';
import { createStderrLogger, parseLogLevel } from './stderr-logger';

export interface CliIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs one cicdstatemgr command; resolves to the exit code (0 done, 1 failed, 2 bad command line). */
export async function runCicdstatemgr(io: CliIo): Promise<number> {
  let debug = false;
  try {
    const args = withEnvFallbacks(parseCicdstatemgrArgs(io.argv), io.env);
    if (args.help) {
      io.stdout(CICDSTATEMGR_USAGE);
      return 0;
    }
    if (args.version) {
      io.stdout(`cicdstatemgr ${SLACKLINE_VERSION}\n`);
      return 0;
    }
    const level = parseLogLevel(args.logLevel);
    debug = level <= 10;
    const logger = createStderrLogger(level, io.stderr);
    if (!args.config) throw new UsageError('--config is required (or set CICDSTATEMGR_CONFIG_PATH)');
    const config = loadCicdstatemgrConfig({
      configPath: resolvePath(args.config, io.cwd),
      secretsPath: args.secrets ? resolvePath(args.secrets, io.cwd) : undefined,
      cwd: io.cwd,
    });
    configureRenderBudget(templateBudgetSettings(config.configData));
    // Every entry goes to the local files: reading a large document entry by entry would only add work.
    const datasources = openDatasources(config.datasources, logger, { redis: { readByEntries: false } });
    const ctx: OperationContext = {
      args,
      config,
      datasources,
      tmplCtxVars: parseTmplCtxVars(args.tmplCtxVar),
      handleEvent: args.handleEvent === undefined ? undefined : parseHandleEvent(args.handleEvent),
      logger,
      cwd: io.cwd,
      setOptions: { loadFile: (path) => loadFileValue(path, io.cwd) },
      print: (line) => io.stdout(`${line}\n`),
    };
    try {
      await dispatch(ctx);
    } finally {
      await datasources.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof SlacklineError) {
      io.stderr(`cicdstatemgr: error: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr('Run cicdstatemgr --help for the flags.\n');
      return error.exitCode;
    }
    const detail = debug && error instanceof Error ? `\n${error.stack}` : '';
    io.stderr(
      `cicdstatemgr: error: unexpected failure: ${(error as Error)?.message ?? String(error)}${detail}\n`,
    );
    return 1;
  }
}

/**
 * The first operation given runs, in cicdstatemgr's order; the others are ignored, as there. `--init-new` and
 * `--load` also run `--handle-event`; `--handle-event` alone is `--load` with handlers.
 */
async function dispatch(ctx: OperationContext): Promise<void> {
  const { args } = ctx;
  if (args.initNew) return initNew(ctx, args.initNew);
  if (args.load) return load(ctx);
  if (args.get !== undefined) return get(ctx, args.get);
  if (args.generate !== undefined) return generate(ctx, args.generate);
  if (ctx.handleEvent) return load(ctx);
  if (args.set.length > 0) return set(ctx);
  ctx.logger.debug('no operation given: config and datasources are valid');
}

/** Environment variables stand in for flags that are absent or empty, as in cicdstatemgr. */
function withEnvFallbacks(args: CicdstatemgrArgs, env: CliIo['env']): CicdstatemgrArgs {
  return {
    ...args,
    config: args.config || env['CICDSTATEMGR_CONFIG_PATH'] || undefined,
    secrets: args.secrets || env['CICDSTATEMGR_SECRETS_PATH'] || undefined,
    initBasesDir: args.initBasesDir || env['CICDSTATEMGR_BASES_DIR_PATH'] || undefined,
    initAppConfigFile: args.initAppConfigFile || env['CICDSTATEMGR_INIT_APP_CONFIG_PATH'] || undefined,
    id: args.id || env['CICDSTATEMGR_CONTEXT_DATA_ID'] || undefined,
  };
}
