import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../helpers/fake-slack';
import { seedContext, storedChoice, type SeededChoice } from '../helpers/seed-context';
import { flushTestKeys, testRedisUrl, uniqueKeyPrefix } from '../helpers/redis';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { blockActionsPayload, interactionBody, waitFor } from '../helpers/slack-requests';
import { redisStoreConfig } from '../helpers/store-configs';
import { buildTestGateway, testGatewayConfig, type TestGateway } from '../helpers/test-gateway';
import { Workspace } from '../helpers/workspace';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const marker = globalThis as { __pwned?: unknown };

describe('hostile input to the gateway', function () {
  this.timeout(60_000);
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  const logLines: string[] = [];
  let url: string;
  let prefix: string;
  let gateway: TestGateway;
  let canaryDir: string;
  let canary: string;

  /** Template escapes that, if rendered anywhere, would set a global, write a file, or print something else. */
  let payloads: string[];

  before(async function () {
    await slack.start();
    await listener.start();
    url = await testRedisUrl();
    prefix = uniqueKeyPrefix('hostile');
    canaryDir = mkdtempSync(join(tmpdir(), 'slackline-canary-'));
    canary = join(canaryDir, 'rendered');
    payloads = [
      `{{range.constructor("return process")()}}`,
      `{{ range.constructor("global.__pwned=1; global.process.mainModule.require('fs').writeFileSync('${canary}','x')")() }}`,
      `{{ ''.constructor.constructor('global.__pwned=1')() }}`,
      '{{ 7*7 }}{% for x in range(3) %}{{ x }}{% endfor %}',
      '${7*7} #{7*7} <%= 7*7 %> {{= 7*7 }}',
      'file:///etc/passwd',
    ];
    gateway = buildTestGateway(
      testGatewayConfig(
        {
          store: redisStoreConfig(url, prefix),
          commands: { '/deploy': { args: ['env', 'app', 'tag'], route: 'deploy' } },
          maxBodyBytes: 256 * 1024,
          logLevel: 'debug',
        },
        { slack, listener },
      ),
      { logLines },
    );
    await gateway.listen();
  });

  after(async function () {
    await gateway.close();
    await flushTestKeys(url, prefix);
    await slack.stop();
    await listener.stop();
    rmSync(canaryDir, { recursive: true, force: true });
    delete marker.__pwned;
  });

  let seq = 0;
  async function offer(options?: Array<{ text: string; value: string }>): Promise<SeededChoice> {
    seq++;
    const [choice] = await seedContext(gateway.store, {
      contextId: `hostile-${seq}`,
      choices: [{ channel: 'C0HOSTILE', ts: `1720000${seq}.000100`, ...(options ? { options } : {}) }],
    });
    return choice!;
  }
  const ephemeralOf = (tag: string) =>
    slack.requests.find((r) => r.path === `/respond/${tag}`)?.json as Doc | undefined;
  const noSideEffect = () => {
    assert.equal(marker.__pwned, undefined, 'a template ran in the gateway');
    assert.equal(existsSync(canary), false, 'a template wrote a file');
  };

  describe('template injection', function () {
    it('forwards and records button values, option texts and user names as the text they are', async function () {
      for (const [i, payload] of payloads.entries()) {
        const choice = await offer([{ text: payload, value: payload }]);
        await gateway.click(
          {
            channelId: choice.channel,
            messageTs: choice.ts,
            value: payload,
            userId: 'U0ANA',
            responseUrl: `${slack.url}/respond/tpl-${i}`,
          },
          (p) => {
            p.user.name = payload;
            p.user.username = payload;
            p.channel.name = payload;
          },
        );
        const forwarded = await waitFor('the forward', () => listener.forwardsOf(choice.choiceId)[0]);
        const event = forwarded.json as Doc;
        assert.equal(event.option.value, payload);
        assert.equal(event.option.text, payload);
        assert.equal(event.user.name, payload);
        assert.equal(event.user.username, payload);
        assert.equal(event.cicdstatemgr.slackUserFullName, payload);
        assert.ok(
          forwarded.text.includes(JSON.stringify(payload).slice(1, -1)),
          'the literal text is in the body',
        );
        const record = await waitFor('the delivery record', async () => {
          const c = await storedChoice(gateway.store, choice);
          return c?.decision?.delivery?.status === 'delivered' && c;
        });
        assert.equal(record.decision.option.value, payload);
        assert.equal(record.decision.option.text, payload);
        assert.equal((record.audit as Doc[]).find((a) => a.action === 'decided')?.value, payload);
      }
      noSideEffect();
    });

    it('records a click on a value never offered as its literal text, and forwards nothing', async function () {
      const choice = await offer();
      const payload = payloads[1] as string;
      await gateway.click({
        channelId: choice.channel,
        messageTs: choice.ts,
        value: payload,
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/unknown-option`,
      });
      const refusal = await waitFor('the refusal', () => ephemeralOf('unknown-option'));
      assert.match(refusal.text, /not one of the options/);
      const record = (await storedChoice(gateway.store, choice)) as Doc;
      assert.equal(record.status, 'open');
      assert.equal((record.audit as Doc[])[0]?.value, payload);
      assert.equal(listener.forwardsOf(choice.choiceId).length, 0);
      noSideEffect();
    });

    it('forwards slash-command text, arguments and user names as text', async function () {
      const text = `${payloads[3]} ${payloads[0]} ${payloads[2]}`;
      const before = listener.requests.length;
      const body = new URLSearchParams({
        team_id: 'T0TEST',
        channel_id: 'C0CMD',
        channel_name: payloads[0] as string,
        user_id: 'U0ANA',
        user_name: payloads[1] as string,
        command: '/deploy',
        text,
        response_url: `${slack.url}/respond/cmd-tpl`,
        trigger_id: '1.2.3',
      }).toString();
      assert.equal((await gateway.post(body)).status, 200);
      const forwarded = await waitFor('the command forward', () => listener.requests[before]);
      const event = forwarded.json as Doc;
      assert.equal(event.command.text, text);
      const words = text.split(/\s+/);
      assert.deepEqual(event.command.args, {
        env: words[0],
        app: words[1],
        tag: words.slice(2).join(' '),
      });
      assert.equal(event.user.username, payloads[1]);
      const answer = await waitFor('the confirmation', () => ephemeralOf('cmd-tpl'));
      assert.ok(String(answer.text).includes(text), 'the confirmation quotes the text as typed');
      noSideEffect();
    });

    it('end to end: a Slack-sourced value read with the CLI --get is rendered, and the sandbox refuses it', async function () {
      const payload = payloads[1] as string;
      const choice = await offer([{ text: 'Go', value: payload }]);
      await gateway.click({
        channelId: choice.channel,
        messageTs: choice.ts,
        value: payload,
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/cli-get`,
      });
      await waitFor('the delivery record', async () => {
        const c = await storedChoice(gateway.store, choice);
        return c?.decision?.delivery?.status === 'delivered';
      });
      const { hostname, port } = new URL(url);
      const ws = new Workspace({
        type: 'redis',
        host: hostname,
        port: Number(port || 6379),
        keyPrefix: prefix,
      });
      try {
        const got = await ws.runOk([
          '--id',
          choice.contextId,
          '--get',
          `state.offeredChoices['${choice.choiceId}'].decision.option.value`,
        ]);
        assert.equal(got.stdout, `<jinja2 parse error> ${payload}\n`);
      } finally {
        ws.remove();
      }
      assert.equal(existsSync(canary), false, 'the CLI ran the template');
      noSideEffect();
    });
  });

  describe('huge and deeply nested payloads', function () {
    const DEPTH = 100_000;
    const deep = '['.repeat(DEPTH) + ']'.repeat(DEPTH);

    it('refuses each at once without parsing it, and a concurrent normal click goes through', async function () {
      const normal = await offer();
      const clickOn = (choice: SeededChoice, tag: string) =>
        blockActionsPayload({
          channelId: choice.channel,
          messageTs: choice.ts,
          value: choice.values[0] as string,
          userId: 'U0ANA',
          responseUrl: `${slack.url}/respond/${tag}`,
        });
      const withDeep = (payload: ReturnType<typeof clickOn>, change: (p: Doc) => void) => {
        const copy = JSON.parse(JSON.stringify(payload)) as Doc;
        change(copy);
        return JSON.stringify(copy).replace('"__DEEP__"', deep);
      };
      const deepBlocks = withDeep(clickOn(normal, 'deep-blocks'), (p) => (p.message.blocks = '__DEEP__'));
      const deepValue = withDeep(clickOn(normal, 'deep-value'), (p) => (p.actions[0].value = '__DEEP__'));
      const hostile: Array<[string, string, string]> = [
        ['a deep array as the payload', `payload=${deep}`, 'application/x-www-form-urlencoded'],
        ['a deep array inside the payload', `payload=${deepValue}`, 'application/x-www-form-urlencoded'],
        ['deep blocks in the clicked message', `payload=${deepBlocks}`, 'application/x-www-form-urlencoded'],
        ['a deep JSON event body', `{"type":"event_callback","event":${deep}}`, 'application/json'],
        ['a body over the limit', `payload=${'x'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded'],
        ['a deep unsigned body', `payload=${deep}`, 'unsigned'],
      ];
      for (const [what, body] of hostile) assert.ok(body.length < 300 * 1024 + 20, what);

      const sent = hostile.map(([, body, type]) =>
        type === 'unsigned'
          ? gateway.post(body, { signed: false })
          : gateway.post(body, { contentType: type }),
      );
      const normalClick = gateway.post(interactionBody(clickOn(normal, 'normal')));
      const answers = await Promise.all(sent);
      assert.equal((await normalClick).status, 200);

      const answered = Object.fromEntries(
        hostile.map(([what], i) => [
          what,
          `${answers[i]!.status} ${(JSON.parse(answers[i]!.text) as Doc).error}`,
        ]),
      );
      assert.deepEqual(answered, {
        'a deep array as the payload': '400 payload is nested more than 64 deep',
        'a deep array inside the payload': '400 payload is nested more than 64 deep',
        'deep blocks in the clicked message': '400 payload is nested more than 64 deep',
        'a deep JSON event body': '400 body is nested more than 64 deep',
        'a body over the limit': '413 request body too large',
        'a deep unsigned body': '401 invalid Slack signature',
      });
      await waitFor('the normal click forwarded', () => listener.forwardsOf(normal.choiceId)[0], 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(listener.forwardsOf(normal.choiceId).length, 1, 'only the normal click was forwarded');
      const health = await fetch(`${gateway.url}/healthz`);
      assert.equal(health.status, 200);
    });
  });

  describe('header and log injection', function () {
    const injected = 'ana\r\nX-Injected: yes\r\n\r\n{"level":"error","msg":"forged"}\n';

    it('keeps every log line one JSON object, and adds no header to any request it makes', async function () {
      const choice = await offer([{ text: `Go${injected}`, value: `go${injected}` }]);
      logLines.length = 0;
      await gateway.click(
        {
          channelId: choice.channel,
          messageTs: choice.ts,
          value: `go${injected}`,
          userId: 'U0ANA',
          responseUrl: `${slack.url}/respond/inject-1`,
        },
        (p) => {
          p.user.name = injected;
          p.user.username = injected;
          p.channel.name = injected;
          p.team.id = injected;
        },
      );
      // Refused clicks are logged with the channel and user they came with.
      await gateway.click(
        {
          channelId: choice.channel,
          messageTs: choice.ts,
          value: `no${injected}`,
          userId: `U0EVE${injected}`,
          responseUrl: `${slack.url}/respond/inject-2`,
        },
        (p) => {
          p.container.channel_id = `${choice.channel}`;
        },
      );
      const command = new URLSearchParams({
        channel_id: `C0CMD${injected}`,
        channel_name: injected,
        user_id: `U0ANA${injected}`,
        user_name: injected,
        command: '/deploy',
        text: `qa app ${injected}`,
        response_url: `${slack.url}/respond/inject-3`,
      }).toString();
      await gateway.post(command);
      const unknownCommand = command.replace('%2Fdeploy', `%2Fnope${encodeURIComponent(injected)}`);
      await gateway.post(unknownCommand);
      await waitFor('the forward', () => listener.forwardsOf(choice.choiceId)[0]);
      await waitFor('the answers', () => ephemeralOf('inject-2') && ephemeralOf('inject-3'));

      const lines = logLines
        .join('')
        .split('\n')
        .filter((l) => l !== '');
      assert.ok(lines.length > 0, 'the gateway logged something');
      for (const line of lines) {
        const parsed: unknown = JSON.parse(line);
        assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), line);
        assert.notEqual((parsed as Doc).msg, 'forged', 'a forged log line');
      }
      assert.ok(
        lines.some((l) => l.includes(JSON.stringify(injected).slice(1, -1))),
        'the hostile text was logged, escaped, inside a line',
      );

      const outbound = [
        ...listener.requests.map((r) => r.rawHeaders),
        ...slack.requests.map((r) => Object.keys(r.headers)),
      ];
      for (const names of outbound) {
        for (const name of names) assert.doesNotMatch(String(name), /x-injected|^\{/i);
      }
      const event = listener.forwardsOf(choice.choiceId)[0]!.json as Doc;
      assert.equal(event.user.name, injected);
      assert.equal(event.option.value, `go${injected}`);
    });
  });
});
