import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { offeredChoice } from '../../src/events/offered-choice';
import { FileStore } from '../../src/store/file/file-store';
import type { GatewayStore } from '../../src/store/store';
import { buildTestGateway, testGatewayConfig, type TestGateway } from './test-gateway';

/** Shared by the interceptor tests: a gateway on a file store, its clock frozen, and the fixtures it reads. */
export const SLACK_SECRET = 'interceptor-slack-signing-secret';
export const FORWARD_SECRET = 'interceptor-forward-secret';
/** Configured as the named secret `slack-app-b/signingSecret`, which a secretRef picks. */
export const OTHER_SLACK_SECRET = 'second-slack-app-signing-secret';
export const NOW_MS = Date.UTC(2024, 4, 1, 12, 5, 0);
export const NOW_S = Math.floor(NOW_MS / 1000);
export const CONTEXT_ID = 'nginx-hello-world-1.0.0-v1-dev-abc123';
export const CHANNEL = 'C0DEPLOYS';
export const MESSAGE_TS = '1714564800.000100';

const FIXTURES = resolve(__dirname, '../fixtures/interceptor');
export const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
export const fixture = (name: string): Record<string, unknown> => JSON.parse(fixtureText(name));

export type { TestGateway };

/** `store` replaces the file store (e.g. one that fails); the file store is still made, for the choice. */
export async function startGateway(
  change: Partial<GatewayConfig> = {},
  store?: GatewayStore,
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'slackline-interceptor-'));
  const files = new FileStore(dir);
  await recordChoice(files);
  const config = testGatewayConfig({
    slack: { signingSecrets: ['an-old-secret-being-rotated-out', SLACK_SECRET] },
    store: { type: 'filestore', isPrimary: true, path: dir },
    forwarding: { signingSecret: FORWARD_SECRET, timeoutMs: 1000, maxAttempts: 1 },
    commands: {
      '/start-app-deploy': { args: ['targetCicdContextName', 'gitAppName', 'gitCloneUrl', 'appTag'] },
    },
    interceptor: {
      secrets: {
        'slack-app-b/signingSecret': [OTHER_SLACK_SECRET],
        'slackline-forwarding': ['rotated-out-forward-secret', FORWARD_SECRET],
      },
    },
    ...change,
  });
  const gateway = buildTestGateway(config, { store: store ?? files, now: () => NOW_MS });
  return {
    ...gateway,
    close: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The deploy choice whose button the block_actions fixture clicks, recorded and indexed as manual-choice does. */
async function recordChoice(store: FileStore): Promise<void> {
  const payload = fixture('block-actions.payload.json') as { actions: { value: string }[] };
  const value = payload.actions[0]?.value as string;
  const choice = offeredChoice({
    pipeline: 'build',
    event: 'success',
    handler: 'default',
    title: 'Deploy nginx-hello-world 1.0.0?',
    choices: { deploy: { header: 'Deploy?', options: [{ text: 'Deploy to dev', value, style: 'primary' }] } },
    config: {},
    initiator: null,
    answer: { ok: true, channel: CHANNEL, ts: MESSAGE_TS, message: { thread_ts: '1714564000.000001' } },
    now: new Date(NOW_MS - 60_000),
  });
  await store.update(CONTEXT_ID, () => ({
    state: { cicdContextDataId: CONTEXT_ID, cicdContextName: 'dev', offeredChoices: { [choice.id]: choice } },
  }));
  await store.indexMessage(CHANNEL, MESSAGE_TS, CONTEXT_ID);
}
