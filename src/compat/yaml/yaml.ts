import yaml from 'js-yaml';
import { readBlockYaml } from './block-yaml-reader';
import { writeBlockYaml } from './block-yaml-writer';
import { keyOrderRecorder, mayHaveIntegerKeys } from './yaml-key-order';
import { YAML11_SCHEMA } from './yaml11-schema';

/**
 * YAML as cicdstatemgr 1.2.4 reads and writes it (PyYAML: YAML 1.1, `sort_keys=False`,
 * `default_flow_style=False`). The only importer of js-yaml.
 */

export class YamlSyntaxError extends Error {}

export function parseYaml(text: string, fileName?: string): unknown {
  // The block style documents are written in is read directly; anything else, and every error, is js-yaml's.
  const read = readBlockYaml(text);
  return read ? read.value : parseYamlWithJsYaml(text, fileName);
}

/** parseYaml without its fast reader: what readBlockYaml must read the same (its test compares the two). */
export function parseYamlWithJsYaml(text: string, fileName?: string): unknown {
  let value: unknown;
  // Integer-like keys are put back in the order they are written in, as PyYAML's dicts keep them.
  const order = mayHaveIntegerKeys(text) ? keyOrderRecorder() : undefined;
  try {
    value = yaml.load(text, { schema: YAML11_SCHEMA, filename: fileName, listener: order?.listener });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.reason || error.message : String(error);
    const where = error instanceof yaml.YAMLException && error.mark ? ` at line ${error.mark.line + 1}` : '';
    throw new YamlSyntaxError(`${reason}${where}`, { cause: error });
  }
  // js-yaml turns a mapping used as a key (`{{ x }}` is one) into the key "[object Object]"; PyYAML refuses it.
  if (hasObjectKey(value)) throw new YamlSyntaxError('a mapping cannot be a mapping key');
  return order ? order.apply(value) : value;
}

function hasObjectKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasObjectKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => key === '[object Object]' || hasObjectKey(item));
}

export interface DumpYamlOptions {
  /** Spaces per level (PyYAML's `indent`); sequences stay unindented under their key, as PyYAML writes them. */
  indent?: number;
}

/**
 * Block style, keys in insertion order, sequences not indented under their key (as PyYAML writes them), and
 * quoting decided by PyYAML's own resolvers (YAML11_SCHEMA): a string is quoted exactly when PyYAML would
 * read it plain as something else (`'yes'`, `'1_000'`, `'99999'`, `'2020-01-01'`), and `y`, `1e3` or `0o17`
 * stay plain, as PyYAML writes them.
 */
export function dumpYaml(value: unknown, options: DumpYamlOptions = {}): string {
  const indent = options.indent ?? 2;
  const written = indent === 2 ? writeBlockYaml(value, dumpScalar) : undefined;
  return written === undefined ? dumpYamlWithJsYaml(value, options) : `${written}\n`;
}

/** dumpYaml without its block writer: what writeBlockYaml must write the same (its test compares the two). */
export function dumpYamlWithJsYaml(value: unknown, options: DumpYamlOptions = {}): string {
  return yaml.dump(value, {
    schema: YAML11_SCHEMA,
    noArrayIndent: true,
    lineWidth: -1,
    noRefs: true,
    noCompatMode: true,
    indent: options.indent ?? 2,
  });
}

/** A scalar as js-yaml writes it alone, which is how it writes it anywhere in a block when it fits on a line. */
function dumpScalar(value: unknown): string {
  return dumpYamlWithJsYaml(value).slice(0, -1);
}
