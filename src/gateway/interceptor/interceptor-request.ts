import { isPlainObject } from '../../core/document';

/** What an EventListener POSTs to a ClusterInterceptor (Tekton's `InterceptorRequest`, by its JSON tags). */
export interface InterceptorRequest {
  /** The event body as text: raw form, raw JSON, or a form the EventListener already turned into JSON. */
  body: string;
  /** Canonical header names, each with its values. */
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
  interceptor_params: Record<string, unknown>;
  context: { event_url?: string; event_id?: string; trigger_id?: string } | null;
}

export type ParsedInterceptorRequest =
  { ok: true; request: InterceptorRequest } | { ok: false; error: string };

/**
 * Checks the request's shape, not its content. Tekton omits empty `body`, `header`, `extensions` and
 * `interceptor_params` and always sends `context` (null when it has none), so an object with neither `body` nor
 * `context` did not come from an EventListener and is refused like a wrong type.
 */
export function parseInterceptorRequest(text: string): ParsedInterceptorRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'failed to parse body as InterceptorRequest: not JSON' };
  }
  if (!isPlainObject(value)) return invalid('an InterceptorRequest is a JSON object');
  if (!('body' in value) && !('context' in value)) return invalid('it has neither "body" nor "context"');
  // Go decodes an explicit null like an omitted field; so does this.
  const body = value['body'] ?? '';
  const header = value['header'] ?? {};
  const extensions = value['extensions'] ?? {};
  const params = value['interceptor_params'] ?? {};
  const context = value['context'] ?? null;
  if (typeof body !== 'string') return invalid('"body" must be a string');
  if (!isPlainObject(header) || !Object.values(header).every(isStringArray)) {
    return invalid('"header" must map names to arrays of strings');
  }
  if (!isPlainObject(extensions)) return invalid('"extensions" must be an object');
  if (!isPlainObject(params)) return invalid('"interceptor_params" must be an object');
  if (context !== null && !isPlainObject(context)) return invalid('"context" must be an object or null');
  return {
    ok: true,
    request: {
      body,
      header: header as Record<string, string[]>,
      extensions,
      interceptor_params: params,
      context: context as InterceptorRequest['context'],
    },
  };
}

function invalid(why: string): ParsedInterceptorRequest {
  return { ok: false, error: `malformed InterceptorRequest: ${why}` };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
