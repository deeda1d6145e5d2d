import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, runCliOk, type CliResult } from './cli';

const FIXTURE_DIR = resolve(__dirname, '../fixtures/workspace');

export type Primary =
  | {
      type: 'redis';
      host: string;
      port: number;
      username?: string;
      password?: string;
      keyPrefix?: string;
      /** A Redis Cluster's nodes, written as `clusterNodes` instead of host, port and db. */
      clusterNodes?: { host: string; port: number }[];
    }
  | { type: 'filestore' };

/**
 * A directory laid out like cicdstatemgr's basics example: config.yaml (primary + the four local files under
 * localdata/), secrets.yaml (with the Redis ACL user, as the example keeps it there), app.yaml and bases/.
 */
export class Workspace {
  readonly dir: string;
  readonly baseArgs: string[];

  /** `events` adds the Slack, trigger and template settings of events-config.yaml, aimed at loopback servers. */
  constructor(primary: Primary, events?: { slackUrl: string; triggerUrl: string }) {
    this.dir = mkdtempSync(join(tmpdir(), 'slackline-ws-'));
    cpSync(FIXTURE_DIR, this.dir, { recursive: true });
    const eventsConfig = events
      ? readFileSync(join(FIXTURE_DIR, 'events-config.yaml'), 'utf8')
          .replaceAll('@SLACK@', events.slackUrl)
          .replaceAll('@TRIGGER@', events.triggerUrl)
      : '';
    writeFileSync(join(this.dir, 'config.yaml'), configYaml(primary) + eventsConfig);
    const secrets = readFileSync(join(this.dir, 'secrets.yaml'), 'utf8');
    writeFileSync(join(this.dir, 'secrets.yaml'), secrets + secretsDatasources(primary));
    this.baseArgs = ['--config', 'config.yaml', '--secrets', 'secrets.yaml'];
  }

  static uniqueId(label = 'ctx'): string {
    return `${label}-${randomBytes(5).toString('hex')}`;
  }

  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    return runCli([...this.baseArgs, ...args], { cwd: this.dir, env });
  }

  runOk(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    return runCliOk([...this.baseArgs, ...args], { cwd: this.dir, env });
  }

  async get(id: string, expression: string, ...extra: string[]): Promise<string> {
    return (await this.runOk(['--id', id, '--get', expression, ...extra])).stdout;
  }

  init(id: string, ...extra: string[]): Promise<CliResult> {
    return this.initFrom('app.yaml', id, ...extra);
  }

  initFrom(appFile: string, id: string, ...extra: string[]): Promise<CliResult> {
    return this.runOk([
      '--init-new',
      id,
      '--init-bases-dir',
      'bases',
      '--init-app-config-file',
      appFile,
      '--init-cicd-context-name',
      'qa',
      ...extra,
    ]);
  }

  read(relativePath: string): string {
    return readFileSync(join(this.dir, relativePath), 'utf8');
  }

  write(relativePath: string, text: string): void {
    writeFileSync(join(this.dir, relativePath), text);
  }

  removeLocalData(): void {
    rmSync(join(this.dir, 'localdata'), { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function configYaml(primary: Primary): string {
  const primaryYaml =
    primary.type === 'redis'
      ? [
          '    redis:',
          ...(primary.clusterNodes
            ? [
                '      clusterNodes:',
                ...primary.clusterNodes.map((n) => `        - {host: ${n.host}, port: ${n.port}}`),
              ]
            : [`      host: ${primary.host}`, `      port: ${primary.port}`, '      db: 0']),
          '      isPrimary: true',
          ...(primary.keyPrefix ? [`      keyPrefix: "${primary.keyPrefix}"`] : []),
        ]
      : ['    filestore:', '      path: store', '      isPrimary: true'];
  return [
    'cicdstatemgr:',
    '  datasources:',
    ...primaryYaml,
    '    yamlfile:',
    '      path: localdata/cicdContextData.yaml',
    '    jsonfile:',
    '      path: localdata/cicdContextData.json',
    '    shellfile:',
    '      path: localdata/cicdContextData.sh',
    '      excludeKeyNames: [jinja2Macros]',
    '    idfile:',
    '      path: localdata/cicdContextData.id',
    '  dashboard:',
    '    pipelineRunUrl: http://127.0.0.1:9/dashboard',
    '',
  ].join('\n');
}

function secretsDatasources(primary: Primary): string {
  if (primary.type !== 'redis' || !primary.username) return '';
  return [
    '  datasources:',
    '    redis:',
    `      username: ${primary.username}`,
    `      password: ${JSON.stringify(primary.password)}`,
    '',
  ].join('\n');
}
