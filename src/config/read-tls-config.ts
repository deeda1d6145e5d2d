import { accessSync, constants } from 'node:fs';
import type { TlsConfig } from './gateway-config';
import { resolvePath } from './resolve-path';
import type { Raw, SettingReader } from './setting-reader';

/** Both files or neither; they must be readable now, rather than fail once the gateway is serving. */
export function readTls(s: SettingReader, raw: Raw, cwd: string): TlsConfig | undefined {
  const where = 'slackline.tls';
  s.checkKeys(raw, where, ['certFile', 'keyFile']);
  const certSetting = s.pick(raw, where, 'certFile', 'TLS_CERT_FILE');
  const keySetting = s.pick(raw, where, 'keyFile', 'TLS_KEY_FILE');
  const [certFile, keyFile] = [certSetting, keySetting].map((setting) => {
    const path = s.text(setting);
    if (path === undefined) return undefined;
    const resolved = resolvePath(path, cwd);
    try {
      accessSync(resolved, constants.R_OK);
    } catch (error) {
      s.problem(`${setting.label} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return resolved;
  });
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    s.problem('HTTPS needs both a certificate and a key: set TLS_CERT_FILE and TLS_KEY_FILE (slackline.tls)');
    return undefined;
  }
  return { certFile, keyFile };
}
