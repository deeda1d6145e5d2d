import type { DatasourceConfig } from './datasource-config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The gateway's settings: the `slackline:` mapping of its YAML file, overridden by environment variables. */
export interface GatewayConfig {
  /** PORT; 0 asks the system for a free port (tests). */
  port: number;
  host: string;
  slack: SlackConfig;
  /** The primary store only: the gateway writes no local projections. */
  store: DatasourceConfig;
  forwarding: ForwardingConfig;
  /** Keyed by the command as Slack sends it, with its slash: `/deploy`. */
  commands: Record<string, SlashCommandConfig>;
  maxBodyBytes: number;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
}

export interface SlackConfig {
  /** Every secret a request may be signed with; more than one while a secret is being rotated. */
  signingSecrets: string[];
  botToken: string;
  /** The app-level token (`xapp-…`) that Socket Mode connects with. */
  appToken?: string;
  socketMode: boolean;
  /** Web API base URL ending in `/`; unset means Slack's own. */
  apiUrl?: string;
  /** Path of the Events/interactivity/slash-command request URL. */
  endpoint: string;
}

export interface ForwardingConfig {
  /** Where choices and commands without a route of their own go. */
  defaultUrl?: string;
  /** Route name → EventListener URL. */
  routes: Record<string, string>;
  /** Signs forwarded bodies so that an EventListener can tell them from anyone else's. */
  signingSecret?: string;
  timeoutMs: number;
  maxAttempts: number;
}

export interface SlashCommandConfig {
  /** Names given, in order, to the words of the command text. */
  args: string[];
  /** A key of `forwarding.routes`; unset means `forwarding.defaultUrl`. */
  route?: string;
  description?: string;
  /** Slack user ids who may run it; unset means anyone who can see the command. */
  allowedUsers?: string[];
}
