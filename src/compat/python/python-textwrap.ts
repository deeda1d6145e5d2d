import { pythonStrip } from './python-whitespace';

/**
 * Jinja2's `wordwrap`: Python's textwrap.wrap (no tab expansion, whitespace kept, whitespace dropped at line
 * edges) on each line of the text, lines joined with `wrapstring`. Lengths count code points, as Python does.
 */

export interface WrapOptions {
  width: number;
  breakLongWords: boolean;
  breakOnHyphens: boolean;
  wrapstring: string;
}

// Python's str.splitlines() boundaries.
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
// textwrap's whitespace: only these six split words.
const WHITESPACE = /([\t\n\v\f\r ]+)/;
// textwrap's letter, [^\d\W]: word characters that are not decimal digits.
const LETTER = /^[\p{L}\p{Nl}\p{No}_]$/u;
const EM_DASH = /((?<=[\p{L}\p{N}_!"'&.,?])-{2,}(?=[\p{L}\p{N}_]))/u;

export function wordwrap(text: string, options: WrapOptions): string {
  if (options.width <= 0) throw new Error(`ValueError: invalid width ${options.width} (must be > 0)`);
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => wrap(line, options).join(options.wrapstring)).join(options.wrapstring);
}

function isBlank(chunk: string[]): boolean {
  return pythonStrip(chunk.join('')) === '';
}

/** Words split after a hyphen that has two letters before it and a letter after (textwrap's wordsep_re). */
function chunksOf(text: string, breakOnHyphens: boolean): string[][] {
  // An em-dash (`--` and longer) between words is a chunk of its own.
  const pieces = text
    .split(WHITESPACE)
    .flatMap((piece) => (WHITESPACE.test(piece) ? [piece] : piece.split(EM_DASH)))
    .filter((piece) => piece !== '');
  const chunks: string[][] = [];
  for (const piece of pieces) {
    const chars = [...piece];
    if (!breakOnHyphens || WHITESPACE.test(piece)) {
      chunks.push(chars);
      continue;
    }
    let start = 0;
    for (let i = 2; i < chars.length - 2; i++) {
      const letter = (k: number) => LETTER.test(chars[k] ?? '');
      // Two letters (or letter-hyphen-letter) before the hyphen, a letter, an optional hyphen and a letter after.
      const before = letter(i - 1) && (letter(i - 2) || (chars[i - 2] === '-' && letter(i - 3)));
      const after = letter(i + 1) && (letter(i + 2) || (chars[i + 2] === '-' && letter(i + 3)));
      if (chars[i] === '-' && before && after) {
        chunks.push(chars.slice(start, i + 1));
        start = i + 1;
      }
    }
    chunks.push(chars.slice(start));
  }
  return chunks;
}

function wrap(text: string, options: WrapOptions): string[] {
  const chunks = chunksOf(text, options.breakOnHyphens).reverse();
  const lines: string[] = [];
  const width = options.width;
  while (chunks.length > 0) {
    const line: string[][] = [];
    let length = 0;
    if (lines.length > 0 && isBlank(chunks[chunks.length - 1] as string[])) chunks.pop();
    while (chunks.length > 0) {
      const next = chunks[chunks.length - 1] as string[];
      if (length + next.length > width) break;
      line.push(chunks.pop() as string[]);
      length += next.length;
    }
    if (chunks.length > 0 && (chunks[chunks.length - 1] as string[]).length > width) {
      handleLongWord(chunks, line, length, width, options);
    }
    if (line.length > 0 && isBlank(line[line.length - 1] as string[])) line.pop();
    if (line.length > 0) lines.push(line.map((chunk) => chunk.join('')).join(''));
  }
  return lines;
}

function handleLongWord(
  chunks: string[][],
  line: string[][],
  length: number,
  width: number,
  options: WrapOptions,
): void {
  const spaceLeft = width < 1 ? 1 : width - length;
  if (options.breakLongWords) {
    const chunk = chunks[chunks.length - 1] as string[];
    let end = spaceLeft;
    if (options.breakOnHyphens && chunk.length > spaceLeft) {
      const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
      if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
    }
    line.push(chunk.slice(0, end));
    chunks[chunks.length - 1] = chunk.slice(end);
  } else if (line.length === 0) {
    line.push(chunks.pop() as string[]);
  }
}
