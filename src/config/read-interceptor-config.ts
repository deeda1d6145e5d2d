import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InterceptorConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import { FORBIDDEN_NAMES, type Raw, type SettingReader } from './setting-reader';

/**
 * Named secrets for the interceptor endpoints: `secrets` in YAML, and `secretsDir`, a directory laid out like
 * Kubernetes Secret volumes mounted under it (`<dir>/<secretName>/<secretKey>` is named `<secretName>/<secretKey>`,
 * a file directly in it by its file name), so a trigger's `secretRef` finds the Secret it names.
 */
export function readInterceptor(s: SettingReader, raw: Raw): InterceptorConfig | undefined {
  const where = 'slackline.interceptor';
  s.checkKeys(raw, where, GATEWAY_ROWS);
  const secrets: Record<string, string[]> = {};
  const add = (name: string, values: string[], label: string) => {
    if (name.split('/').some((part) => part === '' || FORBIDDEN_NAMES.includes(part))) {
      s.problem(`${label}: "${name}" cannot be a secret name`);
    } else if (Object.hasOwn(secrets, name)) {
      s.problem(`${label}: the secret name "${name}" is given twice`);
    } else if (values.length === 0 || values.some((value) => value === '')) {
      s.problem(`${label} must be a non-empty secret or a list of them`);
    } else {
      secrets[name] = values;
    }
  };
  for (const [name, value] of Object.entries(s.mapping(raw, where, 'secrets'))) {
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    add(
      name,
      values.map((v) => (typeof v === 'string' ? v.trim() : '')),
      `${where}.secrets.${name}`,
    );
  }
  const dirSetting = s.setting(G.secretsDir, raw);
  const root = s.check(G.secretsDir, dirSetting);
  if (root !== undefined) {
    try {
      for (const [name, file] of secretFiles(root)) {
        // One secret per line, so a file can hold the old and the new secret during a rotation.
        const values = readFileSync(file, 'utf8')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '');
        add(name, values, `${dirSetting.label} file ${name}`);
      }
    } catch (error) {
      s.problem(`${dirSetting.label} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return Object.keys(secrets).length > 0 || Object.keys(raw).length > 0 ? { secrets } : undefined;
}

/** [name, path] of the files in `root` and in its subdirectories, leaving out Kubernetes' `..data` links. */
function secretFiles(root: string): [string, string][] {
  const files: [string, string][] = [];
  const visible = (dir: string) => readdirSync(dir).filter((name) => !name.startsWith('.'));
  for (const name of visible(root)) {
    const path = join(root, name);
    if (!statSync(path).isDirectory()) files.push([name, path]);
    else for (const key of visible(path)) files.push([`${name}/${key}`, join(path, key)]);
  }
  return files;
}
