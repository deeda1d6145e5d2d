/**
 * A deploy button value as cicdstatemgr 1.2.4 posts it, rendered by Jinja2 3.1.6 from a deployButtonValue macro
 * written as in its bases/core.yaml (`tojson` with sorted keys, then a to_base64 filter doing base64.b64encode
 * of the UTF-8 text), and the dict it carries.
 */
export const DEPLOY_BUTTON_VALUE =
  'deploy-v1-nginx-hello-world|eyJjaWNkQ29udGV4dERhdGFJZCI6ICJuZ2lueC1oZWxsby13b3JsZC0xLjAuMC12MS1kZXYtYWJjMTIzIiwgImNpY2RDb250ZXh0TmFtZSI6ICJkZXYiLCAiY2ljZFZlcnNpb24iOiAidjEiLCAiZ2l0Q2xvbmVVcmwiOiAiaHR0cHM6Ly9naXRodWIuY29tL2JpdHNvZmluZm8vbmdpbngtaGVsbG8td29ybGQuZ2l0IiwgInJlbGF0ZWRDaWNkQ29udGV4dERhdGFJZCI6ICJuZ2lueC1oZWxsby13b3JsZC0xLjAuMC12MS1kZXYtYWJjMTIzIiwgInJlbGF0ZWRQaXBlbGluZU5hbWUiOiAiYnVpbGQiLCAicmVsYXRlZFBpcGVsaW5lUnVuVWlkIjogImJ1aWxkLWRldi1uZ2lueC1oZWxsby13b3JsZC14N2sycCIsICJ0YXJnZXRBcHBOYW1lIjogIm5naW54LWhlbGxvLXdvcmxkIiwgInRhcmdldEFwcFRhZyI6ICIxLjAuMCIsICJ0cmlnZ2VyIjogImRlcGxveSJ9';

export const DEPLOY_BUTTON_FIELDS = {
  cicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
  cicdContextName: 'dev',
  cicdVersion: 'v1',
  gitCloneUrl: 'https://github.com/bitsofinfo/nginx-hello-world.git',
  relatedCicdContextDataId: 'nginx-hello-world-1.0.0-v1-dev-abc123',
  relatedPipelineName: 'build',
  relatedPipelineRunUid: 'build-dev-nginx-hello-world-x7k2p',
  targetAppName: 'nginx-hello-world',
  targetAppTag: '1.0.0',
  trigger: 'deploy',
};
