import { isPlainObject } from '../../src/core/document';
import { isPyFloat, pyFloat, pythonFloatRepr } from '../../src/compat/python/python-number';
import type { Tagged } from './python-reference';

/**
 * Our values in reference.py's tagged form, so that one deepStrictEqual compares types as Python sees them:
 * a whole float must come back as ['float', '2.0'], not ['int', '2'].
 */
export function tagOurs(value: unknown): Tagged {
  if (value === null || value === undefined) return ['null'];
  if (typeof value === 'boolean') return ['bool', value];
  if (typeof value === 'bigint') return ['int', value.toString()];
  if (isPyFloat(value)) return ['float', pythonFloatRepr(Number(value))];
  if (typeof value === 'number') return ['int', BigInt(value).toString()];
  if (typeof value === 'string') return ['str', value];
  if (Array.isArray(value)) return ['list', value.map(tagOurs)];
  if (isPlainObject(value)) {
    return ['dict', Object.entries(value).map(([k, v]): [Tagged, Tagged] => [['str', k], tagOurs(v)])];
  }
  return ['other', typeof value, String(value)];
}

/** The value our document model holds for a tagged Python value (mapping keys become text). */
export function untagOurs(tagged: Tagged): unknown {
  switch (tagged[0]) {
    case 'null':
      return null;
    case 'bool':
    case 'str':
      return tagged[1];
    case 'int':
      return Number(tagged[1]);
    case 'float':
      return pyFloat(Number(tagged[1].replace(/^(-?)inf$/, '$1Infinity').replace('nan', 'NaN')));
    case 'list':
      return tagged[1].map(untagOurs);
    case 'dict':
      return Object.fromEntries(tagged[1].map(([k, v]) => [String(untagOurs(k)), untagOurs(v)]));
    case 'other':
      throw new Error(`no model value for a Python ${tagged[1]}`);
  }
}

export const str = (s: string): Tagged => ['str', s];
export const dict = (...entries: [string, Tagged][]): Tagged => [
  'dict',
  entries.map(([k, v]) => [str(k), v]),
];
