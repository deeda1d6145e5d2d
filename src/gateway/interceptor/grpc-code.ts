/**
 * The google.rpc codes an InterceptorResponse's `status.code` may carry. Tekton decodes them with gRPC's
 * `codes.Code`, which takes the number (what Go's own interceptors send) and fails on anything outside 0–16.
 */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** A "no" from an interceptor: data, answered as `continue: false` (or a webhook's HTTP status), not an error. */
export interface Refusal {
  code: GrpcCode;
  message: string;
}
