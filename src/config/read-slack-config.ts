import type { SlackConfig } from './gateway-config';
import type { Raw, SettingReader } from './setting-reader';

export function readSlack(s: SettingReader, raw: Raw): SlackConfig {
  const where = 'slackline.slack';
  s.checkKeys(raw, where, ['signingSecrets', 'botToken', 'appToken', 'socketMode', 'apiUrl', 'endpoint']);
  const socketMode = s.boolean(s.pick(raw, where, 'socketMode', 'SLACK_SOCKET_MODE')) ?? false;

  const secretsSetting = s.pick(raw, where, 'signingSecrets', 'SLACK_SIGNING_SECRET');
  const signingSecrets = s.secretList(secretsSetting);
  if (secretsSetting.value === undefined && !socketMode) {
    s.problem(
      'a Slack signing secret is required: set SLACK_SIGNING_SECRET or slackline.slack.signingSecrets',
    );
  }
  const botTokenSetting = s.pick(raw, where, 'botToken', 'SLACK_BOT_TOKEN');
  const botToken = s.secret(botTokenSetting);
  if (botTokenSetting.value === undefined) {
    s.problem('a Slack bot token is required: set SLACK_BOT_TOKEN or slackline.slack.botToken');
  }
  const appTokenSetting = s.pick(raw, where, 'appToken', 'SLACK_APP_TOKEN');
  const appToken = s.secret(appTokenSetting);
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    // A bot token here is the usual mistake; Socket Mode then fails with a less helpful "not_allowed".
    s.problem(`${appTokenSetting.label} must be an app-level token (xapp-…)`);
  }
  if (socketMode && appTokenSetting.value === undefined) {
    s.problem('Socket Mode needs an app-level token: set SLACK_APP_TOKEN or slackline.slack.appToken');
  }
  let apiUrl = s.httpUrl(s.pick(raw, where, 'apiUrl', 'SLACK_API_URL'));
  // The WebClient appends method names to this URL as they are, so it must end with a slash.
  if (apiUrl !== undefined && !apiUrl.endsWith('/')) apiUrl += '/';
  const endpointSetting = s.pick(raw, where, 'endpoint');
  const endpoint = s.text(endpointSetting) ?? '/slack/events';
  if (!endpoint.startsWith('/')) s.problem(`${endpointSetting.label} must be a path starting with /`);

  return {
    signingSecrets: signingSecrets ?? [],
    botToken: botToken ?? '',
    ...(appToken === undefined ? {} : { appToken }),
    socketMode,
    ...(apiUrl === undefined ? {} : { apiUrl }),
    endpoint,
  };
}
