import { isPlainObject } from '../../core/document';
import { isPyFloat } from '../python/python-number';
import { analyzeScalar, BREAKS } from './pyyaml-scalar-analysis';
import { yaml11Resolves, yaml11ScalarText } from './yaml11-schema';

/**
 * The text PyYAML's `yaml.dump(value, default_flow_style=False, sort_keys=…, indent=…)` writes, for
 * `to_nice_yaml`: block style, sequences under a mapping key unindented, empty collections as `{}`/`[]`,
 * non-ASCII escaped in double quotes (allow_unicode=False), long scalars folded at 80 columns, and each
 * string in the style PyYAML's analysis picks (plain, single-quoted, double-quoted). This follows
 * yaml/emitter.py's state machine for the JSON-like values templates hold; the names are its names.
 */

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\r': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

export interface PyYamlDumpOptions {
  indent?: number;
  sortKeys?: boolean;
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  indent: number | null = null;
  readonly indents: (number | null)[] = [];
  readonly bestIndent: number;
  readonly bestWidth = 80;

  constructor(private readonly options: PyYamlDumpOptions) {
    const indent = options.indent ?? 2;
    this.bestIndent = indent > 1 && indent < 10 ? indent : 2;
  }

  write(data: string): void {
    this.out += data;
    this.column += [...data].length;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out += data;
    this.column = 0;
  }

  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  node(value: unknown, context: { root?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    if (Array.isArray(value) && value.length > 0) return this.blockSequence(value, context.mapping === true);
    if (isPlainObject(value) && Object.keys(value).length > 0) return this.blockMapping(value);
    if (Array.isArray(value) || isPlainObject(value)) {
      // PyYAML writes empty collections in flow style.
      this.writeIndicator(Array.isArray(value) ? '[]' : '{}', true, false);
      return;
    }
    this.scalar(value, context.root === true, context.simpleKey === true);
  }

  blockSequence(items: unknown[], mappingContext: boolean): void {
    this.increaseIndent(false, mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, {});
    }
    this.popIndent();
  }

  blockMapping(mapping: Record<string, unknown>): void {
    this.increaseIndent(false);
    const keys = Object.keys(mapping);
    if (this.options.sortKeys) keys.sort();
    for (const key of keys) {
      this.writeIndent();
      // Keys of 128 characters or more, or with line breaks, are "complex" keys in PyYAML (`? key`).
      if ([...key].length < 128 && !analyzeScalar(key).multiline) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(mapping[key], { mapping: true });
    }
    this.popIndent();
  }

  scalar(value: unknown, root: boolean, simpleKey: boolean): void {
    this.increaseIndent(true);
    const text = typeof value === 'string' ? value : yaml11ScalarText(value);
    const split = !simpleKey;
    if (typeof value !== 'string' && !isPyFloat(value) && value !== null && typeof value === 'object') {
      throw new Error('to_nice_yaml: cannot represent this value');
    }
    const analysis = analyzeScalar(text);
    // A string is written plain only if PyYAML's resolvers would read that plain text back as a string.
    const implicit = typeof value !== 'string' || yaml11Resolves(text) === 'str';
    if (implicit && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) {
      this.writePlain(text, split, root);
    } else if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) {
      this.writeSingleQuoted(text, split);
    } else {
      this.writeDoubleQuoted(text, split);
    }
    this.popIndent();
  }

  writePlain(text: string, split: boolean, root: boolean): void {
    if (root) this.openEnded = true;
    if (text === '') return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    const chars = [...text];
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(chars.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
        this.write(chars.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  writeSingleQuoted(text: string, split: boolean): void {
    this.writeIndicator("'", true);
    const chars = [...text];
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (
            start + 1 === end &&
            this.column > this.bestWidth &&
            split &&
            start !== 0 &&
            end !== chars.length
          ) {
            this.writeIndent();
          } else {
            this.write(chars.slice(start, end).join(''));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}'`.includes(ch)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  writeDoubleQuoted(text: string, split: boolean): void {
    this.writeIndicator('"', true);
    const chars = [...text];
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !(ch >= ' ' && ch <= '~')) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          const code = ch.codePointAt(0) as number;
          const hex = code.toString(16).toUpperCase();
          this.write(
            Object.hasOwn(ESCAPES, ch)
              ? `\\${ESCAPES[ch]}`
              : code <= 0xff
                ? `\\x${hex.padStart(2, '0')}`
                : code <= 0xffff
                  ? `\\u${hex.padStart(4, '0')}`
                  : `\\U${hex.padStart(8, '0')}`,
          );
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === ' ' || start >= end) &&
        this.column + (end - start) > this.bestWidth &&
        split
      ) {
        this.write(`${chars.slice(start, end).join('')}\\`);
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

/** PyYAML's yaml.dump(value, default_flow_style=False, …) text of a JSON-like value. */
export function pyyamlDump(value: unknown, options: PyYamlDumpOptions = {}): string {
  const emitter = new Emitter(options);
  emitter.node(value, { root: true });
  emitter.writeIndent();
  if (emitter.openEnded) emitter.out += '...\n';
  return emitter.out;
}
