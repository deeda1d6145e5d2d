/** Where a decision or command goes: a named route from the config, a URL, or the default EventListener. */
export type RouteTarget = { route: string; url: string } | { route: string; error: string };

export interface RouteTable {
  defaultUrl?: string;
  routes: Record<string, string>;
}

export function resolveRoute(name: string | null | undefined, table: RouteTable): RouteTarget {
  if (!name) {
    return table.defaultUrl
      ? { route: 'default', url: table.defaultUrl }
      : { route: 'default', error: 'no route was given and no default EventListener URL is configured' };
  }
  const url = table.routes[name];
  if (url) return { route: name, url };
  if (/^https?:\/\//.test(name)) return { route: name, url: name };
  return { route: name, error: `no route named "${name}" is configured` };
}
