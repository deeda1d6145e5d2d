import type { Logger } from '../../core/logger';
import { pythonStrip } from '../python/python-whitespace';

export interface SetPair {
  path: string;
  value: string;
}

/**
 * `--set` arguments as cicdstatemgr reads them: every argument is a `|`-separated list of `path=value` pairs
 * (so a value can never contain `|`), the value is everything after the first `=`, and a pair with an empty
 * side is skipped with a warning.
 */
export function parseSetArgs(args: readonly string[], logger?: Logger): SetPair[] {
  const pairs: SetPair[] = [];
  for (const raw of args.flatMap((arg) => arg.split('|'))) {
    const pair = pythonStrip(raw);
    const [key = '', ...rest] = pair.split('=');
    const path = pythonStrip(key);
    const value = pythonStrip(rest.join('='));
    if (rest.length === 0 || !path || !value) {
      logger?.warn(`setValues() invalid kvPair: ${pair}`);
      continue;
    }
    pairs.push({ path, value });
  }
  return pairs;
}
