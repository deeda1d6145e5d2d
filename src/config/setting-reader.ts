import { isPlainObject } from '../core/document';
import type { LogLevel } from './gateway-config';

/** A section of the gateway's YAML as parsed, before any of it is checked. */
export type Raw = Record<string, unknown>;
/** A setting's value and where it came from (an env name or a YAML path), which is what errors name. */
export interface Setting {
  value: unknown;
  label: string;
}

const LOG_LEVELS: Record<string, LogLevel> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
};
// Arg and route names become object keys (the forwarded JSON, route lookups): these would reach the prototype.
export const FORBIDDEN_NAMES = ['__proto__', 'constructor', 'prototype'];

/** Reads settings (environment first, then YAML) and collects what is wrong with them. */
export class SettingReader {
  constructor(
    private readonly vars: Record<string, string | undefined>,
    private readonly problems: string[],
  ) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Set and not blank: an empty variable (an optional Kubernetes secret, say) counts as unset. */
  env(name: string): string | undefined {
    const value = this.vars[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  pick(raw: Raw, where: string, key: string, envName?: string): Setting {
    const fromEnv = envName === undefined ? undefined : this.env(envName);
    if (fromEnv !== undefined) return { value: fromEnv, label: envName as string };
    const value = raw[key];
    return { value: value === null ? undefined : value, label: `${where}.${key}` };
  }

  mapping(raw: Raw, where: string, key: string): Raw {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (isPlainObject(value)) return value;
    this.problem(`${where}.${key} must be a mapping`);
    return {};
  }

  checkKeys(raw: Raw, where: string, known: string[]): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) this.problem(`${where}.${key}: unknown setting (known: ${known.join(', ')})`);
    }
  }

  text({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.problem(`${label} must be non-empty text`);
    return undefined;
  }

  /** Like text, but the message says nothing about the value. */
  secret({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    this.problem(`${label} must be a non-empty secret`);
    return undefined;
  }

  /** A list, or text with commas between the secrets (the only way to pass several in one variable). */
  secretList({ value, label }: Setting): string[] | undefined {
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length === 0) {
      this.problem(`${label} must be a secret or a list of secrets`);
      return undefined;
    }
    const secrets = items.map((item) => (typeof item === 'string' ? item.trim() : ''));
    if (secrets.includes('')) this.problem(`${label} has an empty secret (or one that is not text)`);
    return secrets.filter((secret) => secret !== '');
  }

  integer({ value, label }: Setting, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max)
      return number;
    this.problem(`${label} must be a whole number from ${min} to ${max}`);
    return undefined;
  }

  boolean({ value, label }: Setting): boolean | undefined {
    if (value === undefined || typeof value === 'boolean') return value;
    const text = typeof value === 'string' ? value.toLowerCase() : '';
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    this.problem(`${label} must be true or false`);
    return undefined;
  }

  httpUrl({ value, label }: Setting): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && URL.canParse(value)) {
      const { protocol } = new URL(value);
      if (protocol === 'http:' || protocol === 'https:') return value;
    }
    this.problem(`${label} must be an http:// or https:// URL`);
    return undefined;
  }

  logLevel({ value, label }: Setting): LogLevel | undefined {
    if (value === undefined) return undefined;
    const name = typeof value === 'string' ? value.toLowerCase() : '';
    const level = Object.hasOwn(LOG_LEVELS, name) ? LOG_LEVELS[name] : undefined;
    if (level !== undefined) return level;
    this.problem(`${label} must be one of debug, info, warn, error`);
    return undefined;
  }
}
