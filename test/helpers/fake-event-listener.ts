import { randomUUID } from 'node:crypto';
import { RecordingServer, type FakeReply } from './recording-server';

export type { FakeAnswer, FakeReply, RecordedRequest } from './recording-server';

/** Stands in for a Tekton EventListener sink on loopback: every request is accepted with 202 and an event ID. */
export class FakeEventListener extends RecordingServer {
  readonly eventListenerUID = randomUUID();

  protected defaultAnswer(): FakeReply {
    return {
      status: 202,
      body: {
        eventListener: 'slackline',
        namespace: 'tekton-pipelines',
        eventListenerUID: this.eventListenerUID,
        eventID: randomUUID(),
      },
    };
  }
}
