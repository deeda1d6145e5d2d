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
  /** Settings of the Tekton interceptor endpoints; absent when none are set. */
  interceptor?: InterceptorConfig;
  /** Serve HTTPS with this certificate and key instead of HTTP; absent means HTTP. */
  tls?: TlsConfig;
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

export interface InterceptorConfig {
  /**
   * Named secrets a trigger picks with its interceptor params (`secretName`, or `secretRef` as
   * `<secretName>/<secretKey>`), each a list so that a secret can be rotated. Without a name the interceptors
   * use the gateway's own secrets (forwarding.signingSecret, slack.signingSecrets).
   */
  secrets: Record<string, string[]>;
}

export interface TlsConfig {
  /** Absolute paths of PEM files (a Kubernetes TLS Secret's tls.crt and tls.key). */
  certFile: string;
  keyFile: string;
}
