/** The names and values no template may reach: the way from any value to Function and to prototypes. */

// Calling any of these with a string compiles it as code; a template must never get hold of one.
const CODE_RUNNERS: ReadonlySet<unknown> = new Set([
  Function,
  Object.getPrototypeOf(async function () {}).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
  eval,
]);

export function refused(what: string): Error {
  return new Error(`${what} is not available in templates`);
}

// `constructor` leads from any value to Function; `__proto__`, `prototype` and the other dunders to prototypes.
export function assertAllowedName(name: string): void {
  if (name === 'constructor' || name === 'prototype' || name.startsWith('__')) throw refused(`'${name}'`);
}

export function guarded<T>(value: T): T {
  if (CODE_RUNNERS.has(value)) throw refused('a function constructor');
  return value;
}

/** What a subscript may be: a string or number, never an object whose toString a template controls. */
export function propertyKey(key: unknown): string | number | undefined {
  if (typeof key === 'number') return key;
  if (typeof key === 'boolean') return Number(key); // Python's bool is an int
  if (key === null || key === undefined) return undefined;
  if (typeof key !== 'string') throw new Error(`a key of type ${typeof key} is not supported`);
  assertAllowedName(key);
  return key;
}
