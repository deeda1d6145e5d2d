/** Titles and option texts are rendered from templates and data: escaped so they cannot ping or link in Slack. */
export function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** `U123`, `<@U123>`, `<@U123|name>` and `<!subteam^S123|name>` all name the same id. */
export function slackId(text: string): string {
  const match = /^<[@!](?:subteam\^)?([^|>]+)(?:\|[^>]*)?>$/.exec(text.trim());
  return match?.[1] ?? text.trim();
}

export function listOf(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** `2024-05-01 12:30 UTC`: the message goes to users in any time zone. */
export function when(at: unknown): string {
  const time = Date.parse(String(at));
  if (Number.isNaN(time)) return String(at);
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
