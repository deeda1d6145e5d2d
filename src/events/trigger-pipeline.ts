import { deepCopy, isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';
import { forwardSignatureHeaders } from '../core/forward-signature';
import { pythonJsonDumps } from '../compat/python/python-json';
import { pythonStr } from '../compat/python/python-str';
import { describeUrl } from '../http/describe-url';
import type { HttpResponse } from '../http/http-client';
import type { EventHandler } from './event-handler';
import { skippedByIf } from './skip-by-if';

/**
 * POSTs a JSON payload to `trigger.url` (a Tekton EventListener): config.yaml's `trigger.auto-args`, then the
 * handler's `args` (rendered, always text), with `trigger.headers` rendered with `secretData`. When the secrets
 * hold `trigger.signingSecret`, the body is signed so the receiving interceptor can check it came from here.
 */
export const triggerPipeline: EventHandler = {
  type: 'trigger-pipeline',
  markerKey: 'name',
  async run(run, config, name) {
    const purpose = `trigger-pipeline ${name}`;
    const context = { ...run.templateContext(), triggerPipeline: deepCopy(config) };
    if (skippedByIf(run, config, context, purpose)) return;
    const trigger = run.configData['trigger'];
    const url = isPlainObject(trigger) && typeof trigger['url'] === 'string' ? trigger['url'] : undefined;
    if (!isPlainObject(trigger) || !url) return run.fail(`${purpose}: config.yaml needs trigger.url`);

    const payload: Record<string, string> = {};
    for (const args of [trigger['auto-args'], config['args']]) {
      if (!isPlainObject(args)) continue;
      for (const [key, value] of Object.entries(args)) payload[key] = run.render(pythonStr(value), context);
    }
    const body = pythonJsonDumps(payload);

    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: '*/*',
      'Cache-Control': 'no-cache',
    };
    const headerContext = { ...context, secretData: deepCopy(run.input.secretData) };
    const headerItems = Array.isArray(trigger['headers']) ? trigger['headers'].filter(isPlainObject) : [];
    for (const item of headerItems) {
      headers[pythonStr(item['name'])] = run.render(pythonStr(item['value']), headerContext);
    }
    const secrets = run.input.secretData['trigger'];
    const signingSecret = isPlainObject(secrets) ? secrets['signingSecret'] : undefined;
    if (typeof signingSecret === 'string' && signingSecret !== '') {
      Object.assign(headers, forwardSignatureHeaders(signingSecret, body));
    }

    let response: HttpResponse;
    try {
      response = await run.http.post({ url, headers, body, purpose });
    } catch (error) {
      if (!(error instanceof SlacklineError)) throw error;
      return run.fail(error.message);
    }
    // As the HTTP client names requests: the URL's userinfo and query string may hold credentials.
    const label = `${purpose}: POST ${describeUrl(url)}`;
    if (response.status < 200 || response.status > 299) {
      run.logger.error(`${label} answered ${response.status}: ${response.text.slice(0, 500)}`);
    } else {
      run.logger.info(`${label} answered ${response.status} ${response.text.slice(0, 200)}`);
    }
  },
};
