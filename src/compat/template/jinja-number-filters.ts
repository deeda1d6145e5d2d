import { isFalsy } from '../../core/document';
import { bind, type JinjaFilter } from './jinja-filter-arguments';
import { pyPercentFormat, pyRound, pyRoundInt } from '../python/python-format';
import { isPyFloat, isPyInt, pyFloat, pyInt } from '../python/python-number';
import { pythonRepr } from '../python/python-str';
import { pythonStrip } from '../python/python-whitespace';

/** Jinja2's number filters, with Python's int()/float() parsing of text and its round(). */

/** Python's int() of text: surrounding whitespace, a sign, `_` between digits, a base prefix matching the base. */
function parseIntText(text: string, base: number): bigint | undefined {
  let s = pythonStrip(text).toLowerCase();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  const prefixes: Record<number, string> = { 16: '0x', 8: '0o', 2: '0b' };
  const prefix = prefixes[base];
  if (prefix && s.startsWith(prefix)) s = s.slice(2).replace(/^_/, '');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (!new RegExp(`^[${digits}]+(?:_[${digits}]+)*$`).test(s)) return undefined;
  if (base === 10 && /^0+[1-9]/.test(s)) return undefined;
  return (
    sign * [...s.replaceAll('_', '')].reduce((acc, ch) => acc * BigInt(base) + BigInt(digits.indexOf(ch)), 0n)
  );
}

/** Python's float() of text. */
function parseFloatText(text: string): number | undefined {
  const s = pythonStrip(text).toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return NaN;
  if (
    !/^[+-]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)(?:e[+-]?[0-9]+(?:_[0-9]+)*)?$/.test(
      s,
    )
  ) {
    return undefined;
  }
  return Number(s.replaceAll('_', ''));
}

export const NUMBER_FILTERS: Record<string, JinjaFilter> = {
  int(_lookup, value, ...args) {
    const { named } = bind('int', args, ['default', 'base'], { default: 0, base: 10 });
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (isPyInt(value)) return value;
    if (isPyFloat(value)) {
      const n = Number(value);
      return Number.isFinite(n) ? pyInt(BigInt(Math.trunc(n))) : named['default'];
    }
    if (typeof value === 'string') {
      const int = parseIntText(value, Number(named['base']));
      if (int !== undefined) return pyInt(int);
      const float = parseFloatText(value);
      if (float !== undefined && Number.isFinite(float)) return pyInt(BigInt(Math.trunc(float)));
    }
    return named['default'];
  },

  float(_lookup, value, ...args) {
    const { named } = bind('float', args, ['default'], { default: pyFloat(0) });
    if (typeof value === 'boolean') return pyFloat(value ? 1 : 0);
    if (isPyInt(value) || isPyFloat(value)) return pyFloat(Number(value));
    if (typeof value === 'string') {
      const float = parseFloatText(value);
      if (float !== undefined) return pyFloat(float);
    }
    return named['default'];
  },

  round(_lookup, value, ...args) {
    const { named } = bind('round', args, ['precision', 'method'], { precision: 0, method: 'common' });
    const precision = Number(named['precision']);
    const method = named['method'];
    if (method === 'common') {
      // Python's round(int, n) keeps an int.
      if (isPyInt(value)) return pyInt(pyRoundInt(BigInt(value), precision));
      if (typeof value === 'boolean') return pyInt(pyRoundInt(value ? 1n : 0n, precision));
      return pyFloat(pyRound(Number(value), precision));
    }
    if (method !== 'floor' && method !== 'ceil')
      throw new Error('FilterArgumentError: method must be common, ceil or floor');
    const factor = 10 ** precision;
    const rounded = (method === 'floor' ? Math.floor : Math.ceil)(Number(value) * factor);
    return pyFloat(rounded / factor);
  },

  abs(_lookup, value) {
    if (isPyInt(value)) return typeof value === 'bigint' ? (value < 0n ? -value : value) : Math.abs(value);
    if (isPyFloat(value)) return pyFloat(Math.abs(Number(value)));
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new TypeError(`bad operand type for abs(): '${typeof value}'`);
  },

  filesizeformat(_lookup, value, ...args) {
    const { named } = bind('filesizeformat', args, ['binary'], { binary: false });
    const binary = !isFalsy(named['binary']);
    const bytes = typeof value === 'string' ? parseFloatText(value) : Number(value);
    if (bytes === undefined || Number.isNaN(bytes)) {
      throw new Error(`ValueError: could not convert string to float: ${pythonRepr(value)}`);
    }
    const base = binary ? 1024 : 1000;
    const prefixes = binary
      ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']
      : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
    if (bytes === 1) return '1 Byte';
    if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
    let i = 0;
    while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++;
    return `${pyPercentFormat('%.1f', (base * bytes) / base ** (i + 2))} ${prefixes[i]}`;
  },
};
