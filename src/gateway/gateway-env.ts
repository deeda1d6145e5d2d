import type { GatewayConfig } from '../config/gateway-config';
import type { HttpClient } from '../http/http-client';
import type { Store } from '../store/store';
import type { JsonLogger } from './json-logger';
import type { GatewayMetrics } from './metrics';

/** What the gateway's handlers work with; built once by createGateway. */
export interface GatewayEnv {
  config: GatewayConfig;
  store: Store;
  http: HttpClient;
  logger: JsonLogger;
  metrics: GatewayMetrics;
  /** Milliseconds since the epoch; tests freeze it. */
  now: () => number;
}
