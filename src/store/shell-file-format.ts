import { isPlainObject, type ContextDocument } from '../core/document';
import { pythonStr } from '../compat/python/python-str';

/**
 * The `shellfile` projection: one `CICD_<flattened__key>='<value>'` line per value, for Task steps to
 * `source`. Names and value text follow cicdstatemgr 1.2.4 (`__` between keys and list indexes, Python
 * `str()` of each value), with its bugs fixed: values are single-quoted so that sourcing gives back the
 * exact text and runs nothing, a top-level list keeps its indexes, and `''`, `0` and `False` are kept.
 */
export function formatShellFile(doc: ContextDocument, excludeKeyNames: readonly string[] = []): string {
  const lines: string[] = [];
  flatten(doc, '', new Set(excludeKeyNames), (key, value) => {
    lines.push(`CICD_${shellName(key)}=${shellQuote(pythonStr(value))}\n`);
  });
  return lines.join('');
}

type Emit = (key: string, value: unknown) => void;

function flatten(dict: Record<string, unknown>, parent: string, exclude: Set<string>, emit: Emit): void {
  for (const [key, value] of Object.entries(dict)) {
    if (exclude.has(key)) continue;
    const name = parent ? `${parent}__${key}` : key;
    if (Array.isArray(value)) {
      value.forEach((item, index) => emitValue(`${name}__${index}`, item, exclude, emit));
    } else {
      emitValue(name, value, exclude, emit);
    }
  }
}

function emitValue(name: string, value: unknown, exclude: Set<string>, emit: Emit): void {
  if (isPlainObject(value)) return flatten(value, name, exclude, emit);
  // Nothing useful to source; cicdstatemgr skips these too.
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return;
  emit(name, value);
}

/** Each run of characters a shell variable name cannot hold becomes one `_`, as in cicdstatemgr. */
function shellName(key: string): string {
  return key.replace(/[^0-9a-zA-Z_]+/g, '_');
}

/** Inside single quotes nothing is special to the shell except `'` itself, which is closed, escaped and reopened. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
