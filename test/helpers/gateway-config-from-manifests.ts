import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { loadGatewayConfig } from '../../src/config/load-gateway-config';
import { fileStoreConfig } from './store-configs';
import { configMapEntry, nameOf, ofKind, type Manifest } from './tekton-manifests';

export const TEST_SIGNING_SECRET = 'deployables-test-slack-signing-secret';
export const TEST_FORWARD_SECRET = 'deployables-test-forward-secret';

export interface ManifestGatewayOptions {
  manifests: Manifest[];
  /** scratch directory: the config file and the file store go here */
  dir: string;
  slackApiUrl: string;
  eventListenerUrl: string;
}

/**
 * The gateway's config as tekton/'s Deployment makes it, for buildTestGateway: the env ConfigMap, the Secret's
 * keys (test values in place of the placeholders) and the mounted slackline.yaml, read by the gateway's own
 * loader. Only what cannot run here is swapped: Redis for a file store under `<dir>/store`, Slack and the
 * EventListener for loopback stand-ins.
 */
export function gatewayConfigFromManifests(options: ManifestGatewayOptions): GatewayConfig {
  const { manifests, dir } = options;
  const envMap = ofKind(manifests, 'ConfigMap').find((m) => nameOf(m) === 'slackline-gateway-env');
  const secret = ofKind(manifests, 'Secret').find((m) => nameOf(m) === 'slackline-gateway');
  const env: Record<string, string> = { ...envMap?.doc['data'] };
  for (const key of Object.keys(secret?.doc['stringData'] ?? {})) env[key] = '';
  Object.assign(env, {
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-deployables-test',
    SLACKLINE_FORWARD_SECRET: TEST_FORWARD_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    SLACKLINE_EVENT_LISTENER_URL: options.eventListenerUrl,
  });
  delete env['REDIS_URL'];
  const configPath = join(dir, 'slackline.yaml');
  writeFileSync(configPath, configMapEntry(manifests, 'slackline-gateway-config', 'slackline.yaml'));
  delete env['SLACKLINE_CONFIG']; // the mount path; the file is read from configPath here
  const loaded = loadGatewayConfig({ configPath, env, cwd: dir });
  return { ...loaded, store: fileStoreConfig(join(dir, 'store')) };
}
