import { HttpError } from '../../http/http-error';
import type { DependencyFailureKinds } from '../metrics';

/**
 * How a call to Slack failed, from the Web API client's error codes (its own enum is not exported by Bolt) or
 * from the gateway's HTTP client, which both the WebClient and response_url answers go through.
 */
export function slackFailureKind(error: unknown): DependencyFailureKinds['slack'] {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'slack_webapi_platform_error') return 'api-error';
  if (code === 'slack_webapi_rate_limited_error') return 'rate-limited';
  if (code === 'slack_webapi_http_error') return 'http-status';
  // The WebClient wraps what its fetch threw (the gateway's HttpError) as `original`.
  const cause = code === 'slack_webapi_request_error' ? (error as { original?: unknown }).original : error;
  if (cause instanceof HttpError) return cause.kind === 'timeout' ? 'timeout' : 'connection';
  return code === 'slack_webapi_request_error' ? 'connection' : 'failed';
}
