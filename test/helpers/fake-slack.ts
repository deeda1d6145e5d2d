import { RecordingServer, type FakeReply, type RecordedRequest } from './recording-server';

export type { FakeAnswer, FakeReply, RecordedRequest } from './recording-server';

/**
 * Stands in for slack.com on loopback. chat.postMessage answers as Slack does, echoing the posted message
 * with a fresh, increasing `ts`, so capture rules (`body.ts`, `body.channel`, `body.message...`) see realistic
 * data. Every other path answers `ok` as text, like a response_url or an incoming webhook.
 */
export class FakeSlack extends RecordingServer {
  private posted = 0;

  apiUrl(method: string): string {
    return `${this.url}/api/${method}`;
  }

  protected defaultAnswer(request: RecordedRequest): FakeReply {
    const path = request.path.split('?')[0];
    if (request.method === 'POST' && path === '/api/chat.postMessage') return this.postMessage(request.json);
    if (request.method === 'POST' && path === '/api/chat.update') return chatUpdate(request.json);
    return { body: 'ok' };
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
