import type { GatewayEnv } from '../gateway-env';

/**
 * How long a delivery step may take before a sweeper takes over: one POST's timeout, twice, and some. A step
 * still working past a third of it renews its lease (see deliver()), so a slow write of the outcome is not
 * taken for a dead step and sent again.
 */
export function leaseMs(env: GatewayEnv): number {
  return 2 * env.config.forwarding.timeoutMs + 5_000;
}
