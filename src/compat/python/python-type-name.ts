import { isPlainObject } from '../../core/document';
import { isPyFloat, isPyInt } from './python-number';
import { isTuple } from './python-tuple';

/** The Python type name of a template value, for error messages worded as Python's. */
export function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (value === undefined) return 'Undefined';
  if (typeof value === 'boolean') return 'bool';
  if (isPyInt(value)) return 'int';
  if (isPyFloat(value)) return 'float';
  if (typeof value === 'string') return 'str';
  if (isTuple(value)) return 'tuple';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'function') return 'function';
  if (isPlainObject(value)) return 'dict';
  return typeof value;
}
