/**
 * The lines of a block-style YAML text that start a node (a mapping key or a sequence item), found in one pass
 * without building anything: what lets a large document be split into its entries and only the ones a change
 * touches be parsed (yaml-sections.ts). Scalars that run over several lines (quoted, plain or block) are
 * followed, so no line inside one is taken for a key. Whatever this scan does not fully understand (flow
 * collections, anchors, aliases, tags, complex keys, directives, tabs, CR line ends) makes it answer undefined,
 * and the caller parses the whole text instead.
 */
export interface NodeLine {
  /** offset of the line's first character */
  at: number;
  /** column of the line's first non-space character */
  indent: number;
  /** the line is a sequence item (`- …`) */
  item: boolean;
  /** the key's text as written (plain or quoted), when the line is `key: …` */
  key?: string;
  /** nothing follows the key on its line: its value is the block below */
  valueBelow: boolean;
}

/** What the lines after the current one continue, if anything. */
type Open = { kind: 'none' } | { kind: 'quoted'; quote: '"' | "'" } | { kind: 'deeper'; column: number }; // a block or plain scalar: the lines indented deeper than `column`

const NONE: Open = { kind: 'none' };

export function scanNodeLines(text: string): NodeLine[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines: NodeLine[] = [];
  let open: Open = NONE;
  for (let at = 0; at < text.length;) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next;
    if (open.kind === 'quoted') {
      if (isMarker(text, at, end)) return undefined;
      const close = quotedEnd(text, at, end, open.quote);
      if (close !== -1) {
        if (!restIsBlank(text, close, end)) return undefined;
        open = NONE;
      }
    } else {
      const indent = spaces(text, at, end);
      const blank = at + indent === end || text.charCodeAt(at + indent) === 0x23; /* # */
      const continues = open.kind === 'deeper' && (blank || indent > open.column);
      if (!continues && !blank) {
        const scanned = scanNode(text, at, end, indent);
        if (!scanned) return undefined;
        lines.push(scanned.line);
        open = scanned.open;
      } else if (!continues) {
        open = NONE;
      }
    }
    at = end + 1;
  }
  return open.kind === 'quoted' ? undefined : lines;
}

/** A line at a node's position: its items, its key, and what its value leaves open. */
function scanNode(
  text: string,
  at: number,
  end: number,
  indent: number,
): { line: NodeLine; open: Open } | undefined {
  if (text.charCodeAt(at + indent) === 0x09) return undefined; // a tab in the indentation
  if (indent === 0 && isMarker(text, at, end)) return undefined;
  let column = at + indent;
  let dash = -1;
  while (text.charCodeAt(column) === 0x2d /* - */ && separates(text, column + 1, end)) {
    dash = column - at;
    column = column + 1 + spaces(text, column + 1, end);
  }
  const item = dash !== -1;
  const line: NodeLine = { at, indent, item, valueBelow: column === end };
  if (column === end) return { line, open: NONE };
  const first = text[column] as string;
  let keyEnd: number;
  if (first === '"' || first === "'") {
    const close = quotedEnd(text, column + 1, end, first);
    const isKey = close !== -1 && text.charCodeAt(close) === 0x3a /* : */ && separates(text, close + 1, end);
    keyEnd = isKey ? close : -1;
  } else {
    keyEnd = startsPlain(text, column, end) ? keyColon(text, column, end) : -1;
  }
  if (keyEnd === -1) {
    // Not a key: only an item's value may stand here (`- text`, `- "text"`, `- |`, `- []`).
    const open = item ? valueOpens(text, column, end, dash) : undefined;
    return open && { line, open };
  }
  line.key = text.slice(column, keyEnd).trimEnd();
  const value = keyEnd + 1 + spaces(text, keyEnd + 1, end);
  if (value === end || text.charCodeAt(value) === 0x23 /* # */)
    return { line: { ...line, valueBelow: true }, open: NONE };
  const open = valueOpens(text, value, end, column - at);
  return open && { line, open };
}

/** `---`, `...` or a directive at the start of a line: a second document or a directive, not understood here. */
function isMarker(text: string, at: number, end: number): boolean {
  return /^(?:---|\.\.\.)(?: |$)|^%/.test(text.slice(at, Math.min(end, at + 4)));
}

/** What a value written on its key's line leaves open for the lines after it; undefined when not understood. */
function valueOpens(text: string, value: number, end: number, keyColumn: number): Open | undefined {
  const first = text[value] as string;
  if (first === '"' || first === "'") {
    const close = quotedEnd(text, value + 1, end, first);
    if (close === -1) return { kind: 'quoted', quote: first };
    return restIsBlank(text, close, end) ? NONE : undefined;
  }
  if (first === '|' || first === '>') return { kind: 'deeper', column: keyColumn };
  if (first === '[' || first === '{') {
    const rest = text.slice(value, end).trimEnd();
    return rest === '[]' || rest === '{}' ? NONE : undefined;
  }
  return startsPlain(text, value, end) ? { kind: 'deeper', column: keyColumn } : undefined;
}

/** Whether a plain scalar starts here: not at an indicator, but `?x` and `:x` are plain text. */
function startsPlain(text: string, at: number, end: number): boolean {
  const first = text[at] as string;
  if ('?:'.includes(first)) return at + 1 < end && text.charCodeAt(at + 1) !== 0x20;
  return !'&*!|>[]{},#%@`"\''.includes(first);
}

/** The offset just past the closing quote of a scalar whose text starts at `from`, or -1 if it goes on. */
function quotedEnd(text: string, from: number, end: number, quote: string): number {
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

/** The colon that ends a plain key on this line (`key: …` or `key:` at the end), or -1. */
function keyColon(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a && separates(text, i + 1, end)) return i;
    if (c === 0x23 && text.charCodeAt(i - 1) === 0x20) return -1; // a comment starts
  }
  return -1;
}

function separates(text: string, at: number, end: number): boolean {
  return at === end || text.charCodeAt(at) === 0x20;
}

function restIsBlank(text: string, from: number, end: number): boolean {
  const after = from + spaces(text, from, end);
  return after === end || (after > from && text.charCodeAt(after) === 0x23);
}

function spaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  return i - from;
}
