import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  COMMANDS_SCOPE,
  manifestSchemaProblems,
  requestUrls,
  requiredScopes,
  scopeProblems,
  webApiCallsIn,
  webApiUrlsIn,
} from '../helpers/slack-manifest-checks';
import { configMapEntry, readManifests, TEKTON_DIR } from '../helpers/tekton-manifests';

const ROOT = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'slack-manifest.json'), 'utf8'));

describe('slack-manifest.json', function () {
  it("follows the rules of Slack's manifest schema", function () {
    assert.deepEqual(manifestSchemaProblems(manifest), []);
    assert.equal(manifest.settings.socket_mode_enabled, false, 'request URLs are for HTTP mode');
  });

  it('asks for exactly the bot scopes of the Web API methods slackline calls, and commands', function () {
    const calls = webApiCallsIn(join(ROOT, 'src'));
    // cicdstatemgr's notify and manual-choice call the method in the example config's slack.url.
    const { manifests } = readManifests(TEKTON_DIR);
    const configured = webApiUrlsIn(configMapEntry(manifests, 'cicdstatemgr-config', 'config.yaml'));
    assert.deepEqual(configured, ['chat.postMessage']);
    assert.ok(calls.has('chat.update') && calls.has('usergroups.users.list'), [...calls.keys()].join());
    const hasCommands = (manifest.features.slash_commands ?? []).length > 0;
    const { scopes, problems } = requiredScopes([...calls.keys(), ...configured], hasCommands);
    assert.deepEqual(problems, []);
    assert.deepEqual(scopeProblems(manifest.oauth_config.scopes.bot, scopes), []);
    assert.deepEqual(
      manifest.oauth_config.scopes.user ?? [],
      [],
      'slackline acts as its bot, never as a user',
    );
  });

  it('sends every request to one path (the gateway checks which is which)', function () {
    const paths = new Set(requestUrls(manifest).map(({ url }) => new URL(url).pathname));
    assert.deepEqual([...paths], ['/slack/events']);
  });
});

describe('slack-manifest.json checks find what they look for', function () {
  it('a missing scope, an unneeded one, and a method with no known scope', function () {
    const { scopes } = requiredScopes(['chat.update', 'usergroups.users.list'], true);
    assert.deepEqual(scopes, ['chat:write', COMMANDS_SCOPE, 'usergroups:read']);
    assert.deepEqual(scopeProblems(['chat:write', 'commands', 'users:read'], scopes), [
      'missing bot scope usergroups:read',
      'unneeded bot scope users:read',
    ]);
    assert.match(requiredScopes(['views.push'], false).problems.join(), /views\.push is called/);
    assert.deepEqual(requiredScopes(['views.open'], false), { scopes: [], problems: [] }, 'needs no scope');
  });

  it('finds Web API calls, and not a Redis client’s', function () {
    const dir = resolve(__dirname, '../../src/store');
    assert.deepEqual(
      [...webApiCallsIn(dir).keys()],
      [],
      'redis-store.ts calls client.get(…), client.multi()…',
    );
    assert.deepEqual(webApiUrlsIn('url: https://slack.com/api/chat.update # x'), ['chat.update']);
  });

  it('an unknown key, a bad command, an http request URL, a bot name with capitals', function () {
    const bad = {
      ...manifest,
      extra: true,
      features: {
        bot_user: { display_name: 'Slackline' },
        slash_commands: [{ command: 'deploy', url: 'http://x.example/slack/events' }],
      },
    };
    const found = manifestSchemaProblems(bad).join('\n');
    for (const what of [
      'unknown top-level key extra',
      'display_name',
      'slash command deploy',
      'no description',
      'not https',
    ])
      assert.match(found, new RegExp(what));
  });
});
