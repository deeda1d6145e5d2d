import { randomUUID } from 'node:crypto';
import { RecordingServer, type FakeAnswer, type FakeReply, type RecordedRequest } from './recording-server';

export type { FakeAnswer, FakeReply } from './recording-server';

export interface ListenerRequest extends RecordedRequest {
  /** the eventID given in the answer, for 2xx answers */
  eventId: string | null;
  /** whether the trigger's interceptor let it through (see PassThrough), once it has answered */
  passed?: boolean;
}

/**
 * The slackline ClusterInterceptor a trigger of this EventListener runs, as Tekton runs it: after the event was
 * taken (a 2xx answer, or a connection that hung or was reset after the body was read, since the sink may act on
 * what it read even if its answer is lost), never for an event the sink refused.
 */
export interface PassThrough {
  interceptorUrl: string;
  trigger: string;
}

/**
 * Stands in for a Tekton EventListener sink on loopback. Every request is recorded and answered from the script
 * (answerNext, answerAfter, unavailableFor: a status, a delay, a stall, a dropped connection), else with 202;
 * a 2xx answer carries a fresh `eventID`, as a sink's does. With a PassThrough it also runs the trigger's
 * interceptor on what it took.
 */
export class FakeEventListener extends RecordingServer {
  declare readonly requests: ListenerRequest[];
  readonly eventListenerUID = randomUUID();
  private readonly interceptions: Promise<void>[] = [];

  constructor(private passThrough?: PassThrough) {
    super();
  }

  /** Once the gateway listens: where the trigger's interceptor is. */
  interceptWith(interceptorUrl: string): void {
    if (this.passThrough) this.passThrough = { ...this.passThrough, interceptorUrl };
  }

  /** Requests whose forwarded event is about the offered choice `choiceId`. */
  forwardsOf(choiceId: string): ListenerRequest[] {
    return this.requests.filter((r) => choiceIdOf(r) === choiceId);
  }

  /** Requests the interceptor let through. */
  passed(): ListenerRequest[] {
    return this.requests.filter((r) => r.passed === true);
  }

  /** Waits for every interceptor call started so far. */
  async interceptorsDone(): Promise<void> {
    await Promise.all(this.interceptions);
  }

  protected defaultAnswer(): FakeReply {
    return { status: 202 };
  }

  /** A bare status gets the body a sink answers with: an event ID for a 2xx, an error otherwise. */
  protected override shape(request: RecordedRequest, answer: FakeAnswer): FakeAnswer {
    const recorded = request as ListenerRequest;
    recorded.eventId = null;
    if (typeof answer === 'string') return answer;
    const status = answer.status ?? 202;
    if (status < 200 || status > 299) return { body: { error: 'no' }, ...answer, status };
    recorded.eventId = randomUUID();
    const body = {
      eventListener: 'slackline',
      namespace: 'tekton-pipelines',
      eventListenerUID: this.eventListenerUID,
      eventID: recorded.eventId,
    };
    return { body, ...answer, status };
  }

  protected override recorded(request: RecordedRequest): void {
    const recorded = request as ListenerRequest;
    const { answer } = recorded;
    const taken = answer === 'hang' || answer === 'reset' || (answer >= 200 && answer <= 299);
    if (this.passThrough && taken) {
      this.interceptions.push(this.intercept(recorded, recorded.eventId ?? randomUUID()));
    }
  }

  private async intercept(recorded: ListenerRequest, eventId: string): Promise<void> {
    const { interceptorUrl, trigger } = this.passThrough as PassThrough;
    const header: Record<string, string[]> = {};
    for (let i = 0; i < recorded.rawHeaders.length; i += 2) {
      const name = canonicalHeader(recorded.rawHeaders[i] as string);
      (header[name] ??= []).push(recorded.rawHeaders[i + 1] as string);
    }
    const request = {
      body: recorded.text,
      header,
      extensions: {},
      interceptor_params: {},
      context: { event_url: recorded.path, event_id: eventId, trigger_id: trigger },
    };
    try {
      const response = await fetch(interceptorUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      recorded.passed = ((await response.json()) as { continue?: boolean }).continue === true;
    } catch {
      recorded.passed = false;
    }
  }
}

function choiceIdOf(request: RecordedRequest): string | undefined {
  const json = request.json as { choice?: { id?: unknown } } | undefined;
  return typeof json?.choice?.id === 'string' ? json.choice.id : undefined;
}

/** Go's http.CanonicalHeaderKey, as Tekton hands headers to interceptors. */
function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
