import { isPlainObject } from '../../core/document';
import type { GatewayConfig } from '../../config/gateway-config';
import { GrpcCode } from './grpc-code';
import type { InterceptInput } from './intercept-input';

export type InterceptorOptions = Pick<InterceptInput, 'secrets' | 'requireSignature'> & {
  /** let each idempotency key through once (see pass-once.ts); on unless the trigger says `deduplicate: false` */
  deduplicate: boolean;
};

export type OptionsOutcome =
  { ok: true; options: InterceptorOptions } | { ok: false; code: GrpcCode; message: string };

/**
 * A trigger's `interceptor_params`: `secretName` (a name configured under slackline.interceptor) or `secretRef`
 * (`{secretName, secretKey}`, as Tekton's own interceptors take it: the name `<secretName>/<secretKey>`, else
 * `<secretName>`) picks the secret that checks either kind of signature; without one the gateway's own secrets
 * are used. `requireSignature: false` lets through what cannot be verified; `deduplicate: false` lets every copy
 * of an event through. Other params are ignored.
 */
export function interceptorOptions(params: Record<string, unknown>, config: GatewayConfig): OptionsOutcome {
  const requireSignature = params['requireSignature'] ?? true;
  if (typeof requireSignature !== 'boolean') return invalid('requireSignature must be true or false');
  const deduplicate = params['deduplicate'] ?? true;
  if (typeof deduplicate !== 'boolean') return invalid('deduplicate must be true or false');
  const names = secretNames(params);
  if (typeof names === 'string') return invalid(names);
  if (names === undefined)
    return { ok: true, options: { secrets: gatewaySecrets(config), requireSignature, deduplicate } };
  const configured = config.interceptor?.secrets ?? {};
  const name = names.find((candidate) => Object.hasOwn(configured, candidate));
  if (name === undefined) {
    return {
      ok: false,
      code: GrpcCode.FAILED_PRECONDITION,
      message: `no interceptor secret named ${names.map((n) => `"${n}"`).join(' or ')} is configured in slackline`,
    };
  }
  const secrets = configured[name] as string[];
  return {
    ok: true,
    options: { secrets: { slackline: secrets, slack: secrets }, requireSignature, deduplicate },
  };
}

/** The gateway's own secrets: its forwarding secret checks slackline signatures, its Slack secrets Slack's. */
export function gatewaySecrets(config: GatewayConfig): InterceptorOptions['secrets'] {
  const { signingSecret } = config.forwarding;
  return { slackline: signingSecret ? [signingSecret] : [], slack: config.slack.signingSecrets };
}

/** The names to try, in order; undefined when no secret is asked for; a string saying what is wrong. */
function secretNames(params: Record<string, unknown>): string[] | string | undefined {
  const { secretName, secretRef } = params;
  if (secretName !== undefined) {
    return typeof secretName === 'string' && secretName !== '' ? [secretName] : 'secretName must be a name';
  }
  if (secretRef === undefined) return undefined;
  if (
    !isPlainObject(secretRef) ||
    typeof secretRef['secretName'] !== 'string' ||
    secretRef['secretName'] === ''
  ) {
    return 'secretRef must be {secretName, secretKey}';
  }
  const key = secretRef['secretKey'];
  if (key !== undefined && typeof key !== 'string') return 'secretRef.secretKey must be text';
  return key ? [`${secretRef['secretName']}/${key}`, secretRef['secretName']] : [secretRef['secretName']];
}

function invalid(why: string): OptionsOutcome {
  return {
    ok: false,
    code: GrpcCode.INVALID_ARGUMENT,
    message: `failed to parse interceptor params: ${why}`,
  };
}
