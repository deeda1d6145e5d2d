/**
 * What a scalar setting holds once checked. Each kind is one check with one message, in setting-reader.ts.
 * The last four are cicdstatemgr's datasource settings, checked as loosely as cicdstatemgr 1.2.4 accepted them.
 */
interface KindValues {
  text: string;
  /** Like text, but its message says nothing about the value. */
  secret: string;
  /** A list, or text with commas between the secrets (the only way to pass several in one variable). */
  secrets: string[];
  integer: number;
  /** An integer number of milliseconds. */
  duration: number;
  boolean: boolean;
  httpUrl: string;
  /** One of `values`' keys, read as its value (aliases: `warning` is `warn`). */
  enum: string;
  /** Text, made absolute against the working directory. */
  path: string;
  redisUrl: string;
  /** A YAML true or false, nothing else. */
  yamlBoolean: boolean;
  /** A whole number, or text that is one (a quoted port). */
  number: number;
  /** Any text, even empty; `what` says what it should be. */
  anyText: string;
  /** Any value, as text: a password of digits only is read by YAML as a number. */
  stringified: string;
  /** Non-empty text, made absolute; its message says it is required. */
  requiredPath: string;
}
export type ScalarKind = keyof KindValues;
/** Read by their own code (lists, mappings, named entries); in the table for the key checks and the docs. */
export type StructuredKind = 'list' | 'mapping' | 'options';

interface RowBase {
  /** The YAML path; `*` stands for a name the user chooses (a command). */
  path: string;
  env?: string;
}
export interface ScalarRow extends RowBase {
  kind: ScalarKind;
  default?: string | number | boolean;
  /** integer and duration: the bounds, inclusive. */
  min?: number;
  max?: number;
  /** enum: the names accepted, each to the value it is read as. */
  values?: Readonly<Record<string, string>>;
  /** number and anyText: what the message says the setting must be. */
  what?: string;
}
export interface StructuredRow extends RowBase {
  kind: StructuredKind;
}
export type SettingRow = ScalarRow | StructuredRow;

type ValueOf<R extends ScalarRow> = R extends { values: Readonly<Record<string, infer T>> }
  ? T
  : KindValues[R['kind']];
/** What reading a row gives: its default when it is missing or wrong (the problem is collected), if it has one. */
export type Read<R extends ScalarRow> = R extends { default: unknown } ? ValueOf<R> : ValueOf<R> | undefined;

/** The key a row has in its section. */
export function keyOf(row: SettingRow): string {
  return row.path.slice(row.path.lastIndexOf('.') + 1);
}

/** The path of the section a row is in. */
export function sectionOf(row: SettingRow): string {
  return row.path.slice(0, row.path.lastIndexOf('.'));
}

/** The keys a section may have, in the table's order: its rows' keys and its subsections' names. */
export function knownKeys(rows: readonly SettingRow[], section: string): string[] {
  const keys = rows
    .filter((row) => row.path.startsWith(`${section}.`))
    .map((row) => row.path.slice(section.length + 1).split('.')[0] as string);
  return [...new Set(keys)];
}
