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
  intake: IntakeConfig;
  /** Buttons in cicdstatemgr 1.2.4's format on messages slackline never indexed (a migration aid). */
  legacyButtons: LegacyButtonsConfig;
  /** /healthz fails when the intake worker or the sweeper has not made progress for this long. */
  stallTimeoutMs: number;
  /** The run cards fed by Tekton's CloudEvents (docs/run-card.md); absent: off. */
  runCard?: RunCardConfig;
}

export interface RunCardConfig {
  /** The bearer token Tekton's sink URL carries; without it, and without allowUnauthenticated, the endpoint refuses. */
  token?: string;
  /** For a gateway whose NetworkPolicy admits only the Tekton controller to the endpoint. */
  allowUnauthenticated: boolean;
  /** Where a failed run goes when its context has no document or names no channel. */
  channel?: string;
  /** At most one chat.update per card in this long. */
  intervalMs: number;
}

export interface IntakeConfig {
  /** A request the store has not taken this long after it arrived is refused, and its user told to retry. */
  appendTimeoutMs: number;
  /** An entry a worker took and has not finished for this long is taken over by another (its worker died). */
  claimAfterMs: number;
  /** An entry handed out this many times without being finished is given up, and its user told. */
  maxDeliveries: number;
  /** How long a request's Slack trigger_id is remembered, so that a retry or replay of it does nothing. */
  dedupeTtlMs: number;
}

export interface LegacyButtonsConfig {
  enabled: boolean;
  /** Who may click such a button when no offered choice of its context carries its value; empty: anyone. */
  allowedUsers: string[];
  allowedGroups: string[];
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
  /** Attempts of one POST when the EventListener could not be reached at all (nothing was sent). */
  maxAttempts: number;
  /** A decision is sent again, with backoff, until delivered or this long after it was made; then undelivered. */
  deliveryDeadlineMs: number;
}

export interface SlashCommandConfig {
  /** Names given, in order, to the words of the command text. */
  args: string[];
  /** A key of `forwarding.routes`; unset means `forwarding.defaultUrl`. */
  route?: string;
  description?: string;
  /** Slack user ids who may run it; unset means anyone who can see the command. */
  allowedUsers?: string[];
  /** `<command> status <context-id>` answers from the context document instead of being forwarded. */
  status?: boolean;
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
