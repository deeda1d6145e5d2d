import type { SlackConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import type { Raw, SettingReader } from './setting-reader';

export function readSlack(s: SettingReader, raw: Raw): SlackConfig {
  s.checkKeys(raw, 'slackline.slack', GATEWAY_ROWS);
  const socketMode = s.read(G.socketMode, raw);

  const secretsSetting = s.setting(G.signingSecrets, raw);
  const signingSecrets = s.check(G.signingSecrets, secretsSetting);
  if (secretsSetting.value === undefined && !socketMode) {
    s.problem(
      'a Slack signing secret is required: set SLACK_SIGNING_SECRET or slackline.slack.signingSecrets',
    );
  }
  const botTokenSetting = s.setting(G.botToken, raw);
  const botToken = s.check(G.botToken, botTokenSetting);
  if (botTokenSetting.value === undefined) {
    s.problem('a Slack bot token is required: set SLACK_BOT_TOKEN or slackline.slack.botToken');
  }
  const appTokenSetting = s.setting(G.appToken, raw);
  const appToken = s.check(G.appToken, appTokenSetting);
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    // A bot token here is the usual mistake; Socket Mode then fails with a less helpful "not_allowed".
    s.problem(`${appTokenSetting.label} must be an app-level token (xapp-…)`);
  }
  if (socketMode && appTokenSetting.value === undefined) {
    s.problem('Socket Mode needs an app-level token: set SLACK_APP_TOKEN or slackline.slack.appToken');
  }
  let apiUrl = s.read(G.apiUrl, raw);
  // The WebClient appends method names to this URL as they are, so it must end with a slash.
  if (apiUrl !== undefined && !apiUrl.endsWith('/')) apiUrl += '/';
  const endpointSetting = s.setting(G.endpoint, raw);
  const endpoint = s.check(G.endpoint, endpointSetting);
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
