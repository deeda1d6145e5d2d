import { RecordingServer, type FakeReply, type RecordedRequest } from './recording-server';

export type { FakeAnswer, FakeReply, RecordedRequest } from './recording-server';

/**
 * Stands in for slack.com on loopback. chat.postMessage answers as Slack does, echoing the posted message
 * with a fresh, increasing `ts`, so capture rules (`body.ts`, `body.channel`, `body.message...`) see realistic
 * data. views.open answers as Slack's reference shows (docs.slack.dev/reference/methods/views.open): the view
 * as opened, with the fields Slack adds (id, hash, state, app ids); a trigger_id is good once, and one not shaped
 * as Slack's is refused. Every other path answers `ok` as text, like a response_url or an incoming webhook.
 */
export class FakeSlack extends RecordingServer {
  private posted = 0;
  private readonly exchanged = new Set<string>();
  /** Every view views.open opened, as Slack answered it (what a view_submission later carries as `view`). */
  readonly views: Record<string, unknown>[] = [];

  apiUrl(method: string): string {
    return `${this.url}/api/${method}`;
  }

  protected defaultAnswer(request: RecordedRequest): FakeReply {
    const path = request.path.split('?')[0];
    if (request.method === 'POST' && path === '/api/chat.postMessage') return this.postMessage(request.json);
    if (request.method === 'POST' && path === '/api/chat.update') return chatUpdate(request.json);
    if (request.method === 'POST' && path === '/api/chat.postEphemeral') {
      return { body: { ok: true, message_ts: this.nextTs() } };
    }
    if (request.method === 'POST' && path === '/api/views.open') return this.viewsOpen(request.json);
    return { body: 'ok' };
  }

  private viewsOpen(json: unknown): FakeReply {
    if (!isRecord(json) || !isRecord(json.view)) return { body: { ok: false, error: 'invalid_arguments' } };
    const trigger = json.trigger_id;
    if (typeof trigger !== 'string' || !/^\d+\.\d+\.[0-9a-f]+$/.test(trigger)) {
      return { body: { ok: false, error: 'invalid_trigger_id' } };
    }
    if (this.exchanged.has(trigger)) return { body: { ok: false, error: 'exchanged_trigger_id' } };
    this.exchanged.add(trigger);
    const id = `V${String(this.views.length + 1).padStart(8, '0')}`;
    const view = {
      id,
      team_id: 'T0TEST',
      type: json.view.type,
      title: json.view.title,
      submit: json.view.submit,
      close: json.view.close,
      blocks: json.view.blocks ?? [],
      private_metadata: json.view.private_metadata ?? '',
      callback_id: json.view.callback_id ?? '',
      external_id: json.view.external_id ?? '',
      state: { values: {} },
      hash: `${1700000000 + this.views.length}.${id.toLowerCase()}`,
      clear_on_close: json.view.clear_on_close ?? false,
      notify_on_close: json.view.notify_on_close ?? false,
      root_view_id: id,
      previous_view_id: null,
      app_id: 'A0TEST',
      bot_id: 'B0TEST',
    };
    this.views.push(view);
    return { body: { ok: true, view } };
  }

  private postMessage(json: unknown): FakeReply {
    if (!isRecord(json)) return INVALID_JSON;
    const ts = this.nextTs();
    const channel = json.channel ?? 'C0000000001';
    const message = {
      type: 'message',
      text: json.text ?? '',
      blocks: json.blocks,
      attachments: json.attachments,
      thread_ts: json.thread_ts,
      ts,
    };
    return { body: { ok: true, channel, ts, message } };
  }

  /** Slack ts values: seconds, a dot, six digits; unique and increasing within one fake. */
  private nextTs(): string {
    this.posted += 1;
    const micros = this.posted * 100;
    const secondsPart = 1700000000 + Math.floor(micros / 1_000_000);
    return `${secondsPart}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}

const INVALID_JSON: FakeReply = { body: { ok: false, error: 'invalid_json' } };

function chatUpdate(json: unknown): FakeReply {
  if (!isRecord(json)) return INVALID_JSON;
  return { body: { ok: true, channel: json.channel, ts: json.ts, text: json.text ?? '' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
