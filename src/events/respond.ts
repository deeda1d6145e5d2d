import { deepCopy } from '../core/document';
import { configText } from './config-section';
import type { EventHandler } from './event-handler';
import { postToSlack } from './post-to-slack';
import { skippedByIf } from './skip-by-if';

const NOT_RENDERED = new Set(['message', 'url', 'if']);

/**
 * Answers a Slack `response_url`: `templates.respond` rendered with the handler's message and extra keys, POSTed
 * to the rendered `url`. Skipped when the message or the url renders blank.
 */
export const respond: EventHandler = {
  type: 'respond',
  markerKey: 'message',
  async run(run, config, name) {
    const purpose = `respond ${name}`;
    const context = { ...run.templateContext(), respond: deepCopy(config) };
    if (skippedByIf(run, config, context, purpose)) return;
    const template = configText(run.configData, 'templates', 'respond');
    if (!template) return run.fail(`${purpose}: config.yaml needs templates.respond`);
    const message = run.render(config['message'], context).trim();
    if (message === '') return run.logger.debug(`${purpose}: message rendered blank, skipping`);
    context.respond['message'] = message;
    // Extra keys (e.g. isSlackSlashCommand) are rendered too; cicdstatemgr crashed on ones that are not text.
    for (const [key, value] of Object.entries(config)) {
      if (!NOT_RENDERED.has(key) && typeof value === 'string')
        context.respond[key] = run.render(value, context);
    }
    const body = run.render(template, context);
    const url = run.render(config['url'], context).trim();
    if (url === '') return run.logger.debug(`${purpose}: url rendered blank, skipping`);
    await postToSlack(run, purpose, url, body);
  },
};
