import { HTTP } from 'cloudevents';

/** A CloudEvent as the run card reads it: the attributes it uses and the JSON data Tekton sends. */
export interface TektonCloudEvent {
  id: string;
  type: string;
  source: string;
  subject: string | undefined;
  /** ce-time; Tekton's sender always sets it (cloudevents.WithTimeNow). */
  time: string | undefined;
  data: unknown;
}

/** The request is not a CloudEvent, or not one we can read: the message says why, without echoing the body. */
export class BadCloudEvent extends Error {}

/**
 * Reads one CloudEvent from an HTTP request in binary mode (ce-* headers, the data as the body) or structured
 * mode (application/cloudevents+json). The SDK checks the attributes against the spec; this is the only file
 * that imports it.
 */
export function readTektonCloudEvent(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): TektonCloudEvent {
  let parsed: ReturnType<typeof HTTP.toEvent>;
  try {
    // As text: a Buffer would be kept as data_base64 instead of parsed as the JSON its content type says.
    parsed = HTTP.toEvent({ headers: headers as Record<string, string>, body: body.toString('utf8') });
  } catch (error) {
    throw new BadCloudEvent(`not a valid CloudEvent: ${firstLine(error)}`);
  }
  if (Array.isArray(parsed)) throw new BadCloudEvent('batched CloudEvents are not accepted');
  let data: unknown = parsed.data;
  if (typeof data === 'string') data = parseJson(data);
  return {
    id: parsed.id,
    type: parsed.type,
    source: parsed.source,
    subject: parsed.subject,
    time: parsed.time,
    data,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadCloudEvent('the CloudEvent data is not JSON');
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]
    ?.slice(0, 200) as string;
}
