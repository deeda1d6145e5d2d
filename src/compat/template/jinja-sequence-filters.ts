import { isFalsy, isPlainObject } from '../../core/document';
import { bind, iterate, type JinjaFilter, type Lookup } from './jinja-filter-arguments';
import { attributeGetter, keyFunction, requireDefined, sorted } from './jinja-item-keys';
import { pyCompare, pyEquals } from '../python/python-compare';
import { pyAdd } from '../python/python-ops';
import { pythonStr } from '../python/python-str';
import { groupTuple, pyTuple } from '../python/python-tuple';

/** Jinja2's filters over sequences and mappings: lengths, sorting, grouping, selecting, joining. */

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

export const SEQUENCE_FILTERS: Record<string, JinjaFilter> = {
  length: (_lookup, value) =>
    typeof value === 'string' ? [...value].length : iterate(value, 'length').length,
  count: (lookup, value) => SEQUENCE_FILTERS['length']!(lookup, value),
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

  first: (_lookup, value) => iterate(value, 'first')[0],

  last(_lookup, value) {
    const items = iterate(value, 'last');
    return items[items.length - 1];
  },
};
