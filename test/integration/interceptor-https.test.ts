import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { silentLogger } from '../../src/core/logger';
import { listenWithGracefulShutdown, type ListeningServer } from '../../src/gateway/graceful-shutdown';
import { FORM, interactionBody, slackSignature, waitFor } from '../helpers/slack-requests';
import {
  AT_NOW,
  fixture,
  interceptorGatewayConfig,
  NOW_S,
  recordDeployChoice,
  SLACK_SECRET,
} from '../helpers/interceptor-fixtures';
import { buildTestGateway, type TestGateway } from '../helpers/test-gateway';

const SLACKLINE = resolve(__dirname, '../../dist/slackline.js');

/** A self-signed certificate for localhost and 127.0.0.1, valid for a day, made for this run only. */
function makeCertificate(dir: string): { cert: Buffer; key: Buffer; certFile: string; keyFile: string } {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile };
}

function httpsPost(url: string, body: string, ca?: Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((done, fail) => {
    const req = https.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, ...(ca ? { ca } : {}) },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** The request of one trigger: each trigger lets an event through once (see pass-once.ts). */
function interceptorRequest(trigger = 'namespaces/ci/triggers/t'): string {
  const body = interactionBody(fixture('block-actions.payload.json'));
  const header = { 'Content-Type': [FORM] } as Record<string, string[]>;
  for (const [name, value] of Object.entries(slackSignature(SLACK_SECRET, body, NOW_S)))
    header[name] = [value];
  return JSON.stringify({
    body,
    header,
    context: {
      event_url: '/',
      event_id: '6d2b5d0e-3f4c-4a8e-9b61-0c8f2a9d7e11',
      trigger_id: trigger,
    },
  });
}

describe('interceptors over HTTPS, with a test certificate', function () {
  let dir: string;
  let tls: ReturnType<typeof makeCertificate>;

  before(function () {
    if (spawnSync('openssl', ['version']).error) {
      console.warn('    skipped: openssl is not on the PATH, so no test certificate can be made');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'slackline-tls-'));
    tls = makeCertificate(dir);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  describe('the gateway app behind listenWithGracefulShutdown', function () {
    let gateway: TestGateway;
    let listening: ListeningServer;
    let url: string;
    before(async function () {
      gateway = buildTestGateway(interceptorGatewayConfig(), AT_NOW);
      await recordDeployChoice(gateway.store);
      listening = await listenWithGracefulShutdown(gateway.app, {
        port: 0,
        host: '127.0.0.1',
        shutdownTimeoutMs: 1000,
        logger: silentLogger,
        signals: [],
        onClose: async () => {},
        tls: { cert: tls.cert, key: tls.key },
      });
      url = `https://127.0.0.1:${(listening.server.address() as AddressInfo).port}/interceptor/cluster`;
    });
    after(async () => {
      await listening?.shutdown();
      await gateway?.close();
    });

    it('answers the ClusterInterceptor exactly as over HTTP', async function () {
      const overHttps = await httpsPost(url, interceptorRequest('namespaces/ci/triggers/https'), tls.cert);
      const overHttp = await request(gateway.app)
        .post('/interceptor/cluster')
        .set('content-type', 'application/json')
        .send(interceptorRequest('namespaces/ci/triggers/http'));
      assert.equal(overHttps.status, 200);
      assert.equal((overHttps.body as { continue: boolean }).continue, true);
      assert.deepEqual(overHttps.body, overHttp.body);
    });

    it('is refused by a client that does not trust the certificate (the caBundle is what makes it work)', async function () {
      await assert.rejects(httpsPost(url, interceptorRequest()), /self[- ]signed certificate/);
    });
  });

  describe('slackline serve with TLS_CERT_FILE and TLS_KEY_FILE (the built gateway)', function () {
    this.timeout(30_000);
    let child: ChildProcess;
    let logs = '';
    before(async function () {
      child = spawn(process.execPath, [SLACKLINE, 'serve'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          PORT: '0',
          HOST: '127.0.0.1',
          SLACK_SIGNING_SECRET: SLACK_SECRET,
          SLACK_BOT_TOKEN: 'xoxb-tls',
          SLACKLINE_EVENT_LISTENER_URL: 'http://127.0.0.1:9/',
          TLS_CERT_FILE: tls.certFile,
          TLS_KEY_FILE: 'tls.key',
        },
      });
      child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    });
    after(() => {
      if (child?.exitCode === null) child.kill('SIGTERM');
    });

    it('will not start with a certificate file that holds no certificate, and says so', function () {
      const run = spawnSync(process.execPath, [SLACKLINE, 'serve'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 10_000,
        env: {
          PATH: process.env.PATH,
          PORT: '0',
          HOST: '127.0.0.1',
          SLACK_SIGNING_SECRET: SLACK_SECRET,
          SLACK_BOT_TOKEN: 'xoxb-tls',
          SLACKLINE_EVENT_LISTENER_URL: 'http://127.0.0.1:9/',
          TLS_CERT_FILE: tls.keyFile,
          TLS_KEY_FILE: tls.keyFile,
        },
      });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /^slackline: error: the TLS certificate and key are not usable: /);
    });

    it('serves the interceptors over HTTPS', async function () {
      const line = await waitFor('the listening log line', () =>
        logs.split('\n').find((l) => l.includes('"msg":"slackline listening"')),
      );
      const { port, protocol } = JSON.parse(line) as { port: number; protocol: string };
      assert.equal(protocol, 'https');
      // Its clock is the real one: an unsigned request is enough to see the interceptor answer over TLS.
      const response = await httpsPost(
        `https://127.0.0.1:${port}/interceptor/cluster`,
        JSON.stringify({ body: 'payload=%7B%7D', context: null }),
        tls.cert,
      );
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        continue: false,
        status: {
          code: 3,
          message:
            'not a Slack request or slackline event: the payload field is not a JSON object with a type',
        },
      });
    });
  });
});
