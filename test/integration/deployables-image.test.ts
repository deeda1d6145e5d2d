import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseDockerfile } from '../helpers/dockerfile';
import { buildImageTree, mib, treeBytes, type StageTree } from '../helpers/image-tree';
import { freePort } from '../helpers/loopback-port';
import { testRedisUrl } from '../helpers/redis';
import { waitFor } from '../helpers/slack-requests';

const ROOT = resolve(__dirname, '../..');

/**
 * The image's files, made by following the Dockerfile (its deps stage's `npm ci --omit=dev` and pruning really
 * run; the build stage is the repository's own `npm run build` output), and both entry points started from
 * them alone: only the runtime stage's node_modules and dist/ can be loaded.
 */
describe('the image, built from the Dockerfile as a file tree', function () {
  this.timeout(180_000);
  let dir: string;
  let runtime: StageTree;
  const bin = (name: string) => join(runtime.root, 'usr/local/bin', name);
  // The machine's node stands for the image's: the bins' `#!/usr/bin/env node` finds it first on PATH.
  const env = () => ({ PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...runtime.env });

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'slackline-image-'));
    const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    const trees = buildImageTree(stages, { context: ROOT, dir, prebuilt: { build: ['dist'] } });
    runtime = trees.at(-1) as StageTree;
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds only the bundles and the three external packages with their dependencies, and says its size', function () {
    const app = join(runtime.root, 'app');
    const modules = join(app, 'node_modules');
    const packages = execFileSync('ls', [modules], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const name of ['ioredis', 'nunjucks', 'undici']) assert.ok(packages.includes(name), name);
    for (const name of ['@slack', 'express', 'pino', 'js-yaml', 'prom-client'])
      assert.ok(!packages.includes(name), `${name} is bundled, not shipped`);
    const size = treeBytes(modules);
    console.log(
      `      image tree: /app ${mib(treeBytes(app))} (node_modules ${mib(size)}, ${packages.length} entries; dist ${mib(treeBytes(join(app, 'dist')))})`,
    );
    assert.ok(size < 10 * 1024 * 1024, `node_modules is ${mib(size)}`);
  });

  it('runs cicdstatemgr --help from the tree', function () {
    const out = execFileSync(bin('cicdstatemgr'), ['--help'], { encoding: 'utf8', env: env(), cwd: dir });
    assert.match(out, /--init-new/);
  });

  it('starts slackline serve from the tree, which answers /healthz and, with Redis, /readyz', async function () {
    const port = await freePort();
    const child = spawn(bin('slackline'), ['serve'], {
      cwd: dir,
      env: {
        ...env(),
        PORT: String(port),
        HOST: '127.0.0.1',
        SLACK_SIGNING_SECRET: 'image-secret',
        SLACK_BOT_TOKEN: 'xoxb-image',
        SLACKLINE_EVENT_LISTENER_URL: 'http://127.0.0.1:9/',
        REDIS_URL: await testRedisUrl(),
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const health = await waitFor(`/healthz (output so far: ${output})`, async () => {
        if (child.exitCode !== null) throw new Error(`slackline serve exited ${child.exitCode}: ${output}`);
        return fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r,
          () => undefined,
        );
      });
      assert.equal(health.status, 200);
      const ready = await waitFor('/readyz 200', async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        return r.status === 200 ? r : undefined;
      });
      assert.equal(ready.status, 200, 'Redis reached through the shipped ioredis');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
