import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FileStore } from '../../src/store/file/file-store';
import { FakeSlack } from '../helpers/fake-slack';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { Workspace } from '../helpers/workspace';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Handlers whose values come from the document, i.e. from data: Slack, HTTP answers, other pipelines. */
const HOSTILE_APP = `bases:
- core.yaml
cicd-contexts:
  qa:
    pipelines:
      hostile:
        event-handlers:
          copy:
            set-values:
              set:
              - from: "{{ state.untrusted }}"
                to: state.copied
              - from: "{{ state.untrustedRelative }}"
                to: state.copiedRelative
          echo:
            notify:
              message: "{{ state.untrusted }}"
          leak:
            notify:
              message: "leaked: {{ ctx.leak }}"
          trigger:
            trigger-pipeline:
              name: deploy
              args:
                a: "1"
`;

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) =>
    statSync(join(dir, p)).isFile(),
  );
}

describe('hostile input to the CLI', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let ws: Workspace;
  let store: FileStore;

  before(async function () {
    await slack.start();
    await listener.start();
    ws = new Workspace({ type: 'filestore' }, { slackUrl: slack.url, triggerUrl: listener.url });
    ws.write('hostile-app.yaml', HOSTILE_APP);
    store = new FileStore(join(ws.dir, 'store'));
  });

  after(async function () {
    ws.remove();
    await slack.stop();
    await listener.stop();
  });

  /** A context whose `state` holds values as the gateway or a capture would have stored them (never via --set). */
  async function contextWith(id: string, state: Record<string, unknown>): Promise<void> {
    await ws.initFrom('hostile-app.yaml', id);
    await store.update(id, (doc) => ({ ...doc, state: { ...(doc?.['state'] as Doc), ...state } }));
  }

  describe('file:// in data', function () {
    const secrets = () => ws.read('secrets.yaml');

    it('set-values stores a rendered file:// value as its text, absolute or relative', async function () {
      const id = Workspace.uniqueId('file');
      await contextWith(id, {
        untrusted: 'file:///etc/passwd',
        untrustedRelative: 'file://secrets.yaml',
      });
      await ws.runOk(['--id', id, '--handle-event', 'hostile=copy']);
      const state = (await store.load(id))?.['state'] as Doc;
      assert.equal(state.copied, 'file:///etc/passwd');
      assert.equal(state.copiedRelative, 'file://secrets.yaml');
    });

    it("a capture of Slack's answer stores file:// text as it is", async function () {
      const id = Workspace.uniqueId('capture');
      await contextWith(id, { untrusted: 'file://secrets.yaml' });
      const before = slack.requests.length;
      await ws.runOk(['--id', id, '--handle-event', 'hostile=echo']);
      const posted = slack.requests[before]?.json as Doc;
      assert.equal(posted.text, 'file://secrets.yaml');
      const state = (await store.load(id))?.['state'] as Doc;
      const captured = Object.values(state.postedData as Doc).map((p: Doc) => p.text);
      assert.deepEqual(captured, ['file://secrets.yaml']);
    });

    it('a --tmpl-ctx-var whose JSONPath finds file:// text in the document does not read the file', async function () {
      const id = Workspace.uniqueId('ctxvar');
      await contextWith(id, { untrusted: 'file://secrets.yaml' });
      const before = slack.requests.length;
      await ws.runOk([
        '--id',
        id,
        '--handle-event',
        'hostile=leak',
        '--tmpl-ctx-var',
        'ctx.leak=state.untrusted',
      ]);
      const posted = slack.requests[before]?.json as Doc;
      assert.equal(posted.text, 'leaked: file://secrets.yaml');
      assert.ok(!JSON.stringify(slack.requests).includes('3ecret1!'), 'a secret went to Slack');
      assert.ok(secrets().includes('3ecret1!'), 'the secret it would have leaked is in secrets.yaml');
    });

    it('an operator may still name a file on the command line', async function () {
      const id = Workspace.uniqueId('operator');
      await contextWith(id, {});
      const before = slack.requests.length;
      await ws.runOk([
        '--id',
        id,
        '--handle-event',
        'hostile=leak',
        '--tmpl-ctx-var',
        'ctx.leak=file://set.simple.txt',
      ]);
      const posted = slack.requests[before]?.json as Doc;
      assert.equal(posted.text, `leaked: ${ws.read('set.simple.txt').trim()}`);
      await ws.runOk(['--id', id, '--set', 'state.fromFile=file://set.list.json']);
      assert.deepEqual(
        ((await store.load(id))?.['state'] as Doc).fromFile,
        JSON.parse(ws.read('set.list.json')),
      );
    });
  });

  describe('context ids that look like paths, on the file store', function () {
    const ids = [
      '../../etc/passwd',
      '../escaped',
      '..',
      '.',
      'a/b/../../c',
      '/tmp/absolute',
      '..\\..\\windows',
      '%2e%2e%2fencoded',
      'nested/dir/id',
      'CON',
    ];

    it('keeps every document inside the store directory, and reads each back by its id', async function () {
      const topLevel = readdirSync(ws.dir).sort();
      for (const [i, id] of ids.entries()) {
        await ws.initFrom('hostile-app.yaml', id);
        await ws.runOk(['--id', id, '--set', `state.marker=m${i}`]);
        const state = JSON.parse(await ws.get(id, 'state')) as Doc;
        assert.deepEqual([state.cicdContextDataId, state.marker], [id, `m${i}`]);
      }
      assert.deepEqual(
        readdirSync(ws.dir).sort(),
        topLevel,
        'no file or directory appeared in the workspace',
      );
      const storeDir = join(ws.dir, 'store');
      const stored = filesUnder(storeDir).filter((f) => f.endsWith('.yaml'));
      for (const id of ids) assert.ok(stored.includes(`${encodeURIComponent(id)}.yaml`), `${id}: ${stored}`);
      for (const file of stored) {
        assert.equal(dirname(file), '.', `${file} is directly in the store directory`);
        assert.equal(dirname(resolve(storeDir, file)), storeDir);
      }
      assert.equal(existsSync(join(ws.dir, '..', 'escaped.yaml')), false);
      assert.equal(existsSync(join(ws.dir, '..', 'escaped')), false);
      assert.equal(existsSync('/tmp/absolute.yaml'), false);
    });

    it('never reads a file outside the store for an id', async function () {
      const result = await ws.run(['--id', '../../../../../../../../etc/passwd', '--get', 'state']);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /no context "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" in file store/,
      );
      assert.equal(result.stdout, '');
    });

    it('indexes messages whose channel and ts look like paths inside the store directory', async function () {
      await store.indexMessage('../../escape', '../1.000', 'id-x');
      assert.equal(await store.findMessage('../../escape', '../1.000'), 'id-x');
      const messages = filesUnder(join(ws.dir, 'store', 'messages'));
      assert.ok(messages.length > 0 && messages.every((f) => dirname(f) === '.'), messages.join(', '));
    });
  });

  describe('header injection through a rendered trigger header', function () {
    it('refuses a rendered header value holding CR/LF, and sends nothing', async function () {
      const id = Workspace.uniqueId('header');
      const config = ws.read('config.yaml');
      ws.write(
        'config.yaml',
        config.replace('value: "{{ triggerPipeline.name }}"', 'value: "{{ state.headerValue }}"'),
      );
      try {
        await contextWith(id, { headerValue: 'deploy\r\nX-Injected: yes' });
        const before = listener.requests.length;
        const result = await ws.run(['--id', id, '--handle-event', 'hostile=trigger']);
        // Refused before anything was sent, with one clear line naming the header.
        assert.equal(result.code, 1);
        assert.match(
          result.stderr,
          /trigger-pipeline default: .* failed: invalid x-cicdstatemgr-pipeline-name header/,
        );
        assert.equal(listener.requests.length, before);
      } finally {
        ws.write('config.yaml', config);
      }
    });
  });
});
