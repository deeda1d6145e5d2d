import { inInsertionOrder, isIntegerKey } from '../../core/document';
import { pyFloat } from './python-number';

/**
 * Python's `json.loads`: JSON text to the document model, keeping what JSON.parse loses: `2.0` stays a float
 * (boxed, python-number.ts), and `NaN`, `Infinity` and `-Infinity` are read as Python reads them.
 */
export function parsePythonJson(text: string): unknown {
  const parser = new JsonParser(text);
  parser.space();
  const value = parser.value();
  parser.space();
  if (parser.pos < text.length) throw parser.error('Extra data');
  return value;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

class JsonParser {
  pos = 0;

  constructor(private readonly text: string) {}

  error(message: string): SyntaxError {
    return new SyntaxError(`${message} at position ${this.pos}`);
  }

  space(): void {
    // Char codes, not a regex per character: this runs before V8 has optimized anything, in every --get.
    for (let c = this.text.charCodeAt(this.pos); c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;) {
      c = this.text.charCodeAt(++this.pos);
    }
  }

  value(): unknown {
    const ch = this.text.charAt(this.pos);
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.error('Expecting value');
    this.pos += match[0].length;
    const n = Number(match[0]);
    return match[1] !== undefined || match[2] !== undefined ? pyFloat(n) : exactInt(match[0], n, this);
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    // The keys in the order written, kept from the first integer-like key on (until then it is the object's).
    let order: string[] | undefined;
    this.pos++;
    this.space();
    if (this.text.charAt(this.pos) === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.space();
      if (this.text.charAt(this.pos) !== '"')
        throw this.error('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.space();
      if (this.text.charAt(this.pos++) !== ':') throw this.error("Expecting ':' delimiter");
      this.space();
      if (!Object.hasOwn(result, key)) {
        if (order) order.push(key);
        else if (isIntegerKey(key)) order = [...Object.keys(result), key];
      }
      // An own `__proto__` key, as JSON.parse makes it, never the object's prototype.
      Object.defineProperty(result, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const next = this.text.charAt(this.pos++);
      if (next === '}') return order ? inInsertionOrder(result, order) : result;
      if (next !== ',') throw this.error("Expecting ',' delimiter");
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.space();
    if (this.text.charAt(this.pos) === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.space();
      result.push(this.value());
      this.space();
      const next = this.text.charAt(this.pos++);
      if (next === ']') return result;
      if (next !== ',') throw this.error("Expecting ',' delimiter");
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const ch = this.text.charAt(this.pos);
      if (ch === '') throw this.error('Unterminated string');
      if (ch === '"') break;
      if (ch === '\\') this.pos++;
      else if (ch < ' ') throw this.error('Invalid control character');
      this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }
}

function exactInt(text: string, n: number, parser: JsonParser): number {
  if (BigInt(n) !== BigInt(text)) {
    throw parser.error(`the integer ${text} has more digits than slackline can keep (beyond ±2**53)`);
  }
  return n;
}
