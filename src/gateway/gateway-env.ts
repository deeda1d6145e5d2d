import type { GatewayConfig } from '../config/gateway-config';
import type { HttpClient } from '../http/http-client';
import type { GatewayStore } from '../store/store';
import type { JsonLogger } from './json-logger';
import type { GatewayMetrics } from './metrics';
import type { SlackApi } from './slack/slack-api';

/** What the gateway's handlers work with: built once by createGateway from what the entry point hands it. */
export interface GatewayEnv {
  config: GatewayConfig;
  store: GatewayStore;
  http: HttpClient;
  logger: JsonLogger;
  metrics: GatewayMetrics;
  /** Slack's Web API and response URLs, for work done after the request's ack (possibly by another replica). */
  slack: SlackApi;
  /** Milliseconds since the epoch: the one clock decisions, deadlines and signature windows are read from. */
  now: () => number;
}

/**
 * What the entry point hands createGateway: the env less what createGateway makes itself (the config is its
 * own argument, the Slack client is built on Bolt's), with the clock optional: Date.now, unless a test freezes
 * it to check signature windows, expiry and deadlines.
 */
export type GatewayDeps = Omit<GatewayEnv, 'config' | 'slack' | 'now'> & Partial<Pick<GatewayEnv, 'now'>>;
