import yaml from 'js-yaml';
import { isPyFloat, isWholeFloat, pyFloat, pythonFloatRepr, pythonNumberStr } from '../python/python-number';

/**
 * The plain scalars PyYAML (YAML 1.1, its SafeLoader/FullLoader resolvers) reads as something other than a
 * string, with the values it makes of them. The same resolvers decide, when we write, which strings must be
 * quoted: PyYAML quotes exactly the strings its resolvers would read as another type, so a document written
 * by either tool reads back with the same types in the other. The regular expressions are PyYAML's
 * (yaml/resolver.py), unchanged.
 */

const BOOLEANS: Record<string, boolean> = {};
for (const s of ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLEANS[s] = true;
for (const s of ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLEANS[s] = false;

const NULL = /^(?:~|null|Null|NULL|)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
// The exponent needs a sign and the mantissa a dot: `1e3`, `1.0e5` and `-.5` are strings in YAML 1.1.
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** An int a JavaScript number cannot hold exactly (most beyond ±2**53) is refused, not rounded. */
function exactInteger(value: bigint, text: string): number {
  const n = Number(value);
  if (BigInt(n) !== value) {
    throw new yaml.YAMLException(
      `the integer ${text} has more digits than slackline can keep (beyond ±2**53); quote it to keep it as text`,
    );
  }
  return n;
}

function sexagesimal(text: string): number[] {
  return text.split(':').map(Number);
}

function constructInt(data: string): number {
  let text = data.replaceAll('_', '');
  let sign = 1n;
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1n;
    text = text.slice(1);
  }
  let value: bigint;
  if (text === '0') value = 0n;
  else if (text.startsWith('0b')) value = BigInt(text);
  else if (text.startsWith('0x')) value = BigInt(text);
  else if (text.startsWith('0')) value = BigInt(`0o${text.slice(1)}`);
  else if (text.includes(':')) value = sexagesimal(text).reduce((acc, part) => acc * 60n + BigInt(part), 0n);
  else value = BigInt(text);
  return exactInteger(sign * value, data);
}

function constructFloat(data: string): unknown {
  let text = data.replaceAll('_', '').toLowerCase();
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1;
    text = text.slice(1);
  }
  if (text === '.inf') return sign * Infinity;
  if (text === '.nan') return NaN;
  const value = text.includes(':')
    ? sexagesimal(text).reduce((acc, part) => acc * 60 + part, 0)
    : Number(text);
  return pyFloat(sign * value);
}

const nullType = new yaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || NULL.test(data),
  construct: () => null,
  predicate: (value: unknown) => value === null,
  represent: { lowercase: () => 'null' },
  defaultStyle: 'lowercase',
});

const boolType = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // Own keys only: `in` would also match toString, constructor and the other Object.prototype names.
  resolve: (data: string | null) => data !== null && Object.hasOwn(BOOLEANS, data),
  construct: (data: string) => BOOLEANS[data],
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: { lowercase: (value: object) => (value.valueOf() ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

const intType = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && INT.test(data),
  construct: constructInt,
  predicate: (value: unknown) =>
    (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint',
  represent: { decimal: (value: object) => pythonNumberStr(value as unknown as number | bigint) },
  defaultStyle: 'decimal',
});

// PyYAML's represent_float: repr() lower-cased, `.0` put before a bare exponent so its own resolver reads a float.
function representFloat(value: object): string {
  const n = Number(value);
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const text = pythonFloatRepr(n).toLowerCase();
  return !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text;
}

const floatType = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && FLOAT.test(data),
  construct: constructFloat,
  predicate: isPyFloat,
  represent: { python: representFloat },
  defaultStyle: 'python',
});

// A boxed whole float is an object to js-yaml; this explicit type catches it before the mapping writer does.
const wholeFloatType = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  instanceOf: Number,
  predicate: isWholeFloat,
  represent: { python: representFloat },
  defaultStyle: 'python',
});

// PyYAML reads these as dates; we keep them as the text they are, but must quote such text when we write it.
const timestampType = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && TIMESTAMP.test(data),
  construct: (data: string) => data,
  predicate: () => false,
});

// A plain `=` is PyYAML's `value` tag, which its loaders cannot construct: write it quoted.
const valueType = new yaml.Type('tag:yaml.org,2002:value', {
  kind: 'scalar',
  resolve: (data: string | null) => data === '=',
  construct: (data: string) => data,
  predicate: () => false,
});

/** The type PyYAML's resolvers give a plain scalar's text. */
export function yaml11Resolves(
  text: string,
): 'str' | 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'other' {
  const word = wordType(text);
  if (word) return word;
  if (NULL.test(text)) return 'null';
  if (Object.hasOwn(BOOLEANS, text)) return 'bool';
  if (FLOAT.test(text)) return 'float';
  if (INT.test(text)) return 'int';
  if (TIMESTAMP.test(text)) return 'timestamp';
  if (text === '=' || text === '<<') return 'other';
  return 'str';
}

/** The plain text PyYAML's representer writes for a non-string scalar. */
export function yaml11ScalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isPyFloat(value)) return representFloat(Object(value));
  return pythonNumberStr(value as number | bigint);
}

// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const { str, seq, map, merge } = (yaml as unknown as { types: Record<string, yaml.Type> }).types as {
  str: yaml.Type;
  seq: yaml.Type;
  map: yaml.Type;
  merge: yaml.Type;
};

/** YAML 1.1 as PyYAML resolves it, plus merge keys (`<<`), which PyYAML's FullLoader honours. */
export const YAML11_SCHEMA = new yaml.Schema({
  explicit: [str, seq, map, wholeFloatType],
  implicit: [nullType, boolType, intType, floatType, timestampType, valueType, merge],
});

// The list js-yaml's loader tries a plain scalar against (state.implicitTypes), as the schema compiled it.
const IMPLICIT = (YAML11_SCHEMA as unknown as { compiledImplicit: yaml.Type[] }).compiledImplicit;

/** What resolvePlainScalar answers for `<<`: a merge key, which only js-yaml's mapping reader knows to merge. */
export const MERGE_KEY: unique symbol = Symbol('merge key');

/**
 * What js-yaml's loader makes of a plain scalar's text with YAML11_SCHEMA (composeNode): the first implicit
 * type whose resolve accepts it constructs it, else it is the text. MERGE_KEY for `<<`. A construct may throw
 * (an int beyond ±2**53), as it would in js-yaml.
 */
export function resolvePlainScalar(text: string): unknown {
  if (wordType(text) === 'str') return text;
  for (const type of IMPLICIT) {
    if (type.resolve(text)) return type === merge ? MERGE_KEY : type.construct(text);
  }
  return text;
}

const NULL_WORDS = new Set(['null', 'Null', 'NULL']);

/**
 * The type of text that starts with a letter, as most text does: of all the resolvers' forms only the null and
 * boolean words (five letters at most) do, so no expression needs to run. Undefined for other text.
 */
function wordType(text: string): 'null' | 'bool' | 'str' | undefined {
  const first = text.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return undefined;
  if (text.length > 5) return 'str';
  if (NULL_WORDS.has(text)) return 'null';
  return Object.hasOwn(BOOLEANS, text) ? 'bool' : 'str';
}
