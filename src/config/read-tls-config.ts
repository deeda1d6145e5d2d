import { accessSync, constants } from 'node:fs';
import type { TlsConfig } from './gateway-config';
import { GATEWAY_ROWS, GATEWAY_SETTINGS as G } from './gateway-settings';
import type { Raw, SettingReader } from './setting-reader';

/** Both files or neither; they must be readable now, rather than fail once the gateway is serving. */
export function readTls(s: SettingReader, raw: Raw): TlsConfig | undefined {
  s.checkKeys(raw, 'slackline.tls', GATEWAY_ROWS);
  const [certFile, keyFile] = [G.certFile, G.keyFile].map((row) => {
    const setting = s.setting(row, raw);
    const path = s.check(row, setting);
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.R_OK);
    } catch (error) {
      s.problem(`${setting.label} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return path;
  });
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    s.problem('HTTPS needs both a certificate and a key: set TLS_CERT_FILE and TLS_KEY_FILE (slackline.tls)');
    return undefined;
  }
  return { certFile, keyFile };
}
