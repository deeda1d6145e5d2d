import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig, SlashCommandConfig } from '../../src/config/gateway-config';
import type { ContextDocument } from '../../src/core/document';
import { offeredChoice, type OfferedChoice } from '../../src/events/offered-choice';
import type { Store } from '../../src/store/store';
import { blockActionsPayload, FORM, interactionBody, slackSignature, type ClickSpec } from './slack-requests';
import { buildTestGateway, testGatewayConfig, type TestGateway } from './test-gateway';

export const SIGNING_SECRET = 'harness-signing-secret';
export const FORWARD_SECRET = 'harness-forward-secret';

export interface HarnessOptions {
  store: { type: 'redis'; url: string; keyPrefix: string } | { type: 'filestore'; path: string };
  slackUrl: string;
  listenerUrl: string;
  commands?: Record<string, SlashCommandConfig>;
  maxBodyBytes?: number;
  forwardTimeoutMs?: number;
  forwardAttempts?: number;
  /** How long a decision is redelivered before it is recorded undelivered (default 10 minutes). */
  deliveryDeadlineMs?: number;
  /** Every JSON log line goes here, at `logLevel` (default warn). */
  logLines?: string[];
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * The gateway as `slackline serve` builds it (createGateway with a real store, HTTP client, JSON logger and
 * metrics), listening on a loopback port, with Slack's Web API and the EventListener played by stand-ins.
 */
export class GatewayHarness {
  readonly config: GatewayConfig;
  readonly store: Store;
  readonly app: TestGateway['app'];
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private readonly closeGateway: () => Promise<void>;

  constructor(options: HarnessOptions) {
    const gateway = buildTestGateway(
      testGatewayConfig({
        slack: { signingSecrets: [SIGNING_SECRET], apiUrl: `${options.slackUrl}/api/` },
        store: { ...options.store, isPrimary: true },
        forwarding: {
          defaultUrl: `${options.listenerUrl}/default`,
          routes: { deploy: `${options.listenerUrl}/deploy` },
          signingSecret: FORWARD_SECRET,
          timeoutMs: options.forwardTimeoutMs ?? 2000,
          maxAttempts: options.forwardAttempts ?? 3,
          deliveryDeadlineMs: options.deliveryDeadlineMs ?? 600_000,
        },
        commands: options.commands ?? {},
        maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
        logLevel: options.logLevel ?? 'warn',
      }),
      { logLines: options.logLines },
    );
    this.config = gateway.config;
    this.store = gateway.store;
    this.app = gateway.app;
    this.closeGateway = gateway.close;
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('the gateway is not listening');
    return this.baseUrl;
  }

  async listen(): Promise<void> {
    const server = createServer(this.app).listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** POSTs a body to the Slack endpoint, signed unless `signed` is false; resolves to the status and text. */
  async post(
    body: string,
    options: { contentType?: string; signed?: boolean } = {},
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? FORM,
      ...(options.signed === false ? {} : slackSignature(SIGNING_SECRET, body)),
    };
    const response = await fetch(`${this.url}/slack/events`, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }

  /** A signed block_actions click, as Slack sends it; resolves when the gateway acknowledged it. */
  click(spec: ClickSpec, change?: (payload: ReturnType<typeof blockActionsPayload>) => void) {
    const payload = blockActionsPayload(spec);
    change?.(payload);
    return this.post(interactionBody(payload));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await this.closeGateway();
  }
}

export interface SeededChoice {
  contextId: string;
  choiceId: string;
  channel: string;
  ts: string;
  approvalsNeeded: number;
  /** the option values, in order */
  values: string[];
}

export interface SeedSpec {
  contextId: string;
  /** one entry per choice to offer in that context */
  choices: Array<{
    channel: string;
    ts: string;
    approvalsNeeded?: number;
    /** `inputs` as a manual-choice config declares them (docs/configuration.md) */
    options?: Array<{ text: string; value: string; route?: string; inputs?: unknown[] }>;
    allowedUsers?: string[];
    title?: string;
  }>;
  /** extra top-level `state` keys */
  state?: Record<string, unknown>;
}

/**
 * Writes a context document holding offered-choice records exactly as manual-choice records them (through
 * offeredChoice()), and indexes each message, as if a pipeline had offered the choices: no CLI run needed.
 */
export async function seedContext(store: Store, spec: SeedSpec): Promise<SeededChoice[]> {
  const offered: Record<string, OfferedChoice> = {};
  const seeded: SeededChoice[] = [];
  for (const [i, c] of spec.choices.entries()) {
    const options = c.options ?? [
      { text: 'Approve', value: `approve-${i}` },
      { text: 'Reject', value: `reject-${i}` },
    ];
    const choice = offeredChoice({
      pipeline: 'build',
      event: 'done',
      handler: 'manual-choice',
      title: c.title ?? `Choice ${i} of ${spec.contextId}`,
      choices: { go: { header: 'Go?', options } },
      config: {
        'approvals-needed': c.approvalsNeeded ?? 1,
        ...(c.allowedUsers ? { 'allowed-users': c.allowedUsers } : {}),
      },
      initiator: null,
      answer: { ok: true, channel: c.channel, ts: c.ts, message: { ts: c.ts } },
      now: new Date(),
    });
    offered[choice.id] = choice;
    seeded.push({
      contextId: spec.contextId,
      choiceId: choice.id,
      channel: c.channel,
      ts: c.ts,
      approvalsNeeded: c.approvalsNeeded ?? 1,
      values: options.map((o) => o.value),
    });
  }
  const doc: ContextDocument = {
    state: {
      cicdContextDataId: spec.contextId,
      cicdContextName: 'robustness',
      ...spec.state,
      offeredChoices: offered,
    },
  };
  await store.update(spec.contextId, () => doc);
  for (const c of seeded) await store.indexMessage?.(c.channel, c.ts, spec.contextId);
  return seeded;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The stored record of a seeded choice. */
export async function storedChoice(store: Store, choice: SeededChoice): Promise<Doc | undefined> {
  const doc = (await store.load(choice.contextId)) as Doc | undefined;
  return doc?.state?.offeredChoices?.[choice.choiceId] as Doc | undefined;
}
