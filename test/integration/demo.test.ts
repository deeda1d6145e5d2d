import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('npm run demo (the whole loop on loopback)', function () {
  this.timeout(60_000);

  it('prints every step of the loop and exits 0', async function () {
    // npm test has built dist/ already; run the demo script itself, as `npm run demo` does after its build.
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (done) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', 'demo/run-demo.ts'],
          { cwd: ROOT, encoding: 'utf8' },
          (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
        ),
    );
    assert.equal(code, 0, stderr + stdout);
    for (const step of [
      /1\. Gateway started/,
      /2\. Context created by cicdstatemgr --init-new\n {3}hello-1\.0\.0-dev/,
      /3\. Message with buttons posted .*\n {3}Build 1\.0\.0 of hello passed\. Deploy it\? \[Deploy to prod\] \[Reject\]/,
      /4\. Signed click on \[Deploy to prod\] by U0ANA verified and acknowledged\n {3}HTTP 200/,
      /5\. Decision recorded in the context document\n {3}Deploy to prod by U0ANA/,
      /6\. Normalized event delivered to the EventListener\n {3}slackline\/forwarded-event\/v1 deploy-prod for hello-1\.0\.0-dev, signed \(x-slackline-signature\), eventID [0-9a-f-]{36}/,
      /7\. Slack message updated\n {3}.*✅ <@U0ANA> chose \*Deploy to prod\* · event [0-9a-f-]{36}/,
      /8\. Run card of the deploy PipelineRun, from Tekton's CloudEvents, updated in place\n {3}.*example-deploy.*succeeded in 45s(.|\n)*deploy succeeded in 9s(.|\n)*<@U0ANA> chose \*Deploy to prod\*/,
      /9\. Context of the next build created, and its choice posted\n {3}hello-1\.1\.0-dev: Build 1\.1\.0 of hello passed\. Deploy it\?/,
      /10\. Signed click on \[Reject\] by U0ANA: the gateway opened a modal \(views\.open\) before acknowledging it\n {3}\[Reject\] {2}\(Submit \/ Cancel\)\n {3}Build 1\.1\.0 of hello passed\. Deploy it\?\n {3}Why reject it\? {2}\[multi-line text, required, at most 200\]/,
      /11\. Submitted without a reason: answered in the modal, nothing decided\n {3}\{"response_action":"errors","errors":\{"input:reason":"This is required\."\}\}/,
      /12\. Submitted with a reason: decided once, and forwarded with it\n {3}reject for hello-1\.1\.0-dev by U0ANA, inputs\.reason: "The canary error rate doubled; see the dashboard\."/,
      /The loop is closed: every step happened\./,
    ]) {
      assert.match(stdout, step);
    }
  });
});
