import type { StoreError, StoreErrorKind } from '../core/errors';
import { GrpcCode } from './interceptor/grpc-code';
import { STORE_UNAVAILABLE } from './slack/choice-messages';

/** How the gateway answers a store failure of one kind (core/errors.ts says what each kind means). */
export interface StoreFailureAnswer {
  /** The `kind` label of `slackline_dependency_failures_total{dependency="store"}`. */
  metricKind: StoreErrorKind;
  /** The code an interceptor answers Tekton with when the store failed it (interceptor/intercept.ts). */
  grpcCode: GrpcCode;
  /** What the user whose click or command it failed is told (intake/intake-worker.ts). */
  userText: string;
}

/**
 * Every kind, so that a kind added to StoreErrorKind does not compile until it is answered here. All are
 * UNAVAILABLE to Tekton and the same words to a user: whichever way the store failed, the request itself was
 * fine, and may pass later.
 */
export const STORE_FAILURES: Readonly<Record<StoreErrorKind, StoreFailureAnswer>> = {
  unavailable: { metricKind: 'unavailable', grpcCode: GrpcCode.UNAVAILABLE, userText: STORE_UNAVAILABLE },
  timeout: { metricKind: 'timeout', grpcCode: GrpcCode.UNAVAILABLE, userText: STORE_UNAVAILABLE },
  conflict: { metricKind: 'conflict', grpcCode: GrpcCode.UNAVAILABLE, userText: STORE_UNAVAILABLE },
  'outcome-unknown': {
    metricKind: 'outcome-unknown',
    grpcCode: GrpcCode.UNAVAILABLE,
    userText: STORE_UNAVAILABLE,
  },
  refused: { metricKind: 'refused', grpcCode: GrpcCode.UNAVAILABLE, userText: STORE_UNAVAILABLE },
  'not-a-document': {
    metricKind: 'not-a-document',
    grpcCode: GrpcCode.UNAVAILABLE,
    userText: STORE_UNAVAILABLE,
  },
  io: { metricKind: 'io', grpcCode: GrpcCode.UNAVAILABLE, userText: STORE_UNAVAILABLE },
};

export function storeFailure(error: StoreError): StoreFailureAnswer {
  return STORE_FAILURES[error.kind];
}

/** The metric labels, each counted from zero so that a dashboard's rate() has a series before the first failure. */
export const STORE_FAILURE_KINDS: readonly StoreErrorKind[] = Object.values(STORE_FAILURES).map(
  (answer) => answer.metricKind,
);
