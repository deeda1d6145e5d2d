import type { RequestOutcome } from '../metrics';
import { GrpcCode } from './grpc-code';
import type { InterceptOutcome } from './intercept';

/** The metrics outcome of an interceptor answer: refused for its signature, for its content, or failed. */
export function outcomeOf(outcome: InterceptOutcome | { ok?: false; code: GrpcCode }): RequestOutcome {
  if (outcome.ok) return 'ok';
  if (outcome.code === GrpcCode.ALREADY_EXISTS) return 'duplicate';
  if (outcome.code === GrpcCode.UNAUTHENTICATED) return 'bad_signature';
  if (outcome.code === GrpcCode.INVALID_ARGUMENT || outcome.code === GrpcCode.FAILED_PRECONDITION)
    return 'invalid';
  return 'error';
}
