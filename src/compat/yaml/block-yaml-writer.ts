import { yaml11Resolves, yaml11ScalarText } from './yaml11-schema';

/**
 * What js-yaml's dump writes with dumpYaml's options (indent 2, sequences unindented under their key, no line
 * width, no references) for plain data, written directly: the same bytes, several times faster, which counts
 * because the gateway writes a context document out on every change. It follows js-yaml's writeNode,
 * writeBlockMapping and writeBlockSequence (lib/dumper.js) for mappings, sequences and printable ASCII strings;
 * `scalarText` (js-yaml itself) writes any other single-line scalar, which it writes the same wherever it stands.
 * Undefined for what only js-yaml writes right (a string spanning lines, a key longer than 1024, anything other
 * than plain data): the caller then has js-yaml write the whole value.
 */
export function writeBlockYaml(value: unknown, scalarText: (value: unknown) => string): string | undefined {
  const writer = new BlockWriter(scalarText);
  return writer.node(value, 0, true, false) ? writer.out : undefined;
}

/** js-yaml writes a key longer than this as an explicit `? key` pair. */
const LONGEST_SIMPLE_KEY = 1024;

/** Characters a plain scalar cannot start with (js-yaml's isPlainSafeFirst, for printable ASCII). */
const INDICATOR = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|=>\'"%@` ') INDICATOR[c.charCodeAt(0)] = 1;

const indents: string[] = [];
function nextLine(level: number): string {
  return (indents[level] ??= `\n${' '.repeat(2 * level)}`);
}

/** Writes into one string; a method answers false when it gives up (see writeBlockYaml). */
class BlockWriter {
  out = '';

  constructor(private readonly scalarText: (value: unknown) => string) {}

  /**
   * js-yaml's writeNode(state, level, value, block = true, compact, iskey = false, isblockseq). `compact`
   * false puts a mapping's or sequence's first entry on a line of its own.
   */
  node(value: unknown, level: number, compact: boolean, inSequence: boolean): boolean {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
      case 'bigint':
      case 'boolean':
        this.out += yaml11ScalarText(value);
        return true;
      case 'object':
        if (value === null) {
          this.out += 'null';
          return true;
        }
        if (Array.isArray(value)) {
          if (value.length === 0) this.out += '[]';
          else return this.sequence(value, !inSequence && level > 0 ? level - 1 : level, compact);
          return true;
        }
        if (value instanceof Number) {
          this.out += yaml11ScalarText(value); // a whole float (python-number.ts)
          return true;
        }
        if (!hasPlainPrototype(value)) return false;
        return this.mapping(value as Record<string, unknown>, level, compact);
      default:
        return false;
    }
  }

  /** writeBlockMapping: a pair whose value is undefined is left out; none left is `{}`. */
  private mapping(object: Record<string, unknown>, level: number, compact: boolean): boolean {
    let first = true;
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue;
      if (!compact || !first) this.out += nextLine(level);
      first = false;
      const keyStart = this.out.length;
      if (!this.string(key) || this.out.length - keyStart > LONGEST_SIMPLE_KEY) return false;
      // What follows on the key's line: nothing for a block (which starts on the next line), else a space.
      this.out += startsOnNextLine(value) ? ':' : ': ';
      if (!this.node(value, level + 1, false, false)) return false;
    }
    if (first) this.out += '{}';
    return true;
  }

  /** writeBlockSequence: an undefined item is written as null. */
  private sequence(items: unknown[], level: number, compact: boolean): boolean {
    for (let index = 0; index < items.length; index++) {
      if (!compact || index > 0) this.out += nextLine(level);
      // An item starts on its dash's line, whatever it is: a collection in a sequence is written compact.
      this.out += '- ';
      if (!this.node(items[index] ?? null, level + 1, true, true)) return false;
    }
    return true;
  }

  /** writeScalar, for a string on one line: plain when js-yaml finds it safe and unambiguous, else quoted. */
  private string(text: string): boolean {
    const plain = plainSafety(text);
    if (plain === NOT_ASCII) {
      if (text.includes('\n')) return false;
      this.out += this.scalarText(text);
    } else if (plain === PLAIN_SAFE && yaml11Resolves(text) === 'str') {
      this.out += text;
    } else {
      this.out += `'${text.replaceAll("'", "''")}'`;
    }
    return true;
  }
}

/** Whether js-yaml starts a mapping's value on the line after its key: a non-empty block mapping or sequence. */
function startsOnNextLine(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Number) return false;
  for (const key in value) if ((value as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

const NOT_ASCII = 0;
const PLAIN_SAFE = 1;
const NEEDS_QUOTES = 2;

/**
 * js-yaml's plain-safety rules (isPlainSafeFirst, isPlainSafe, isPlainSafeLast) in a block, for text of
 * printable ASCII; NOT_ASCII for any other text, which js-yaml itself writes.
 */
function plainSafety(text: string): typeof NOT_ASCII | typeof PLAIN_SAFE | typeof NEEDS_QUOTES {
  if (text === '') return NEEDS_QUOTES;
  let safe = INDICATOR[text.charCodeAt(0)] !== 1;
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return NOT_ASCII;
    // `: ` and ` #` would end or comment the scalar
    if ((c === 0x20 && previous === 0x3a) || (c === 0x23 && previous === 0x20)) safe = false;
    previous = c;
  }
  return safe && previous !== 0x20 && previous !== 0x3a ? PLAIN_SAFE : NEEDS_QUOTES;
}

/** A mapping js-yaml writes as a plain one: not a class instance, whose own fields it would also write. */
function hasPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
