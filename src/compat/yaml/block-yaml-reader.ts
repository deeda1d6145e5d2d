import { inInsertionOrder, isIntegerKey, reordersKeys } from '../../core/document';
import { MERGE_KEY, resolvePlainScalar } from './yaml11-schema';

/**
 * What parseYaml's js-yaml path (YAML11_SCHEMA, integer-like keys in written order) reads from a document in
 * the block style dumpYaml and PyYAML (`default_flow_style=False`) write, read line by line: the same value,
 * several times faster, which counts because the gateway reads a context document on every click.
 * Mappings, sequences (under their key or indented), compact `- key: v` and `- - a`, one-line plain and quoted
 * scalars, `{}` and `[]`. Undefined ("give up") for anything else or in doubt — comments, anchors, tags, block
 * or multi-line scalars, flow collections, escapes, tabs, `\r`, blank lines, duplicated or merge keys, any
 * text js-yaml would refuse: the caller then has js-yaml read it, and js-yaml's error is the one reported.
 */
export function readBlockYaml(text: string): { value: unknown } | undefined {
  if (UNREAD.test(text)) return undefined;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  // js-yaml reads an empty document as undefined, and a lone `{}` or `[]` as an empty mapping or sequence.
  if (body === '') return { value: undefined };
  if (body === '{}') return { value: {} };
  if (body === '[]') return { value: [] };
  const reader = new BlockReader(body.split('\n'));
  try {
    if (reader.indent(0) !== 0) return undefined;
    const lone = reader.lone();
    if (lone) return lone;
    const value = reader.collection(0);
    return reader.line === reader.lines.length ? { value } : undefined;
  } catch (error) {
    // A construct's error (an int beyond ±2**53) is js-yaml's to report, with its line.
    if (error === GIVE_UP || error instanceof Error) return undefined;
    throw error;
  }
}

/**
 * Characters the reader leaves to js-yaml: tabs, `\r` and the other controls, the non-ASCII line breaks
 * (U+0085, U+2028, U+2029), a byte-order mark anywhere, U+FFFE/U+FFFF and lone surrogates — what js-yaml
 * refuses as non-printable or treats as anything but a character of a scalar.
 */
const UNREAD = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

/** Thrown, and caught by readBlockYaml only, when the text is not the reader's to read. */
const GIVE_UP: unique symbol = Symbol('give up');

function giveUp(): never {
  throw GIVE_UP;
}

const SPACE = 0x20;
const DASH = 0x2d;
const COLON = 0x3a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/**
 * Characters a plain scalar cannot start with in a block (js-yaml's readPlainScalar), and `?` and `:`, which
 * could start one but also an explicit key or value: the reader leaves both to js-yaml. `-` is dealt with
 * apart: it starts a plain scalar when a character other than a space follows (`-1`, `-x`).
 */
const NOT_PLAIN_FIRST = new Uint8Array(128);
for (const c of ' ,[]{}#&*!|>\'"%@`?:') NOT_PLAIN_FIRST[c.charCodeAt(0)] = 1;

/**
 * Reads from a position in the text, `line` and a column in it where the node being read starts: a line's
 * indent, or the column past a `- ` on it (compact nesting). Its methods advance `line` past what they read.
 */
class BlockReader {
  line = 0;

  constructor(readonly lines: readonly string[]) {}

  /**
   * The indent of line `i`, giving up on what a line of the subset never is: blank or only spaces, ending in
   * a space (js-yaml trims it from a plain scalar, where PyYAML never writes it), or a document marker.
   */
  indent(i: number): number {
    const text = this.lines[i] as string;
    let at = 0;
    while (text.charCodeAt(at) === SPACE) at++;
    if (at === text.length || text.charCodeAt(text.length - 1) === SPACE) giveUp();
    if (at === 0 && isDocumentMarker(text)) giveUp();
    return at;
  }

  /** A scalar alone on the document's only line, as the value of the whole document. */
  lone(): { value: unknown } | undefined {
    const text = this.lines[0] as string;
    if (this.lines.length > 1 || isDash(text, 0) || startsEntry(text, 0)) return undefined;
    this.line = 1;
    return { value: scalar(text) };
  }

  /** A block mapping or sequence whose first entry starts on the current line at `col`. */
  collection(col: number): unknown {
    return isDash(this.lines[this.line] as string, col) ? this.sequence(col) : this.mapping(col);
  }

  /** `- item` entries at `col`, the first on the current line, the others at the start of following lines. */
  private sequence(col: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const text = this.lines[this.line] as string;
      // The item starts past the dash and its spaces (`-   a: 1` is a mapping at column 4).
      let at = col + 1;
      while (text.charCodeAt(at) === SPACE) at++;
      if (at < text.length) {
        items.push(this.item(text, at));
      } else {
        // A dash alone after another (`- -`), or with no block after it (null): js-yaml may take the next
        // line's dash, at an outer sequence's indent, for an item of the inner sequence (`-\n -\n-`).
        if (this.indent(this.line) !== col) giveUp();
        const value = this.blockValue(col, false);
        if (value === null) giveUp();
        items.push(value);
      }
      if (this.line === this.lines.length) return items;
      const indent = this.indent(this.line);
      // Deeper: a scalar going on over lines, or a mapping misaligned. Shallower, or a key at the same
      // indent (a sequence under its key, `noArrayIndent`): the sequence is over.
      if (indent > col) giveUp();
      if (indent < col || !isDash(this.lines[this.line] as string, col)) return items;
    }
  }

  /** A sequence's item, on its dash's line at `col`: a sequence or mapping written compact, or a scalar. */
  private item(text: string, col: number): unknown {
    if (isDash(text, col)) return this.sequence(col);
    if (startsEntry(text, col)) return this.mapping(col);
    const value = scalar(text.slice(col));
    this.line++;
    return value;
  }

  /**
   * `key: value` entries at `col`, the first on the current line, the others at the start of following lines;
   * an ordered view when the written order puts an integer-like key after another (yaml-key-order.ts).
   */
  private mapping(col: number): Record<string, unknown> {
    const mapping: Record<string, unknown> = {};
    const keys: string[] = [];
    let integerKeys = false;
    for (;;) {
      const text = this.lines[this.line] as string;
      const { key, end } = readKey(text, col);
      // js-yaml refuses a duplicated key, parseYaml `[object Object]`; `__proto__` would need defineProperty.
      if (Object.hasOwn(mapping, key) || key === '__proto__' || key === '[object Object]') giveUp();
      keys.push(key);
      if (isIntegerKey(key)) integerKeys = true;
      if (end === text.length) {
        mapping[key] = this.blockValue(col);
      } else {
        mapping[key] = scalar(text.slice(end + 1));
        this.line++;
      }
      if (this.line === this.lines.length) break;
      const indent = this.indent(this.line);
      if (indent > col) giveUp();
      if (indent < col) break;
    }
    return integerKeys && reordersKeys(keys) ? inInsertionOrder(mapping, keys) : mapping;
  }

  /**
   * The value of a key with nothing after its `:`, or of a dash alone on its line (as js-yaml writes a
   * collection in a sequence with `indent` above 2), at `col`: the block on the following lines, more indented
   * or, for a key, a sequence at its own indent; null when the next line is no such block.
   */
  private blockValue(col: number, ofKey = true): unknown {
    this.line++;
    if (this.line === this.lines.length) return null;
    const indent = this.indent(this.line);
    // A deeper line that is no entry (a scalar on the next line) makes mapping() give up.
    if (indent > col) return this.collection(indent);
    if (ofKey && indent === col && isDash(this.lines[this.line] as string, col)) return this.sequence(col);
    return null;
  }
}

/**
 * `---` or `...` at the start of a line, which js-yaml may read as a document's bounds: followed by a space or
 * the line's end anywhere, and `---` followed by anything at the document's start (readDocument).
 */
function isDocumentMarker(text: string): boolean {
  return text.startsWith('---') || text.startsWith('...');
}

/** Whether a sequence entry starts at `col`: a dash and a space, or a dash ending the line. */
function isDash(text: string, col: number): boolean {
  return text.charCodeAt(col) === DASH && (col + 1 === text.length || text.charCodeAt(col + 1) === SPACE);
}

/** Whether the text at `col` is a mapping's entry (`key: …`, `key:`) rather than a scalar. */
function startsEntry(text: string, col: number): boolean {
  const first = text.charCodeAt(col);
  if (first === SINGLE_QUOTE || first === DOUBLE_QUOTE) {
    const end = first === SINGLE_QUOTE ? singleQuoted(text, col).end : doubleQuoted(text, col).end;
    return end < text.length;
  }
  return text.indexOf(': ', col) !== -1 || text.charCodeAt(text.length - 1) === COLON;
}

/**
 * The key at `col` and the index of the `:` after it, which a space or the line's end follows. js-yaml keys
 * are strings: a plain key is read as a scalar, then made a string (`1.0` → "1", `yes` → "true", `~` → "null").
 */
function readKey(text: string, col: number): { key: string; end: number } {
  const first = text.charCodeAt(col);
  let key: string;
  let end: number;
  if (first === SINGLE_QUOTE || first === DOUBLE_QUOTE) {
    ({ text: key, end } = first === SINGLE_QUOTE ? singleQuoted(text, col) : doubleQuoted(text, col));
    if (text.charCodeAt(end) !== COLON) giveUp();
  } else {
    end = text.indexOf(': ', col);
    if (end === -1) {
      end = text.length - 1;
      if (text.charCodeAt(end) !== COLON) giveUp();
    }
    const plain = text.slice(col, end);
    checkPlain(plain);
    key = String(resolve(plain));
  }
  // After the colon: the line's end, or one space and a value (more spaces: the reader gives up in scalar()).
  if (end + 1 < text.length && text.charCodeAt(end + 1) !== SPACE) giveUp();
  return { key, end: end + 1 };
}

/** A scalar that is all of `text`: `{}`, `[]`, quoted on one line, or plain. */
function scalar(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  const first = text.charCodeAt(0);
  if (first === SINGLE_QUOTE || first === DOUBLE_QUOTE) {
    const quoted = first === SINGLE_QUOTE ? singleQuoted(text, 0) : doubleQuoted(text, 0);
    if (quoted.end !== text.length) giveUp();
    return quoted.text;
  }
  checkPlain(text);
  return resolve(text);
}

/** A single-quoted scalar at `col` closed on its line (`''` is a quote), and the index past it. */
function singleQuoted(text: string, col: number): { text: string; end: number } {
  let value = '';
  let from = col + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote === -1) giveUp(); // it goes on over lines
    if (text.charCodeAt(quote + 1) !== SINGLE_QUOTE)
      return { text: value + text.slice(from, quote), end: quote + 1 };
    value += text.slice(from, quote + 1);
    from = quote + 2;
  }
}

/** A double-quoted scalar at `col` closed on its line, without escapes, and the index past it. */
function doubleQuoted(text: string, col: number): { text: string; end: number } {
  const quote = text.indexOf('"', col + 1);
  if (quote === -1) giveUp();
  const value = text.slice(col + 1, quote);
  if (value.includes('\\')) giveUp();
  return { text: value, end: quote + 1 };
}

/**
 * Gives up on plain text js-yaml would read otherwise than whole, as one scalar: starting with an indicator,
 * holding `: ` (a key) or ` #` (a comment), ending with `:` or a space (which js-yaml trims: `a : 1`).
 */
function checkPlain(text: string): void {
  const first = text.charCodeAt(0);
  if (text === '' || NOT_PLAIN_FIRST[first] === 1) giveUp();
  if (first === DASH && (text.length === 1 || text.charCodeAt(1) === SPACE)) giveUp();
  const last = text.charCodeAt(text.length - 1);
  if (last === COLON || last === SPACE || text.includes(': ') || text.includes(' #')) giveUp();
}

/** A plain scalar's value as js-yaml constructs it; a merge key (`<<`) is left to js-yaml. */
function resolve(text: string): unknown {
  const value = resolvePlainScalar(text);
  if (value === MERGE_KEY) giveUp();
  return value;
}
