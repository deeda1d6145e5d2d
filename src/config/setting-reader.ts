import { isPlainObject } from '../core/document';
import { resolvePath } from './resolve-path';
import { keyOf, knownKeys, type Read, type ScalarRow, sectionOf, type SettingRow } from './setting-row';

/** A section of a config file as parsed, before any of it is checked. */
export type Raw = Record<string, unknown>;
/** A setting's value and where it came from (an env name or a YAML path), which is what errors name. */
export interface Setting {
  value: unknown;
  label: string;
}

// Arg and route names become object keys (the forwarded JSON, route lookups): these would reach the prototype.
export const FORBIDDEN_NAMES = ['__proto__', 'constructor', 'prototype'];
const REDIS_SCHEMES = 'redis://, rediss://, redis-cluster:// or rediss-cluster://';

/**
 * Reads settings as a table's rows describe them (environment first, then YAML) and collects what is wrong
 * with them, so that one error lists every problem. Both config loaders read through it.
 */
export class SettingReader {
  constructor(
    private readonly vars: Record<string, string | undefined>,
    private readonly problems: string[],
    /** Relative paths are made absolute against it. */
    private readonly cwd: string,
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Set and not blank: an empty variable (an optional Kubernetes secret, say) counts as unset. */
  env(name: string): string | undefined {
    const value = this.vars[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A row's raw value in `raw`, a section at `where` (the row's own, unless the section's path varies). */
  setting(row: SettingRow, raw: Raw, where = sectionOf(row)): Setting {
    const fromEnv = row.env === undefined ? undefined : this.env(row.env);
    if (fromEnv !== undefined) return { value: fromEnv, label: row.env as string };
    const value = raw[keyOf(row)];
    return { value: value === null ? undefined : value, label: `${where}.${keyOf(row)}` };
  }

  read<R extends ScalarRow>(row: R, raw: Raw, where?: string): Read<R> {
    return this.check(row, this.setting(row, raw, where));
  }

  /** The value checked as the row's kind; its default when missing or wrong (the problem is collected). */
  check<R extends ScalarRow>(row: R, { value, label }: Setting): Read<R> {
    if (value === undefined) {
      if (row.default !== undefined) return this.check(row, { value: row.default, label });
      if (row.kind === 'requiredPath') this.problem(`${label} is required`);
      return undefined as Read<R>;
    }
    const checked = this.kind(row, value, label);
    return (checked ??
      (row.default === undefined ? undefined : this.kind(row, row.default, label))) as Read<R>;
  }

  mapping(raw: Raw, where: string, key: string): Raw {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (isPlainObject(value)) return value;
    this.problem(`${where}.${key} must be a mapping`);
    return {};
  }

  /** Refuses the keys of `raw` that the table has no row for in `section` (the path with `*`, if it varies). */
  checkKeys(raw: Raw, where: string, rows: readonly SettingRow[], section = where): void {
    const known = knownKeys(rows, section);
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) this.problem(`${where}.${key}: unknown setting (known: ${known.join(', ')})`);
    }
  }

  private kind(row: ScalarRow, value: unknown, label: string): unknown {
    const fail = (expected: string) => {
      this.problem(`${label} ${expected}`);
      return undefined;
    };
    const nonEmpty = typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    switch (row.kind) {
      case 'text':
        return nonEmpty ?? fail('must be non-empty text');
      case 'secret':
        return nonEmpty ?? fail('must be a non-empty secret');
      case 'path':
        return nonEmpty === undefined ? fail('must be non-empty text') : resolvePath(nonEmpty, this.cwd);
      case 'secrets':
        return this.secrets(value, label);
      case 'integer':
      case 'duration':
        return (
          this.integer(value, row.min ?? 0, row.max ?? Number.MAX_SAFE_INTEGER) ??
          fail(`must be a whole number from ${row.min} to ${row.max}`)
        );
      case 'boolean':
        return this.boolean(value) ?? fail('must be true or false');
      case 'httpUrl':
        return isHttpUrl(value) ? value : fail('must be an http:// or https:// URL');
      case 'enum':
        return this.enumValue(row.values ?? {}, value, label);
      case 'redisUrl':
        if (typeof value !== 'string') return fail(`must be a ${REDIS_SCHEMES} URL`);
        // Kept even when refused, as the datasource always was: the caller gives up on any problem anyway.
        if (!/^rediss?(-cluster)?:\/\//.test(value)) fail(`must start with ${REDIS_SCHEMES}`);
        return value;
      case 'yamlBoolean':
        return typeof value === 'boolean' ? value : fail('must be true or false');
      case 'number':
        return Number.isInteger(Number(value)) ? Number(value) : fail(`must be ${row.what}`);
      case 'anyText':
        return typeof value === 'string' ? value : fail(`must be ${row.what}`);
      case 'stringified':
        return String(value);
      case 'requiredPath':
        return typeof value === 'string' && value !== '' ? resolvePath(value, this.cwd) : fail('is required');
    }
  }

  private secrets(value: unknown, label: string): string[] | undefined {
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length === 0) {
      this.problem(`${label} must be a secret or a list of secrets`);
      return undefined;
    }
    const secrets = items.map((item) => (typeof item === 'string' ? item.trim() : ''));
    if (secrets.includes('')) this.problem(`${label} has an empty secret (or one that is not text)`);
    return secrets.filter((secret) => secret !== '');
  }

  private integer(value: unknown, min: number, max: number): number | undefined {
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max
      ? number
      : undefined;
  }

  private boolean(value: unknown): boolean | undefined {
    if (typeof value === 'boolean') return value;
    const text = typeof value === 'string' ? value.toLowerCase() : '';
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    return undefined;
  }

  private enumValue(
    values: Readonly<Record<string, string>>,
    value: unknown,
    label: string,
  ): string | undefined {
    const name = typeof value === 'string' ? value.toLowerCase() : '';
    if (Object.hasOwn(values, name)) return values[name];
    this.problem(`${label} must be one of ${[...new Set(Object.values(values))].join(', ')}`);
    return undefined;
  }
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
