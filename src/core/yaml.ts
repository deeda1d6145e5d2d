import yaml from 'js-yaml';

/**
 * YAML as cicdstatemgr 1.2.4 reads and writes it (PyYAML: YAML 1.1, `sort_keys=False`,
 * `default_flow_style=False`). The only importer of js-yaml.
 */

// PyYAML resolves these plain scalars as booleans (YAML 1.1); js-yaml's core schema only knows true/false.
const YAML11_BOOLEANS: Record<string, boolean> = Object.fromEntries([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false]),
]);
// PyYAML 6 does not treat bare y/n as booleans.
delete YAML11_BOOLEANS['y'];
delete YAML11_BOOLEANS['Y'];
delete YAML11_BOOLEANS['n'];
delete YAML11_BOOLEANS['N'];

const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // Own keys only: `in` would also match toString, constructor and the other Object.prototype names.
  resolve: (data: string | null) => data !== null && Object.hasOwn(YAML11_BOOLEANS, data),
  construct: (data: string) => YAML11_BOOLEANS[data],
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: { lowercase: (value: object) => (value ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/**
 * Core schema (no timestamps: a date stays the string it was written as), YAML 1.1 booleans, and merge keys
 * (`<<`), which PyYAML's FullLoader honours.
 */
// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types;
const LOAD_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, merge] });

export class YamlSyntaxError extends Error {}

export function parseYaml(text: string, fileName?: string): unknown {
  try {
    return yaml.load(text, { schema: LOAD_SCHEMA, filename: fileName });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.reason || error.message : String(error);
    const where = error instanceof yaml.YAMLException && error.mark ? ` at line ${error.mark.line + 1}` : '';
    throw new YamlSyntaxError(`${reason}${where}`, { cause: error });
  }
}

/**
 * Block style, keys in insertion order, sequences not indented under their key (as PyYAML writes them), and
 * js-yaml's compatibility quoting so that strings PyYAML would read as something else (`'yes'`, `'99999'`,
 * `'2020-01-01'`, `'1:20'`) stay strings for both tools.
 */
export function dumpYaml(value: unknown): string {
  return yaml.dump(value, { noArrayIndent: true, lineWidth: -1, noRefs: true });
}
