import { isPlainObject } from '../../core/document';
import { FORWARDED_EVENT_SCHEMA, type ForwardedEvent } from '../../core/forwarded-event';

/** The request an interceptor was given, by what it is. */
export type SlackRequest =
  /** a Slack interaction: the decoded `payload` (block_actions, interactive_message, view_submission, …) */
  | { kind: 'interaction'; payload: Record<string, unknown> }
  /** a slash command: its form fields, first value of each */
  | { kind: 'command'; fields: Record<string, string> }
  /** what the gateway itself forwards (docs/forwarded-events.md) */
  | { kind: 'forwarded'; event: ForwardedEvent }
  /** any other JSON object: taken only with a slackline signature (the CLI's signed trigger-pipeline POSTs) */
  | { kind: 'json'; json: Record<string, unknown> };

export interface ReadRequest {
  request: SlackRequest;
  /**
   * False when the EventListener already turned the form into JSON (Tekton Triggers 0.24+ does this for forms of
   * two fields or more): the bytes Slack signed are gone, so its signature can no longer be checked.
   */
  rawBody: boolean;
  /** `extensions` the EventListener merged into a converted body before calling a webhook, to be kept. */
  extensions?: Record<string, unknown>;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Reads an event body in each shape an interceptor may be given it: Slack's raw form (`payload=…` or a slash
 * command's fields), a form the EventListener converted to `{"field":["value"],…}`, or raw JSON (the gateway's
 * forwarded event, an interaction or command already decoded by an earlier webhook, or any other object, which
 * only a slackline signature makes acceptable). `problem` says why a body is none of these.
 */
export function readSlackRequest(body: string, contentType: string): ReadRequest | { problem: string } {
  const text = body.trim();
  if (text === '') return { problem: 'the body is empty' };
  const isForm = contentType.toLowerCase().startsWith(FORM);
  if (!text.startsWith('{')) return fromForm(new URLSearchParams(text), true);
  const json = parseJson(text);
  if (!isPlainObject(json)) return { problem: 'the body is neither a form nor a JSON object' };
  if (isForm && isConvertedForm(json)) {
    const { extensions, ...fields } = json;
    const form = new URLSearchParams();
    for (const [name, values] of Object.entries(fields)) form.append(name, (values as string[])[0] ?? '');
    const read = fromForm(form, false);
    return 'problem' in read || !isPlainObject(extensions) ? read : { ...read, extensions };
  }
  return fromJson(json);
}

function fromForm(form: URLSearchParams, rawBody: boolean): ReadRequest | { problem: string } {
  const payload = form.get('payload');
  if (payload !== null) {
    const decoded = parseJson(payload);
    if (!isPlainObject(decoded) || typeof decoded['type'] !== 'string') {
      return { problem: 'the payload field is not a JSON object with a type' };
    }
    return { request: { kind: 'interaction', payload: decoded }, rawBody };
  }
  if (!form.get('command')) return { problem: 'the form has neither a payload nor a command field' };
  const fields: Record<string, string> = {};
  // The first value of a repeated field, as slack-payload-handler kept (Go's PostForm[k][0]).
  for (const [name, value] of form) if (!Object.hasOwn(fields, name)) fields[name] = value;
  return { request: { kind: 'command', fields }, rawBody };
}

function fromJson(json: Record<string, unknown>): ReadRequest | { problem: string } {
  if (json['schema'] === FORWARDED_EVENT_SCHEMA) {
    return isForwardedEvent(json)
      ? { request: { kind: 'forwarded', event: json }, rawBody: true }
      : { problem: `the body names ${FORWARDED_EVENT_SCHEMA} but lacks its kind, user, context or slack` };
  }
  if (typeof json['command'] === 'string' && json['command'] !== '') {
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(json)) if (typeof value === 'string') fields[name] = value;
    return { request: { kind: 'command', fields }, rawBody: true };
  }
  if (typeof json['type'] === 'string')
    return { request: { kind: 'interaction', payload: json }, rawBody: true };
  return { request: { kind: 'json', json }, rawBody: true };
}

/** Go's url.Values as JSON: every value an array of strings (plus `extensions`, merged in by the sink). */
function isConvertedForm(json: Record<string, unknown>): boolean {
  const entries = Object.entries(json).filter(([name]) => name !== 'extensions');
  return (
    entries.length > 0 &&
    entries.every(([, value]) => Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

function isForwardedEvent(json: Record<string, unknown>): json is Record<string, unknown> & ForwardedEvent {
  const user = json['user'];
  return (
    (json['kind'] === 'choice' || json['kind'] === 'command') &&
    isPlainObject(user) &&
    typeof user['id'] === 'string' &&
    isPlainObject(json['context']) &&
    isPlainObject(json['slack'])
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
