import { deepCopy } from '../core/document';
import { captureResponse } from './capture-response';
import { configText } from './config-section';
import type { EventHandler } from './event-handler';
import { postToSlack } from './post-to-slack';
import { skippedByIf } from './skip-by-if';

/** Posts `templates.notify`, rendered with the handler's `message`, to `slack.url`; captures the answer. */
export const notify: EventHandler = {
  type: 'notify',
  markerKey: 'message',
  async run(run, config, name) {
    const purpose = `notify ${name}`;
    const context = { ...run.templateContext(), notify: deepCopy(config) };
    if (skippedByIf(run, config, context, purpose)) return;
    const url = configText(run.configData, 'slack', 'url');
    const template = configText(run.configData, 'templates', 'notify');
    if (!url || !template) return run.fail(`${purpose}: config.yaml needs slack.url and templates.notify`);
    context.notify['message'] = run.render(config['message'], context);
    const answer = await postToSlack(run, purpose, url, run.render(template, context));
    if (answer) captureResponse(run, 'notify', config, answer);
  },
};
