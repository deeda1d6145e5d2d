/**
 * A URL as messages and logs may show it: userinfo and the query string are left out, since credentials
 * travel there, and so is the last path segment of Slack's response_url and incoming webhooks, a secret.
 */
export function describeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  }
  let path = url.pathname;
  if (/^hooks\.slack(-gov)?\.com$/i.test(url.hostname)) path = path.replace(/\/[^/]+$/, '/…');
  return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
}
