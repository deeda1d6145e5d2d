/** Where a decision or command goes: a named route from the config, a URL, or the default EventListener. */
export type RouteTarget = { route: string; url: string } | { route: string; error: string };

export interface RouteTable {
  defaultUrl?: string;
  routes: Record<string, string>;
}

/** `default` names the default EventListener unless a route has that name: it is what deliveries record for it. */
export function resolveRoute(name: string | null | undefined, table: RouteTable): RouteTarget {
  if (!name || (name === 'default' && !Object.hasOwn(table.routes, 'default'))) {
    return table.defaultUrl
      ? { route: 'default', url: table.defaultUrl }
      : { route: 'default', error: 'no route was given and no default EventListener URL is configured' };
  }
  const url = Object.hasOwn(table.routes, name) ? table.routes[name] : undefined;
  if (url) return { route: name, url };
  if (/^https?:\/\//.test(name)) return { route: name, url: name };
  return { route: name, error: `no route named "${name}" is configured` };
}
