import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { offeredChoice } from '../../src/events/offered-choice';
import type { GatewayStore } from '../../src/store/store';
import { testGatewayConfig, type TestGatewayOverrides } from './test-gateway';

/** Shared by the interceptor tests: their gateway's config and frozen clock, and the fixtures it reads. */
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

/**
 * The interceptor tests' gateway config: Slack signing secrets mid-rotation, forwarding secrets mid-rotation
 * and a named one a secretRef picks, the slash command the fixtures send; a file store in a fresh temporary
 * directory (removed when the gateway closes). `change` is applied as testGatewayConfig applies overrides.
 */
export function interceptorGatewayConfig(change: TestGatewayOverrides = {}): GatewayConfig {
  return testGatewayConfig({
    slack: { signingSecrets: ['an-old-secret-being-rotated-out', SLACK_SECRET] },
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
}

/** The builder's options for the interceptor tests: the clock frozen at NOW_MS, which the fixtures are signed at. */
export const AT_NOW = { now: () => NOW_MS };

/** The deploy choice whose button the block_actions fixture clicks, recorded and indexed as manual-choice does. */
export async function recordDeployChoice(store: GatewayStore): Promise<void> {
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
  await store.indexMessage?.(CHANNEL, MESSAGE_TS, CONTEXT_ID);
}
