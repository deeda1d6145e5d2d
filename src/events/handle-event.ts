import { isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';
import type { EventRun } from './event-run';
import { namedConfigs } from './named-configs';
import { EVENT_HANDLERS } from './registry';

/** `--handle-event PIPELINE=EVENT`, split as cicdstatemgr splits it. */
export function parseHandleEvent(value: string): { pipeline: string; event: string } {
  const parts = value.split('=');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    // Exit 1, not 2: cicdstatemgr raises this from its own code, after argparse accepted the command line.
    throw new SlacklineError(`--handle-event needs PIPELINE=EVENT (e.g. build=success), got "${value}"`);
  }
  return { pipeline: parts[0], event: parts[1] };
}

/**
 * Runs the handlers of `pipelines.<pipeline>.event-handlers.<event>` in YAML order; each sees what the ones
 * before it set. A handler that fails is recorded in `run.failures` and the others still run. An event the
 * pipeline does not define does nothing; a pipeline the context does not define is an error.
 */
export async function handleEvent(run: EventRun): Promise<void> {
  const { pipeline, event, contextId } = run.input;
  const pipelines = run.doc['pipelines'];
  if (!isPlainObject(pipelines) || !isPlainObject(pipelines[pipeline])) {
    const known = isPlainObject(pipelines) ? Object.keys(pipelines).join(', ') || 'none' : 'none';
    throw new SlacklineError(
      `pipeline "${pipeline}" is not defined in context ${contextId} (defined: ${known})`,
    );
  }
  const handlers = pipelines[pipeline]['event-handlers'];
  const eventConfig = isPlainObject(handlers) ? handlers[event] : undefined;
  if (!isPlainObject(eventConfig)) {
    run.logger.info(`handle-event: pipeline ${pipeline} has no handlers for event "${event}", nothing to do`);
    return;
  }
  for (const [type, config] of Object.entries(eventConfig)) {
    const handler = EVENT_HANDLERS.get(type);
    if (!handler) {
      const known = [...EVENT_HANDLERS.keys()].join(', ');
      run.logger.warn(
        `handle-event: unknown handler type "${type}" in pipelines.${pipeline}.event-handlers.${event} ignored (known: ${known})`,
      );
      continue;
    }
    if (isPlainObject(config) && config['enabled'] === false) {
      run.logger.info(`on_event_handler() ${type} enabled:False skipping....`);
      continue;
    }
    for (const [name, namedConfig] of namedConfigs(config, handler.markerKey)) {
      try {
        await handler.run(run, namedConfig, name);
      } catch (error) {
        if (!(error instanceof SlacklineError)) throw error;
        run.fail(`${type} ${name}: ${error.message}`);
      }
    }
  }
}
