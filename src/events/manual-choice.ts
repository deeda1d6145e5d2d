import { deepCopy, isPlainObject } from '../core/document';
import { captureResponse } from './capture-response';
import { generateChoices } from './choice-generators';
import { configText } from './config-section';
import type { EventHandler } from './event-handler';
import { OFFERED_CHOICES_PATH, offeredChoice, offeredOptions } from './offered-choice';
import { postToSlack } from './post-to-slack';
import { skippedByIf } from './skip-by-if';

/**
 * Posts a message with buttons: `templates.manual-choice` rendered with the title, the static choice groups and
 * the generated ones (every header, option text and option value rendered). What was offered is recorded in
 * the document, and the message in the (channel, ts) index, so the gateway can resolve a click on it.
 */
export const manualChoice: EventHandler = {
  type: 'manual-choice',
  markerKey: 'title',
  async run(run, config, name) {
    const purpose = `manual-choice ${name}`;
    const context = { ...run.templateContext(), manualChoice: deepCopy(config) };
    if (skippedByIf(run, config, context, purpose)) return;
    const url = configText(run.configData, 'slack', 'url');
    const template = configText(run.configData, 'templates', 'manual-choice');
    if (!url || !template)
      return run.fail(`${purpose}: config.yaml needs slack.url and templates.manual-choice`);

    const offered = context.manualChoice;
    offered['title'] = run.render(config['title'], context);
    if (!isPlainObject(offered['choices'])) offered['choices'] = {};
    const choices = offered['choices'] as Record<string, unknown>;
    generateChoices(run, config['choice-generators'], choices, context, purpose);
    for (const choice of Object.values(choices)) {
      if (!isPlainObject(choice)) continue;
      choice['header'] = run.render(choice['header'], context);
      for (const option of Array.isArray(choice['options']) ? choice['options'].filter(isPlainObject) : []) {
        option['value'] = run.render(option['value'], context);
        option['text'] = run.render(option['text'], context);
      }
    }

    // A bad `inputs` declaration fails the Task before anything is posted, not a click later.
    offeredOptions(choices, `manual-choice ${name}`);
    const answer = await postToSlack(run, purpose, url, run.render(template, context));
    if (!answer) return;
    captureResponse(run, 'manual-choice', config, answer);
    const initiator = 'initiator' in config ? run.render(config['initiator'], context).trim() || null : null;
    const choice = offeredChoice({
      pipeline: run.input.pipeline,
      event: run.input.event,
      handler: name,
      title: String(offered['title']),
      choices,
      config,
      initiator,
      answer,
      now: run.now(),
    });
    run.set(`${OFFERED_CHOICES_PATH}.${choice.id}`, choice);
    if (choice.channel && choice.messageTs) {
      run.postedChoiceMessages.push({ channel: choice.channel, ts: choice.messageTs });
    }
    const first = choice.deadlines?.[0];
    if (first) run.scheduledDeadlines.push({ choiceId: choice.id, at: new Date(first.at) });
  },
};
