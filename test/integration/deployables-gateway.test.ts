import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { buildTestGateway, type TestGateway } from '../helpers/test-gateway';
import { createHttpClient, type HttpClient } from '../../src/http/http-client';
import { gatewayConfigFromManifests, TEST_SIGNING_SECRET } from '../helpers/gateway-config-from-manifests';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import { buildInstall } from '../helpers/kustomize-build';
import { requestUrls } from '../helpers/slack-manifest-checks';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  slashCommandBody,
  waitFor,
} from '../helpers/slack-requests';
import { probePaths } from '../helpers/tekton-checks';
import { EVERYTHING, WITH_HTTPS } from '../helpers/tekton-installs';
import {
  nameOf,
  ofKind,
  readManifests,
  TEKTON_DIR,
  type Doc,
  type Manifest,
} from '../helpers/tekton-manifests';

const ROOT = resolve(__dirname, '../..');

/**
 * What tekton/ and slack-manifest.json expect of the gateway, asked of the gateway itself, built from the
 * manifests' own settings: the probe paths, the Slack request URLs and slash commands, the interceptor paths.
 */
describe('deployables against the gateway they configure', function () {
  // The Secrets are the templates' (the gateway's keys); everything else as kustomize builds it.
  const secrets = readManifests(join(TEKTON_DIR, 'secrets')).manifests;
  let manifests: Manifest[];
  let https: Manifest[];
  const slackManifest = JSON.parse(readFileSync(join(ROOT, 'slack-manifest.json'), 'utf8'));
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let dir: string;
  let http: HttpClient;
  let gateway: TestGateway;
  let config: GatewayConfig;

  before(async function () {
    manifests = [...buildInstall(EVERYTHING), ...secrets];
    https = buildInstall(WITH_HTTPS);
    await slack.start();
    await listener.start();
    dir = mkdtempSync(join(tmpdir(), 'slackline-deployables-'));
    http = createHttpClient({ timeoutMs: 2000, maxAttempts: 1 });
    config = gatewayConfigFromManifests({
      manifests,
      dir,
      slackApiUrl: `${slack.url}/api/`,
      eventListenerUrl: `${listener.url}/el`,
    });
    gateway = buildTestGateway(config, { http });
  });

  after(async function () {
    await gateway?.close();
    await http?.close();
    await slack.stop();
    await listener.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves the Deployment's probe paths (HTTP and HTTPS variants)", async function () {
    for (const variant of [manifests, https]) {
      const deployment = ofKind(variant, 'Deployment').find((m) => nameOf(m) === 'slackline-gateway');
      const paths = probePaths(deployment as never);
      assert.deepEqual(paths.sort(), ['/healthz', '/readyz']);
      for (const path of paths) assert.equal((await request(gateway.app).get(path)).status, 200, path);
    }
  });

  it("listens on the port the Deployment and the image's EXPOSE name", function () {
    const deployment = ofKind(manifests, 'Deployment').find((m) => nameOf(m) === 'slackline-gateway');
    const ports = deployment?.doc['spec'].template.spec.containers[0].ports.map((p: Doc) => p.containerPort);
    assert.deepEqual(ports, [config.port]);
    assert.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), new RegExp(`^EXPOSE ${config.port}$`, 'm'));
  });

  it('answers Slack at every request URL of slack-manifest.json, and refuses what Slack did not sign', async function () {
    const urls = requestUrls(slackManifest);
    assert.ok(urls.length >= 2);
    for (const { where, url } of urls) {
      const path = new URL(url).pathname;
      assert.equal(path, config.slack.endpoint, where);
      const body = interactionBody(
        blockActionsPayload({
          channelId: 'C0NONE',
          messageTs: '1.000001',
          value: 'x',
          userId: 'U0ANA',
          responseUrl: `${slack.url}/respond`,
        }),
      );
      const signed = await request(gateway.app)
        .post(path)
        .set('content-type', FORM)
        .set(slackSignature(TEST_SIGNING_SECRET, body))
        .send(body);
      assert.equal(signed.status, 200, `${where}: ${signed.text}`);
      const unsigned = await request(gateway.app).post(path).set('content-type', FORM).send(body);
      assert.equal(unsigned.status, 401, `${where} without a signature`);
    }
  });

  it('handles every slash command of slack-manifest.json: configured, and forwarded to the EventListener', async function () {
    const commands: Doc[] = slackManifest.features.slash_commands;
    assert.ok(commands.length > 0);
    for (const { command } of commands) {
      const spec = config.commands[command];
      assert.ok(spec, `${command} is in the gateway's slackline.yaml`);
      const words = spec.args.map((a) => `${a}-value`).join(' ');
      const body = slashCommandBody(command, words, 'U0ANA', `${slack.url}/respond/${command.slice(1)}`);
      const before = listener.requests.length;
      const ack = await request(gateway.app)
        .post(config.slack.endpoint)
        .set('content-type', FORM)
        .set(slackSignature(TEST_SIGNING_SECRET, body))
        .send(body);
      assert.equal(ack.status, 200);
      const forwarded = await waitFor(`the forwarded ${command}`, () => listener.requests[before]);
      assert.equal((forwarded.json as Doc).command.name, command);
    }
  });

  it('serves the interceptor paths the ClusterInterceptor and the webhook interceptor call', async function () {
    const paths = new Set<string>();
    for (const variant of [manifests, https]) {
      for (const ci of ofKind(variant, 'ClusterInterceptor'))
        paths.add(ci.doc['spec'].clientConfig.service.path);
      for (const el of ofKind(variant, 'EventListener'))
        for (const t of el.doc['spec'].triggers)
          for (const i of t.interceptors) if (i.webhook) paths.add(new URL(i.webhook.url).pathname);
    }
    assert.deepEqual([...paths].sort(), ['/interceptor/cluster', '/interceptor/webhook']);
    for (const path of paths) {
      const answer = await request(gateway.app).post(path).set('content-type', 'application/json').send('{}');
      assert.notEqual(answer.status, 404, path);
      assert.match(String(answer.headers['content-type']), /json/, `${path} answers as an interceptor`);
    }
  });
});
