import { version } from '../../package.json';

/**
 * Headers every handler POST carries unless the config sets them. cicdstatemgr's requests sent
 * `User-Agent: python-requests/<version>`, `Accept: *\/*` and `Accept-Encoding: gzip, deflate`; we name
 * ourselves instead of impersonating requests, and ask for no compression because the client does not
 * decode it (servers then answer uncompressed, which is what a receiver logging these requests sees anyway).
 */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': `cicdstatemgr/${version} (slackline)`,
  accept: '*/*',
};

/** `headers` with each default added when no header of that name (in any case) is there. */
export function withDefaultHeaders(headers: Record<string, string>): Record<string, string> {
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const defaults = Object.entries(DEFAULT_HEADERS).filter(([name]) => !given.has(name));
  return { ...Object.fromEntries(defaults), ...headers };
}
