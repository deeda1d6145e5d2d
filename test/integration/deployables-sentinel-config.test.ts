import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../../src/config/load-gateway-config';
import { buildInstall } from '../helpers/kustomize-build';
import { TEST_IMAGES } from '../helpers/tekton-installs';
import { configMapEntry, nameOf, ofKind, type Doc } from '../helpers/tekton-manifests';

/**
 * components/redis-sentinel points the gateway at the Sentinels by appending a store section (with the
 * password from the Secret) to its slackline.yaml in an init container. Run that init container's script here,
 * on the ConfigMap's own file (with and without the example's commands), and read the result with the gateway's
 * own loader: it must be the config the gateway then starts with.
 */
describe('components/redis-sentinel: the gateway config its init container writes', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-sentinel-'));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const components of [
    ['components/redis-sentinel'],
    ['components/redis-sentinel', 'components/example'],
  ])
    it(`is slackline.yaml with the Sentinels and the password: ${components.join(' + ')}`, function () {
      const built = buildInstall({ components, images: TEST_IMAGES });
      const deployment = ofKind(built, 'Deployment').find((d) => nameOf(d) === 'slackline-gateway');
      const pod = deployment?.doc['spec'].template.spec;
      const init = pod.initContainers.find((c: Doc) => c['name'] === 'store-config');
      const gateway = pod.containers[0];
      const configPath = gateway.env.find((e: Doc) => e['name'] === 'SLACKLINE_CONFIG').value as string;
      const mounted = join(dir, `${components.length}`, 'etc/slackline');
      const written = join(dir, `${components.length}`, 'run/slackline');
      mkdirSync(mounted, { recursive: true });
      mkdirSync(written, { recursive: true });
      writeFileSync(
        join(mounted, 'slackline.yaml'),
        configMapEntry(built, 'slackline-gateway-config', 'slackline.yaml'),
      );
      const script = String(init.args[0])
        .replaceAll('/etc/slackline', mounted)
        .replaceAll('/run/slackline', written);
      execFileSync('bash', ['-c', script], {
        env: { PATH: process.env.PATH, HOME: dir, REDIS_PASSWORD: 'c0ffee' },
      });
      assert.equal(configPath, '/run/slackline/slackline.yaml', 'the gateway reads the written file');
      const config = loadGatewayConfig({
        configPath: configPath.replace('/run/slackline', written),
        env: {
          SLACK_SIGNING_SECRET: 's',
          SLACK_BOT_TOKEN: 'xoxb-t',
          SLACKLINE_FORWARD_SECRET: 'f',
          SLACKLINE_EVENT_LISTENER_URL: 'http://el-slackline:8080',
        },
        cwd: dir,
      });
      const defined = Object.fromEntries(Object.entries(config.store).filter(([, v]) => v !== undefined));
      assert.deepEqual(defined, {
        type: 'redis',
        isPrimary: true,
        sentinels: [{ host: 'cicd-redis-sentinel', port: 26379 }],
        sentinelName: 'slackline',
        password: 'c0ffee',
      });
      if (components.includes('components/example'))
        assert.ok(config.commands['/deploy'], 'the commands stay');
    });
});
