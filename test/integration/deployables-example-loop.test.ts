import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { dumpYaml, parseYaml } from '../../src/compat/yaml/yaml';
import { buildTestGateway, type TestGateway } from '../helpers/test-gateway';
import { createHttpClient, type HttpClient } from '../../src/http/http-client';
import { FileStore } from '../../src/store/file/file-store';
import { gatewayConfigFromManifests, TEST_SIGNING_SECRET } from '../helpers/gateway-config-from-manifests';
import { FakeEventListener } from '../helpers/fake-event-listener';
import { FakeSlack } from '../helpers/fake-slack';
import {
  blockActionsPayload,
  FORM,
  interactionBody,
  slackSignature,
  slashCommandBody,
  viewSubmissionPayload,
  waitFor,
} from '../helpers/slack-requests';
import { buildInstall } from '../helpers/kustomize-build';
import { EVERYTHING } from '../helpers/tekton-installs';
import {
  nameOf,
  ofKind,
  readManifests,
  TEKTON_DIR,
  type Doc,
  type Manifest,
} from '../helpers/tekton-manifests';
import { TektonRunner, type PipelineRunResult } from '../helpers/tekton-runner';
import { bindParams, instantiate, lookupPath } from '../helpers/tekton-triggers';

/**
 * The example of tekton/ run end to end on this machine, with no cluster: the manifests' own gateway settings,
 * Tasks, Pipelines, cicdstatemgr config, TriggerBindings and TriggerTemplates, with Redis swapped for the file
 * store and Slack and the EventListener played on loopback. /deploy starts example-build, whose success posts
 * the approval; a click on Deploy is forwarded, bound and templated into an example-deploy PipelineRun, which
 * runs and reports in the thread. CEL filters are the one part not evaluated: only the paths they read are
 * checked against the real events.
 */
describe('tekton/ example loop: /deploy, build, approval in Slack, deploy', function () {
  this.timeout(120_000);
  // The Secrets are the templates' (their keys, test values); everything else as kustomize builds it.
  const secrets = readManifests(join(TEKTON_DIR, 'secrets'));
  let manifests: Manifest[];
  const slack = new FakeSlack();
  const listener = new FakeEventListener();
  let dir: string;
  let storeDir: string;
  let runner: TektonRunner;
  let http: HttpClient;
  let app: TestGateway['app'];
  let gateway: TestGateway;

  before(async function () {
    assert.deepEqual(secrets.problems, []);
    manifests = [...buildInstall(EVERYTHING), ...secrets.manifests];
    await slack.start();
    await listener.start();
    dir = mkdtempSync(join(tmpdir(), 'slackline-loop-'));
    runner = new TektonRunner({
      manifests,
      dir,
      rewriteFile: (file, text) =>
        file === 'config.yaml' ? localConfig(text) : file === 'secrets.yaml' ? localSecrets(text) : text,
    });
    http = createHttpClient({ timeoutMs: 2000, maxAttempts: 2 });
    const config = gatewayConfigFromManifests({
      manifests,
      dir,
      slackApiUrl: `${slack.url}/api/`,
      eventListenerUrl: `${listener.url}/el-slackline`,
    });
    storeDir = join(dir, 'store');
    gateway = buildTestGateway(config, { http });
    ({ app } = gateway);
  });

  after(async function () {
    await gateway?.close();
    await http?.close();
    await slack.stop();
    await listener.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** config.yaml of the cicdstatemgr-config ConfigMap, with the file store for Redis and the fake Slack. */
  function localConfig(text: string): string {
    const config = parseYaml(text) as Doc;
    const datasources = config['cicdstatemgr'].datasources as Doc;
    assert.equal(datasources['redis']?.isPrimary, true, 'the example keeps its state in Redis');
    delete datasources['redis'];
    datasources['filestore'] = { path: storeDir, isPrimary: true };
    config['cicdstatemgr'].slack.url = slack.apiUrl('chat.postMessage');
    return dumpYaml(config);
  }

  /** secrets.yaml without the Redis password: there is no Redis here (it would add a Redis datasource). */
  function localSecrets(text: string): string {
    const secrets = parseYaml(text) as Doc;
    assert.ok(
      secrets['cicdstatemgr'].datasources.redis.password,
      'the Redis password comes from secrets.yaml',
    );
    delete secrets['cicdstatemgr'].datasources;
    return dumpYaml(secrets);
  }

  /**
   * What EventListener `elName` does with one request for its trigger `triggerName`: its interceptors in order
   * (the slackline ones are the gateway's real endpoints, at the paths the manifests give; a CEL filter is only
   * checked for reading paths that exist), then its bindings and template, then the PipelineRun.
   */
  async function trigger(elName: string, triggerName: string, incoming: { text: string; headers: Doc }) {
    const el = ofKind(manifests, 'EventListener').find((m) => nameOf(m) === elName);
    const spec = el?.doc['spec'].triggers.find((t: Doc) => t.name === triggerName);
    assert.ok(spec, `EventListener ${elName} has a trigger ${triggerName}`);
    let body: string = incoming.text;
    let headers: Record<string, string> = canonical(incoming.headers);
    const extensions: Doc = {};
    for (const interceptor of spec.interceptors) {
      if (interceptor.webhook) {
        // Legacy webhook: a 200 answer's body and headers replace the event's.
        const answer = await request(app)
          .post(new URL(interceptor.webhook.url).pathname)
          .set(headers)
          .send(body);
        assert.equal(answer.status, 200, `webhook interceptor: ${answer.text}`);
        body = answer.text;
        headers = canonical(answer.headers);
      } else if (interceptor.ref.name === 'slackline') {
        const ci = ofKind(manifests, 'ClusterInterceptor').find((m) => nameOf(m) === 'slackline');
        const params = Object.fromEntries((interceptor.params ?? []).map((p: Doc) => [p.name, p.value]));
        const answer = await request(app)
          .post(ci?.doc['spec'].clientConfig.service.path)
          .send({
            body,
            header: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
            ...(Object.keys(params).length > 0 ? { interceptor_params: params } : {}),
            context: { event_id: 'e-1', trigger_id: `namespaces/slackline/triggers/${triggerName}` },
          });
        assert.equal(answer.status, 200);
        assert.equal(answer.body.continue, true, JSON.stringify(answer.body.status));
        Object.assign(extensions, answer.body.extensions);
      } else {
        assert.equal(interceptor.ref.name, 'cel');
        const event = { body: JSON.parse(body), extensions };
        for (const p of interceptor.params ?? []) {
          for (const [path] of String(p.value).matchAll(/\b(?:body|extensions)(?:\.\w+)+/g))
            assert.notEqual(lookupPath(event, path), undefined, `${triggerName}'s CEL reads ${path}`);
        }
      }
    }
    const event = { body: JSON.parse(body), header: headers, extensions };
    const params: Record<string, string> = {};
    for (const ref of spec.bindings) {
      const binding = ofKind(manifests, 'TriggerBinding').find((m) => nameOf(m) === ref.ref);
      assert.ok(binding, `TriggerBinding ${ref.ref}`);
      Object.assign(params, bindParams(binding.doc, event).params);
    }
    const template = ofKind(manifests, 'TriggerTemplate').find((m) => nameOf(m) === spec.template.ref);
    assert.ok(template, `TriggerTemplate ${spec.template.ref}`);
    const [pipelineRun] = instantiate(template.doc, params);
    return runner.runPipelineRun(pipelineRun as Doc);
  }

  const posts = () =>
    slack.requests.filter((r) => r.path === '/api/chat.postMessage').map((r) => r.json as Doc);
  const forwards = () => listener.requests.filter((r) => r.path === '/el-slackline');
  const summary = (run: PipelineRunResult) =>
    Object.entries(run.tasks)
      .map(([name, t]) => `${name}: ${t.status}\n${t.output}`)
      .join('\n');

  it('closes the loop', async function () {
    // 1. /deploy, signed as Slack signs it, to the request URL of slack-manifest.json.
    // The trigger_id of Slack's own slash command example, whose last part the example context id carries.
    const command = slashCommandBody(
      '/deploy',
      'dev hello-world 1.0.0',
      'U0ANA',
      `${slack.url}/respond/cmd`,
      '13345224609.738474920.8088930838d88f008e0',
    );
    const ack = await request(app)
      .post('/slack/events')
      .set('content-type', FORM)
      .set(slackSignature(TEST_SIGNING_SECRET, command))
      .send(command);
    assert.equal(ack.status, 200);
    const commandEvent = await waitFor('the forwarded /deploy', () => forwards()[0]);

    // 2. command-deploy -> example-build: init (build=init notify), build, build=success (notify, manual-choice).
    const build = await trigger('slackline', 'command-deploy', commandEvent);
    assert.equal(build.status, 'Succeeded', summary(build));
    assert.equal(build.tasks['build-failed']?.status, 'None');
    const id = build.tasks['init']?.results['cicdContextDataId'];
    assert.equal(id, 'hello-world-1.0.0-dev-8088930838d88f008e0');
    const [started, built, choiceMessage] = posts();
    assert.match(started?.text, /Building \*hello-world 1\.0\.0\* for dev, asked by U0ANA/);
    assert.ok(choiceMessage?.attachments, 'the manual-choice message has buttons');
    const doc = (await new FileStore(storeDir).load(id as string)) as Doc;
    // The first message started the context's thread; the later ones went into it.
    assert.equal(started?.thread_ts, undefined);
    assert.equal(built?.thread_ts, doc['state'].slack.thread_ts);
    assert.equal(choiceMessage?.thread_ts, doc['state'].slack.thread_ts);

    // 3. A click on Deploy: the gateway finds the choice through the message index the CLI wrote.
    const offered = Object.values(doc['state'].offeredChoices)[0] as Doc;
    const deploy = offered['options'].find((o: Doc) => o.text === 'Deploy');
    assert.match(deploy.value, /^deploy-hello-world\|/);
    const click = interactionBody(
      blockActionsPayload({
        channelId: offered['channel'],
        messageTs: offered['messageTs'],
        value: deploy.value,
        userId: 'U0BOB',
        responseUrl: `${slack.url}/respond/click`,
      }),
    );
    await request(app)
      .post('/slack/events')
      .set('content-type', FORM)
      .set(slackSignature(TEST_SIGNING_SECRET, click))
      .send(click)
      .expect(200);
    const choiceEvent = await waitFor('the forwarded decision', () => forwards()[1]);
    assert.equal((choiceEvent.json as Doc).cicdstatemgr.cicdContextDataId, id);

    // 4. approval-deploy -> example-deploy: load (records the approver), deploy, deploy=success in the thread.
    const deployRun = await trigger('slackline', 'approval-deploy', choiceEvent);
    assert.equal(deployRun.status, 'Succeeded', summary(deployRun));
    assert.match(
      deployRun.tasks['deploy']?.output ?? '',
      /image: registry\.example\.com\/hello-world:1\.0\.0/,
    );
    const after = (await new FileStore(storeDir).load(id as string)) as Doc;
    const record = after['state'].deploy[deployRun.name];
    assert.equal(record.approvedBy, 'U0BOB');
    assert.equal(record.forwardedEventId, (choiceEvent.json as Doc).id);
    assert.ok(record.deployedAt && record.successAt);
    const deployed = posts().at(-1);
    assert.match(deployed?.text, /Deployed \*hello-world 1\.0\.0\* to dev/);
    assert.equal(deployed?.thread_ts, after['state'].slack.thread_ts, 'reported in the context thread');

    // 5. The same click sent by Slack straight to the EventListener slack-direct: the gateway's webhook
    //    interceptor verifies and decodes it, and another example-deploy runs for the same context.
    const direct = await trigger('slack-direct', 'direct-approval-deploy', {
      text: click,
      headers: { 'content-type': FORM, ...slackSignature(TEST_SIGNING_SECRET, click) },
    });
    assert.equal(direct.status, 'Succeeded', summary(direct));
    const last = (await new FileStore(storeDir).load(id as string)) as Doc;
    assert.equal(last['state'].deploy[direct.name].approvedBy, 'U0BOB');
  });

  it('rejects with a reason given in the modal: the binding reads body.inputs.reason, example-reject records it', async function () {
    const signed = (body: string) =>
      request(app)
        .post('/slack/events')
        .set('content-type', FORM)
        .set(slackSignature(TEST_SIGNING_SECRET, body));
    const before = forwards().length;
    const command = slashCommandBody(
      '/deploy',
      'dev hello-world 2.0.0',
      'U0ANA',
      `${slack.url}/respond/cmd2`,
    );
    await signed(command).send(command).expect(200);
    const commandEvent = await waitFor('the forwarded /deploy', () => forwards()[before]);
    const build = await trigger('slackline', 'command-deploy', commandEvent);
    assert.equal(build.status, 'Succeeded', summary(build));
    const id = build.tasks['init']?.results['cicdContextDataId'] as string;
    const doc = (await new FileStore(storeDir).load(id)) as Doc;
    const offered = Object.values(doc['state'].offeredChoices)[0] as Doc;
    const reject = offered['options'].find((o: Doc) => o.text === 'Reject');
    assert.deepEqual(
      reject.inputs.map((i: Doc) => [i.name, i.type, i.required]),
      [['reason', 'multiline', true]],
    );

    // The click opens the modal (views.open, within the click's request); the submission decides.
    const views = slack.views.length;
    const click = interactionBody(
      blockActionsPayload({
        channelId: offered['channel'],
        messageTs: offered['messageTs'],
        value: 'reject',
        userId: 'U0BOB',
        responseUrl: `${slack.url}/respond/reject`,
      }),
    );
    await signed(click).send(click).expect(200);
    const view = slack.views[views] as Record<string, unknown>;
    assert.ok(view, 'views.open was called');
    // A user's text, with what --set, Slack and a template would read as more than text.
    const reason = 'canary | errors <!channel> file:///etc/passwd {{ 7 * 7 }}';
    const submission = interactionBody(
      viewSubmissionPayload({ view, userId: 'U0BOB', answers: { 'input:reason': reason } }),
    );
    const answer = await signed(submission).send(submission);
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '', 'accepted: the modal closes');
    const rejectEvent = await waitFor('the forwarded reject', () =>
      forwards().find((f) => (f.json as Doc).context?.id === id && (f.json as Doc).kind === 'choice'),
    );
    assert.deepEqual((rejectEvent.json as Doc).inputs, { reason });

    const run = await trigger('slackline', 'approval-reject', rejectEvent);
    assert.equal(run.status, 'Succeeded', summary(run));
    const after = (await new FileStore(storeDir).load(id)) as Doc;
    assert.deepEqual(after['state'].rejection, {
      by: 'U0BOB',
      eventId: (rejectEvent.json as Doc).id,
      reason,
    });
    const told = posts().at(-1);
    assert.equal(
      told?.text,
      ':no_entry: *hello-world 2.0.0* was rejected by <@U0BOB>: canary | errors &lt;!channel&gt; file:///etc/passwd {{ 7 * 7 }}',
    );
    assert.equal(told?.thread_ts, after['state'].slack.thread_ts, 'said in the context thread');
  });

  it('refuses a Slack value that --set would split or read as a file, before anything is created', async function () {
    const before = posts().length;
    const template = ofKind(manifests, 'TriggerTemplate').find((m) => nameOf(m) === 'example-build');
    for (const appName of ['file:///etc/passwd', 'app|state.x=y']) {
      const [pipelineRun] = instantiate(template?.doc as Doc, { appName, appTag: '1.0', uniqueString: 'u1' });
      const run = await runner.runPipelineRun(pipelineRun as Doc);
      assert.equal(run.status, 'Failed');
      assert.match(run.tasks['init']?.output ?? '', /refusing value/);
      assert.equal(run.tasks['build']?.status, 'None');
      assert.equal(run.tasks['build-failed']?.status, 'None', 'no context, so nothing to report on');
    }
    assert.equal(posts().length, before, 'nothing was posted to Slack');
  });
});

/** Header names as Go's net/http gives them to Tekton: X-Slack-Signature, Content-Type. */
function canonical(headers: Doc): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['content-length', 'connection', 'host', 'transfer-encoding', 'date', 'etag'].includes(name))
      continue;
    out[name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())] =
      String(value);
  }
  return out;
}
