import { isPlainObject } from '../core/document';
import { SlacklineError } from '../core/errors';
import { describeUrl } from '../http/describe-url';
import type { HttpResponse } from '../http/http-client';
import type { EventRun } from './event-run';
import { slackHeaders } from './slack-headers';

/**
 * POSTs a rendered body with Slack's headers. Resolves to the parsed JSON answer when it is one Slack accepted,
 * undefined otherwise: a non-2xx answer and Slack's `ok: false` are logged as errors (later handlers still
 * run, as in cicdstatemgr), a 2xx answer that is not JSON (response_url and webhooks answer `ok`) is accepted.
 * A transport failure (unreachable, no answer) is recorded as a failure of the run.
 */
export async function postToSlack(
  run: EventRun,
  purpose: string,
  url: string,
  body: string,
): Promise<Record<string, unknown> | undefined> {
  let response: HttpResponse;
  try {
    response = await run.http.post({ url, body, purpose, headers: slackHeaders(run.input.secretData) });
  } catch (error) {
    if (!(error instanceof SlacklineError)) throw error;
    run.fail(error.message);
    return undefined;
  }
  // As the HTTP client names requests: a response_url or webhook URL ends in a secret that logs must not show.
  const label = `${purpose}: POST ${describeUrl(url)}`;
  if (response.status < 200 || response.status > 299) {
    run.logger.error(`${label} answered ${response.status}: ${response.text.slice(0, 500)}`);
    return undefined;
  }
  if (!isPlainObject(response.json)) {
    run.logger.debug(`${label} answered ${response.status} (not JSON, nothing to capture)`);
    return undefined;
  }
  if (response.json['ok'] === false) {
    run.logger.error(
      `${purpose}: Slack answered ok:false: ${String(response.json['error'] ?? 'no error code')}`,
    );
    return undefined;
  }
  return response.json;
}
