import { isFalsy, isPlainObject } from './document';
import { pyCompare, pyEquals } from './python-compare';
import { pyPercentFormat, pyRound, pyRoundInt } from './python-format';
import { isPyFloat, isPyInt, pyFloat, pyInt } from './python-number';
import { pyAdd } from './python-ops';
import { pythonRepr, pythonStr } from './python-str';
import { pyReplace } from './template-filters';
import { titleCase } from './python-string-methods';
import { groupTuple, pyTuple } from './python-tuple';
import { pythonStrip } from './python-whitespace';
import { wordwrap } from './python-textwrap';

/**
 * Jinja2's built-in filters where nunjucks has none or gives other results: Python types, code-point
 * lengths, Jinja2's keyword arguments (`sort(attribute='age')`, `sum(attribute='v')`) and its defaults
 * (`truncate`'s leeway of 5). Filters that take a filter or test by name (`map('upper')`, `select('gt', 1)`)
 * look it up through `Lookup`, so that they see this environment's filters and tests.
 */

export interface Lookup {
  filter(name: string): (value: unknown, ...args: unknown[]) => unknown;
  test(name: string): (value: unknown, ...args: unknown[]) => boolean;
  /** Jinja2's environment.getattr/getitem on a template value. */
  attribute(value: unknown, name: string): unknown;
}

export type JinjaFilter = (lookup: Lookup, value: unknown, ...args: unknown[]) => unknown;

interface Bound {
  named: Record<string, unknown>;
  rest: unknown[];
}

/** Binds positional and keyword arguments to Python parameter names; leftovers stay in `rest` (for *args). */
function bind(
  filter: string,
  args: unknown[],
  names: string[],
  defaults: Record<string, unknown> = {},
): Bound {
  const last = args[args.length - 1];
  const keywords = isPlainObject(last) && last['__keywords'] === true ? last : undefined;
  const positional = keywords ? args.slice(0, -1) : args;
  const named: Record<string, unknown> = { ...defaults };
  names.forEach((name, i) => {
    if (i < positional.length) named[name] = positional[i];
  });
  for (const [name, value] of Object.entries(keywords ?? {})) {
    if (name === '__keywords') continue;
    if (!names.includes(name))
      throw new TypeError(`${filter}() got an unexpected keyword argument '${name}'`);
    named[name] = value;
  }
  return { named, rest: positional.slice(names.length) };
}

function iterate(value: unknown, filter: string): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isPlainObject(value)) return Object.keys(value);
  throw new TypeError(`${filter}: '${typeof value}' object is not iterable`);
}

/** Jinja2's make_attrgetter: `a.b` and `0` reach into items; undefined where nothing is there. */
function attributeGetter(lookup: Lookup, attribute: unknown, lower = false): (item: unknown) => unknown {
  const parts = typeof attribute === 'number' ? [attribute] : String(attribute).split('.');
  return (item) => {
    let value = item;
    for (const part of parts) {
      const key = typeof part === 'string' && /^[0-9]+$/.test(part) ? Number(part) : part;
      value = lookup.attribute(value, key as string);
    }
    return lower && typeof value === 'string' ? value.toLowerCase() : value;
  };
}

function keyFunction(lookup: Lookup, attribute: unknown, caseSensitive: unknown): (item: unknown) => unknown {
  const lower = isFalsy(caseSensitive);
  if (attribute === undefined || attribute === null) {
    return (item) => (lower && typeof item === 'string' ? item.toLowerCase() : item);
  }
  // `sort(attribute='team,age')` sorts by several attributes.
  const getters = String(attribute)
    .split(',')
    .map((part) => attributeGetter(lookup, part.trim(), lower));
  return getters.length === 1
    ? (getters[0] as (item: unknown) => unknown)
    : (item) => getters.map((g) => g(item));
}

function requireDefined(filter: string, value: unknown, item: unknown): unknown {
  if (value === undefined)
    throw new Error(`UndefinedError: ${filter}: ${pythonStr(item)} has no such attribute`);
  return value;
}

function sorted(items: unknown[], key: (item: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  // Jinja2's Undefined keys (a missing attribute) compare as equal, so the order stays as it was.
  // Python's sort is stable in both directions: equal keys keep their order even with reverse=True.
  const direction = reverse ? -1 : 1;
  keyed.sort((a, b) =>
    a.key === undefined && b.key === undefined ? 0 : direction * pyCompare(a.key, b.key),
  );
  return keyed.map(({ item }) => item);
}

function minMax(filter: 'min' | 'max') {
  return (lookup: Lookup, value: unknown, ...args: unknown[]): unknown => {
    const { named } = bind(filter, args, ['case_sensitive', 'attribute'], { case_sensitive: false });
    const items = iterate(value, filter);
    if (items.length === 0) return undefined;
    const key = keyFunction(lookup, named['attribute'], named['case_sensitive']);
    return items.reduce((best, item) => {
      const order = pyCompare(key(item), key(best));
      return (filter === 'min' ? order < 0 : order > 0) ? item : best;
    });
  };
}

function selectOrReject(filter: string, byAttribute: boolean, keep: boolean): JinjaFilter {
  return (lookup, value, ...args) => {
    const positional = args.filter((a) => !(isPlainObject(a) && a['__keywords'] === true));
    const [attribute, testName, ...testArgs] = byAttribute ? positional : [undefined, ...positional];
    const get = byAttribute ? attributeGetter(lookup, attribute) : (item: unknown) => item;
    const test =
      testName === undefined
        ? (v: unknown) => !isFalsy(v)
        : (v: unknown) => lookup.test(String(testName))(v, ...testArgs);
    return iterate(value, filter).filter((item) => test(get(item)) === keep);
  };
}

function truncate(_lookup: Lookup, value: unknown, ...args: unknown[]): unknown {
  const { named } = bind('truncate', args, ['length', 'killwords', 'end', 'leeway'], {
    length: 255,
    killwords: false,
    end: '...',
    leeway: 5,
  });
  const text = [...pythonStr(value)];
  const length = Number(named['length']);
  const end = String(named['end']);
  const leeway = named['leeway'] === null || named['leeway'] === undefined ? 5 : Number(named['leeway']);
  if (length < [...end].length) throw new Error(`expected length >= ${[...end].length}, got ${length}`);
  if (leeway < 0) throw new Error(`expected leeway >= 0, got ${leeway}`);
  if (text.length <= length + leeway) return text.join('');
  const kept = text.slice(0, length - [...end].length).join('');
  if (!isFalsy(named['killwords'])) return kept + end;
  const space = kept.lastIndexOf(' ');
  return (space === -1 ? kept : kept.slice(0, space)) + end;
}

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

/** markupsafe's escape, which xmlattr uses: & < > " ' as entities. */
function htmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&#34;')
    .replaceAll("'", '&#39;');
}

/** urllib.parse.quote: UTF-8 bytes percent-encoded except letters, digits, `_.-~` and `safe`. */
function urlQuote(text: string, safe: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out +=
      /[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const JINJA_FILTERS: Record<string, JinjaFilter> = {
  length: (_lookup, value) =>
    typeof value === 'string' ? [...value].length : iterate(value, 'length').length,
  count: (lookup, value) => JINJA_FILTERS['length']!(lookup, value),
  min: minMax('min'),
  max: minMax('max'),

  sum(lookup, value, ...args) {
    const { named } = bind('sum', args, ['attribute', 'start'], { start: 0 });
    const attribute = named['attribute'];
    const get =
      attribute === undefined || attribute === null
        ? (item: unknown) => item
        : attributeGetter(lookup, attribute);
    return iterate(value, 'sum').reduce(
      (total, item) => pyAdd(total, requireDefined('sum', get(item), item)),
      named['start'],
    );
  },

  unique(lookup, value, ...args) {
    const { named } = bind('unique', args, ['case_sensitive', 'attribute'], { case_sensitive: false });
    const key = keyFunction(lookup, named['attribute'], named['case_sensitive']);
    const seen: unknown[] = [];
    return iterate(value, 'unique').filter((item) => {
      const k = key(item);
      if (seen.some((s) => pyEquals(s, k))) return false;
      seen.push(k);
      return true;
    });
  },

  sort(lookup, value, ...args) {
    const { named } = bind('sort', args, ['reverse', 'case_sensitive', 'attribute'], {
      reverse: false,
      case_sensitive: false,
    });
    const key = keyFunction(lookup, named['attribute'], named['case_sensitive']);
    return sorted(iterate(value, 'sort'), key, !isFalsy(named['reverse']));
  },

  dictsort(_lookup, value, ...args) {
    const { named } = bind('dictsort', args, ['case_sensitive', 'by', 'reverse'], {
      case_sensitive: false,
      by: 'key',
      reverse: false,
    });
    if (!isPlainObject(value)) throw new TypeError('dictsort: a mapping is required');
    const by = named['by'] === 'value' ? 1 : named['by'] === 'key' ? 0 : undefined;
    if (by === undefined)
      throw new Error("FilterArgumentError: You can only sort by either 'key' or 'value'");
    const lower = isFalsy(named['case_sensitive']);
    const pairs = Object.entries(value).map(([k, v]) => pyTuple([k, v]));
    const key = (pair: unknown) => {
      const part = (pair as unknown[])[by];
      return lower && typeof part === 'string' ? part.toLowerCase() : part;
    };
    return sorted(pairs, key, !isFalsy(named['reverse']));
  },

  items(_lookup, value) {
    if (value === undefined) return [];
    if (!isPlainObject(value)) throw new TypeError('items: a mapping is required');
    return Object.entries(value).map(([k, v]) => pyTuple([k, v]));
  },

  groupby(lookup, value, ...args) {
    const { named } = bind('groupby', args, ['attribute', 'default', 'case_sensitive'], {
      case_sensitive: false,
    });
    const get = attributeGetter(lookup, named['attribute']);
    const lower = isFalsy(named['case_sensitive']);
    const keyOf = (item: unknown) => {
      const k = get(item) ?? named['default'];
      return lower && typeof k === 'string' ? k.toLowerCase() : k;
    };
    const groups: unknown[][] = [];
    let current: { key: unknown; items: unknown[] } | undefined;
    for (const item of sorted(iterate(value, 'groupby'), keyOf, false)) {
      const key = keyOf(item);
      if (!current || !pyEquals(current.key, key)) {
        current = { key, items: [] };
        groups.push(groupTuple(lower ? (get(item) ?? named['default']) : key, current.items));
      }
      current.items.push(item);
    }
    return groups;
  },

  map(lookup, value, ...args) {
    const last = args[args.length - 1];
    const keywords = isPlainObject(last) && last['__keywords'] === true ? last : undefined;
    const items = iterate(value, 'map');
    if (keywords && 'attribute' in keywords) {
      const get = attributeGetter(lookup, keywords['attribute']);
      return items.map((item) => get(item) ?? keywords['default']);
    }
    const [name, ...rest] = args;
    if (typeof name !== 'string') throw new Error('map requires a filter argument');
    const filter = lookup.filter(name);
    return items.map((item) => filter(item, ...rest));
  },

  select: selectOrReject('select', false, true),
  reject: selectOrReject('reject', false, false),
  selectattr: selectOrReject('selectattr', true, true),
  rejectattr: selectOrReject('rejectattr', true, false),

  truncate,

  wordwrap(_lookup, value, ...args) {
    const { named } = bind(
      'wordwrap',
      args,
      ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'],
      {
        width: 79,
        break_long_words: true,
        wrapstring: '\n',
        break_on_hyphens: true,
      },
    );
    return wordwrap(pythonStr(value), {
      width: Number(named['width']),
      breakLongWords: !isFalsy(named['break_long_words']),
      wrapstring: named['wrapstring'] === null ? '\n' : String(named['wrapstring']),
      breakOnHyphens: !isFalsy(named['break_on_hyphens']),
    });
  },

  format(_lookup, value, ...args) {
    const last = args[args.length - 1];
    const keywords = isPlainObject(last) && last['__keywords'] === true ? last : undefined;
    if (keywords) {
      const mapping = Object.fromEntries(Object.entries(keywords).filter(([name]) => name !== '__keywords'));
      return pyPercentFormat(pythonStr(value), mapping);
    }
    return pyPercentFormat(pythonStr(value), pyTuple(args));
  },

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

  title(_lookup, value) {
    return pythonStr(value)
      .split(/([-\s({[<]+)/)
      .filter((part) => part !== '')
      .map((part) => {
        const [first = '', ...rest] = [...part];
        return first.toUpperCase() + rest.join('').toLowerCase();
      })
      .join('');
  },

  // Python's str.capitalize(): the first character in title case (`ǆ` → `ǅ`, `ß` → `Ss`), the rest lower.
  capitalize(_lookup, value) {
    const [first = '', ...rest] = [...pythonStr(value)];
    return titleCase(first) + rest.join('').toLowerCase();
  },

  wordcount: (_lookup, value) => pythonStr(value).match(/[\p{L}\p{N}_]+/gu)?.length ?? 0,

  trim(_lookup, value, ...args) {
    const { named } = bind('trim', args, ['chars']);
    const text = pythonStr(value);
    const chars = named['chars'];
    if (chars === undefined || chars === null) return pythonStrip(text);
    const set = [...String(chars)];
    const items = [...text];
    let start = 0;
    let end = items.length;
    while (start < end && set.includes(items[start] as string)) start++;
    while (end > start && set.includes(items[end - 1] as string)) end--;
    return items.slice(start, end).join('');
  },

  list: (_lookup, value) => [...iterate(value, 'list')],

  join(lookup, value, ...args) {
    const { named } = bind('join', args, ['d', 'attribute'], { d: '' });
    const attribute = named['attribute'];
    const get =
      attribute === undefined || attribute === null
        ? (item: unknown) => item
        : attributeGetter(lookup, attribute);
    return iterate(value, 'join')
      .map((item) => pythonStr(get(item)))
      .join(pythonStr(named['d']));
  },

  reverse(_lookup, value) {
    if (typeof value === 'string') return [...value].reverse().join('');
    return [...iterate(value, 'reverse')].reverse();
  },

  // Jinja2's soft_str: Undefined is '' (a missing `first`, a missing attribute).
  string: (_lookup, value) => (value === undefined ? '' : pythonStr(value)),
  upper: (_lookup, value) => (value === undefined ? '' : pythonStr(value)).toUpperCase(),
  lower: (_lookup, value) => (value === undefined ? '' : pythonStr(value)).toLowerCase(),

  abs(_lookup, value) {
    if (isPyInt(value)) return typeof value === 'bigint' ? (value < 0n ? -value : value) : Math.abs(value);
    if (isPyFloat(value)) return pyFloat(Math.abs(Number(value)));
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new TypeError(`bad operand type for abs(): '${typeof value}'`);
  },

  first: (_lookup, value) => iterate(value, 'first')[0],

  replace(_lookup, value, ...args) {
    const { named } = bind('replace', args, ['old', 'new', 'count']);
    const count = named['count'] === undefined || named['count'] === null ? -1 : Number(named['count']);
    return pyReplace(pythonStr(value), pythonStr(named['old']), pythonStr(named['new']), count);
  },

  pprint: (_lookup, value) => pythonRepr(value),

  indent(_lookup, value, ...args) {
    const { named } = bind('indent', args, ['width', 'first', 'blank'], {
      width: 4,
      first: false,
      blank: false,
    });
    const indention =
      typeof named['width'] === 'string' ? named['width'] : ' '.repeat(Number(named['width']));
    // Jinja2 appends a newline before splitting, so text ending in one keeps its last empty line.
    // eslint-disable-next-line no-control-regex -- str.splitlines() boundaries
    const lines = (pythonStr(value) + '\n').split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
    lines.pop();
    let text: string;
    if (!isFalsy(named['blank'])) {
      text = lines.join(`\n${indention}`);
    } else {
      const [head = '', ...rest] = lines;
      text =
        head +
        (rest.length > 0 ? `\n${rest.map((line) => (line ? indention + line : line)).join('\n')}` : '');
    }
    return isFalsy(named['first']) ? text : indention + text;
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

  xmlattr(_lookup, value, ...args) {
    const { named } = bind('xmlattr', args, ['autospace'], { autospace: true });
    if (!isPlainObject(value)) throw new TypeError('xmlattr: a mapping is required');
    const items = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([key, v]) => {
        if (/[\s/>=]/.test(key)) throw new Error(`ValueError: Invalid character in attribute name: '${key}'`);
        return `${htmlEscape(key)}="${htmlEscape(pythonStr(v))}"`;
      });
    const text = items.join(' ');
    return !isFalsy(named['autospace']) && text ? ` ${text}` : text;
  },

  urlencode(_lookup, value) {
    if (typeof value === 'string') return urlQuote(value, '/');
    const pairs = isPlainObject(value) ? Object.entries(value) : iterate(value, 'urlencode');
    return pairs
      .map((pair) => {
        const [k, v] = pair as [unknown, unknown];
        return `${urlQuote(pythonStr(k), '').replaceAll('%20', '+')}=${urlQuote(pythonStr(v), '').replaceAll('%20', '+')}`;
      })
      .join('&');
  },
  last(_lookup, value) {
    const items = iterate(value, 'last');
    return items[items.length - 1];
  },
};
