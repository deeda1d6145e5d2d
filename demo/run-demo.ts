/**
 * The whole loop on one machine, no Slack workspace and no cluster: the real gateway process and the real CLI
 * on the embedded file store, with Slack's Web API and a Tekton EventListener played by servers on loopback.
 * Prints each step and exits 0 only if every step happened.   npm run demo
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeEventListener } from '../test/helpers/fake-event-listener';
import { FakeSlack } from '../test/helpers/fake-slack';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  waitFor,
} from '../test/helpers/slack-requests';
import { rejectWithReason } from './dialog-step';
import { DEMO_CLOUDEVENTS_TOKEN, playDeployRun } from './run-card-step';

const ROOT = resolve(__dirname, '..');
const SIGNING_SECRET = 'demo-signing-secret';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let step = 0;
const say = (title: string, detail = '') =>
  console.log(`${++step}. ${title}${detail ? `\n   ${detail}` : ''}`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'slackline-demo-'));
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  await slack.start();
  await listener.start();
  writeFileSync(
    join(dir, 'config.yaml'),
    readFileSync(join(ROOT, 'demo/config.yaml'), 'utf8').replaceAll('@SLACK@', slack.url),
  );
  writeFileSync(join(dir, 'app.yaml'), readFileSync(join(ROOT, 'demo/app.yaml'), 'utf8'));
  writeFileSync(
    join(dir, 'gateway.yaml'),
    `slackline:\n  store:\n    filestore: {path: ${join(dir, 'store')}}\n`,
  );

  const gateway = spawn(
    process.execPath,
    [join(ROOT, 'dist/slackline.js'), 'serve', '--config', 'gateway.yaml'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: 'xoxb-demo',
        SLACK_API_URL: `${slack.url}/api/`,
        SLACKLINE_EVENT_LISTENER_URL: `${listener.url}/el`,
        SLACKLINE_FORWARD_SECRET: 'demo-forward-secret',
        SLACKLINE_CLOUDEVENTS_TOKEN: DEMO_CLOUDEVENTS_TOKEN,
      },
    },
  );
  let gatewayOutput = '';
  gateway.stdout.on('data', (chunk: Buffer) => (gatewayOutput += chunk.toString()));
  gateway.stderr.on('data', (chunk: Buffer) => (gatewayOutput += chunk.toString()));
  try {
    const listening = await waitFor('the gateway to listen', () =>
      gatewayOutput.split('\n').find((line) => line.includes('"msg":"slackline listening"')),
    );
    const gatewayUrl = `http://127.0.0.1:${(JSON.parse(listening) as Json).port}`;
    say('Gateway started', `${gatewayUrl}/slack/events, file store ${join(dir, 'store')}`);

    // Asynchronous: the Slack and EventListener stand-ins answer from this same process.
    const cli = (...args: string[]) =>
      new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          [join(ROOT, 'dist/cicdstatemgr.js'), '--config', 'config.yaml', ...args],
          { cwd: dir, encoding: 'utf8' },
          (error, stdout, stderr) =>
            error
              ? fail(new Error(`cicdstatemgr ${args.join(' ')} failed:\n${stderr}`))
              : done(stdout.trim()),
        ),
      );
    const id = await cli(
      '--init-new',
      'hello-1.0.0-dev',
      '--init-app-config-file',
      'app.yaml',
      '--init-cicd-context-name',
      'dev',
      '--set',
      'state.appTag=1.0.0',
    );
    say('Context created by cicdstatemgr --init-new', id);

    await cli('--id', id, '--handle-event', 'build=success');
    const posted = slack.requests.find((r) => r.path === '/api/chat.postMessage')?.json as Json | undefined;
    if (!posted) throw new Error('no message was posted to Slack');
    const buttons = posted.attachments.flatMap((a: Json) =>
      a.blocks[1].elements.map((e: Json) => `[${e.text.text}]`),
    );
    say('Message with buttons posted by --handle-event build=success', `${posted.text} ${buttons.join(' ')}`);

    // --load first, as a Task step does: --get serves the local files, which the gateway does not write.
    const offeredChoice = async () => {
      await cli('--id', id, '--load');
      return Object.values(
        JSON.parse(await cli('--id', id, '--get', 'state.offeredChoices')) as Json,
      )[0] as Json;
    };
    const offered = await offeredChoice();
    const body = interactionBody(
      blockActionsPayload({
        channelId: offered.channel,
        messageTs: offered.messageTs,
        value: 'deploy-prod',
        userId: 'U0ANA',
        responseUrl: `${slack.url}/respond/demo`,
      }),
    );
    const ack = await fetch(`${gatewayUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...slackSignature(SIGNING_SECRET, body) },
      body,
    });
    if (ack.status !== 200) throw new Error(`the gateway answered ${ack.status} to the signed click`);
    say('Signed click on [Deploy to prod] by U0ANA verified and acknowledged', `HTTP ${ack.status}`);

    const forwarded = await waitFor('the forwarded event', () => listener.requests[0]);
    const event = forwarded.json as Json;
    const decision = await waitFor('the recorded delivery', async () => {
      const choice = await offeredChoice();
      return choice.decision?.delivery?.status === 'delivered' ? choice.decision : undefined;
    });
    say(
      'Decision recorded in the context document',
      `${decision.option.text} by ${decision.decidedBy} at ${decision.decidedAt}`,
    );
    say(
      'Normalized event delivered to the EventListener',
      `${event.schema} ${event.option.value} for ${event.context.id}, signed (${forwarded.headers['x-slackline-signature'] ? 'x-slackline-signature' : 'unsigned!'}), eventID ${decision.delivery.eventId}`,
    );
    const update = await waitFor('the chat.update', () =>
      slack.requests.find((r) => r.path === '/api/chat.update'),
    );
    say('Slack message updated', (update.json as Json).text);
    if (!forwarded.headers['x-slackline-signature'] || listener.requests.length !== 1) {
      throw new Error('the event was not forwarded exactly once, signed');
    }
    const card = await playDeployRun(gatewayUrl, slack, id);
    say("Run card of the deploy PipelineRun, from Tekton's CloudEvents, updated in place", card);

    // The next build is rejected, with a reason given in a modal.
    const next = await cli(
      '--init-new',
      'hello-1.1.0-dev',
      '--init-app-config-file',
      'app.yaml',
      '--init-cicd-context-name',
      'dev',
      '--set',
      'state.appTag=1.1.0',
    );
    await cli('--id', next, '--handle-event', 'build=success');
    await cli('--id', next, '--load');
    const nextChoice = Object.values(
      JSON.parse(await cli('--id', next, '--get', 'state.offeredChoices')) as Json,
    )[0] as Json;
    say('Context of the next build created, and its choice posted', `${next}: ${nextChoice.title}`);
    await rejectWithReason({
      gatewayUrl,
      signingSecret: SIGNING_SECRET,
      slack,
      listener,
      offered: nextChoice,
      say,
    });
    console.log('\nThe loop is closed: every step happened.');
  } finally {
    // The store is removed only once the gateway has stopped: it writes to it while it shuts down.
    const stopped = new Promise((done) =>
      gateway.exitCode !== null ? done(undefined) : gateway.once('exit', done),
    );
    gateway.kill('SIGTERM');
    const killer = setTimeout(() => gateway.kill('SIGKILL'), 10_000);
    await stopped;
    clearTimeout(killer);
    await slack.stop();
    await listener.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`\ndemo failed at step ${step + 1}: ${error.message}`);
  process.exitCode = 1;
});
