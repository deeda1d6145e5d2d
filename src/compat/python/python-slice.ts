import { isPyInt } from './python-number';

/**
 * Python's `seq[start:stop:step]` (PySlice_AdjustIndices): missing bounds, negative bounds counted from the
 * end, bounds past either end clamped. nunjucks' own slicing yields one `None` too many when `stop` is past
 * the end (`[1, 2][1:3]` gave `[2, None]`).
 */
export function pySlice<T>(items: T[], start: unknown, stop: unknown, step: unknown): T[] {
  const by = bound(step, 'step') ?? 1;
  if (by === 0) throw new Error('ValueError: slice step cannot be zero');
  const length = items.length;
  const adjust = (value: number | undefined, missing: number): number => {
    if (value === undefined) return missing;
    if (value < 0) {
      const from = value + length;
      return from < 0 ? (by < 0 ? -1 : 0) : from;
    }
    return value >= length ? (by < 0 ? length - 1 : length) : value;
  };
  const first = adjust(bound(start, 'start'), by < 0 ? length - 1 : 0);
  const end = adjust(bound(stop, 'stop'), by < 0 ? -1 : length);
  const result: T[] = [];
  for (let i = first; by > 0 ? i < end : i > end; i += by) result.push(items[i] as T);
  return result;
}

function bound(value: unknown, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (!isPyInt(value)) throw new TypeError(`slice ${name} must be an integer or None`);
  return Number(value);
}
