import { isFalsy, isPlainObject } from '../../core/document';
import { bind, iterate, type JinjaFilter, type Lookup } from './jinja-filter-arguments';
import { pyPercentFormat } from '../python/python-format';
import { pythonRepr, pythonStr } from '../python/python-str';
import { titleCase } from '../python/python-title-case';
import { pyReplace } from './template-filters';
import { pyTuple } from '../python/python-tuple';
import { pythonStrip } from '../python/python-whitespace';
import { wordwrap } from '../python/python-textwrap';

/** Jinja2's text filters: case, trimming, wrapping, indenting, escaping and Python's % formatting. */

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

export const STRING_FILTERS: Record<string, JinjaFilter> = {
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

  // Jinja2's soft_str: Undefined is '' (a missing `first`, a missing attribute).
  string: (_lookup, value) => (value === undefined ? '' : pythonStr(value)),
  upper: (_lookup, value) => (value === undefined ? '' : pythonStr(value)).toUpperCase(),
  lower: (_lookup, value) => (value === undefined ? '' : pythonStr(value)).toLowerCase(),

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
};
