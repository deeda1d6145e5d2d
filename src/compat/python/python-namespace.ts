/**
 * Jinja2's `namespace()`: the one object a template may assign attributes to (`{% set ns.total = … %}`),
 * which is how Jinja2 carries a value out of a loop whose `{% set %}`s stay inside it. No prototype, so
 * nothing but what the template put there can be looked up on it.
 */

const NAMESPACE = Symbol('jinja2 namespace');

export type Namespace = Record<string, unknown>;

export function pyNamespace(...args: unknown[]): Namespace {
  const ns = Object.create(null) as Namespace;
  Object.defineProperty(ns, NAMESPACE, { value: true });
  for (const arg of args) {
    if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
      throw new TypeError('namespace() takes a mapping or keyword arguments');
    }
    for (const [key, value] of Object.entries(arg)) if (key !== '__keywords') ns[key] = value;
  }
  return ns;
}

export function isNamespace(value: unknown): value is Namespace {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NAMESPACE] === true
  );
}
