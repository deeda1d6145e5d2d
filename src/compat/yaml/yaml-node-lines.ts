/**
 * The lines of a block-style YAML text that start a node (a mapping key or a sequence item), found in one pass
 * without building anything: what lets a large document be split into its entries and only the ones a change
 * touches be parsed (yaml-sections.ts). Scalars that run over several lines (quoted, plain or block) are
 * followed, so no line inside one is taken for a key. Whatever this scan does not fully understand (flow
 * collections, anchors, aliases, tags, complex keys, directives, tabs, CR line ends) makes it answer undefined,
 * and the caller parses the whole text instead. It runs over every line of a 1 MB document on each click, so
 * it works on char codes and allocates one object per node line.
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

// What the lines after the current one continue: nothing, a quoted scalar, or (any column >= 0) a block or
// plain scalar, made of the lines indented deeper than that column.
const NOTHING = -1;
const IN_DOUBLE_QUOTES = -2;
const IN_SINGLE_QUOTES = -3;
/** The scan cannot be sure of this text. */
const REFUSED = -4;

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DOUBLE = 0x22;
const SINGLE = 0x27;

/** Characters that cannot start a plain scalar (YAML's indicators); `?`, `:` and `-` can, before a non-space. */
const INDICATOR = new Uint8Array(128);
for (const c of '&*!|>[]{},#%@`"\'') INDICATOR[c.charCodeAt(0)] = 1;

export function scanNodeLines(text: string): NodeLine[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines: NodeLine[] = [];
  let open = NOTHING;
  for (let at = 0; at < text.length;) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next;
    if (open === IN_DOUBLE_QUOTES || open === IN_SINGLE_QUOTES) {
      if (isMarker(text, at, end)) return undefined;
      const close = quotedEnd(text, at, end, open === IN_DOUBLE_QUOTES ? DOUBLE : SINGLE);
      if (close !== -1) {
        if (!restIsBlank(text, close, end)) return undefined;
        open = NOTHING;
      }
    } else {
      const indent = spaces(text, at, end);
      const blank = at + indent === end || text.charCodeAt(at + indent) === HASH;
      if (open >= 0 && (blank || indent > open)) {
        // a line of the block or plain scalar above
      } else if (blank) {
        open = NOTHING;
      } else {
        const line: NodeLine = { at, indent, item: false, valueBelow: false };
        open = scanNode(text, end, line);
        if (open === REFUSED) return undefined;
        lines.push(line);
      }
    }
    at = end + 1;
  }
  return open === IN_DOUBLE_QUOTES || open === IN_SINGLE_QUOTES ? undefined : lines;
}

/** Fills in a line at a node's position (its items, its key) and answers what its value leaves open. */
function scanNode(text: string, end: number, line: NodeLine): number {
  const { at, indent } = line;
  if (text.charCodeAt(at + indent) === TAB) return REFUSED; // a tab in the indentation
  if (indent === 0 && isMarker(text, at, end)) return REFUSED;
  let column = at + indent;
  let dash = -1;
  while (text.charCodeAt(column) === DASH && separates(text, column + 1, end)) {
    dash = column - at;
    column = column + 1 + spaces(text, column + 1, end);
  }
  line.item = dash !== -1;
  if (column === end) {
    line.valueBelow = true;
    return NOTHING;
  }
  const first = text.charCodeAt(column);
  let keyEnd = -1;
  if (first === DOUBLE || first === SINGLE) {
    const close = quotedEnd(text, column + 1, end, first);
    if (close !== -1 && text.charCodeAt(close) === COLON && separates(text, close + 1, end)) keyEnd = close;
  } else if (startsPlain(text, column, end)) {
    keyEnd = keyColon(text, column, end);
  }
  if (keyEnd === -1) {
    // Not a key: only an item's value may stand here (`- text`, `- "text"`, `- |`, `- []`).
    return line.item ? valueOpens(text, column, end, dash) : REFUSED;
  }
  line.key = text.slice(column, keyEnd).trimEnd();
  const value = keyEnd + 1 + spaces(text, keyEnd + 1, end);
  if (value === end || text.charCodeAt(value) === HASH) {
    line.valueBelow = true;
    return NOTHING;
  }
  return valueOpens(text, value, end, column - at);
}

/** `---`, `...` or a directive at the start of a line: a second document or a directive, not understood here. */
function isMarker(text: string, at: number, end: number): boolean {
  const c = text.charCodeAt(at);
  if (c === 0x25 /* % */) return true;
  if (c !== DASH && c !== 0x2e /* . */) return false;
  return (
    text.startsWith(c === DASH ? '---' : '...', at) && (at + 3 === end || text.charCodeAt(at + 3) === SPACE)
  );
}

/** What a value written on its key's line leaves open for the lines after it. */
function valueOpens(text: string, value: number, end: number, keyColumn: number): number {
  const first = text.charCodeAt(value);
  if (first === DOUBLE || first === SINGLE) {
    const close = quotedEnd(text, value + 1, end, first);
    if (close === -1) return first === DOUBLE ? IN_DOUBLE_QUOTES : IN_SINGLE_QUOTES;
    return restIsBlank(text, close, end) ? NOTHING : REFUSED;
  }
  if (first === 0x7c /* | */ || first === 0x3e /* > */) return keyColumn;
  if (first === 0x5b /* [ */ || first === 0x7b /* { */) {
    const rest = text.slice(value, end).trimEnd();
    return rest === '[]' || rest === '{}' ? NOTHING : REFUSED;
  }
  return startsPlain(text, value, end) ? keyColumn : REFUSED;
}

/** Whether a plain scalar starts here: not at an indicator, but `?x` and `:x` are plain text. */
function startsPlain(text: string, at: number, end: number): boolean {
  const first = text.charCodeAt(at);
  if (first === 0x3f /* ? */ || first === COLON) return at + 1 < end && text.charCodeAt(at + 1) !== SPACE;
  return first >= 128 || INDICATOR[first] === 0;
}

/** The offset just past the closing quote of a scalar whose text starts at `from`, or -1 if it goes on. */
function quotedEnd(text: string, from: number, end: number, quote: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote === DOUBLE && c === 0x5c /* \ */) i++;
    else if (c === quote) {
      if (quote === SINGLE && text.charCodeAt(i + 1) === SINGLE) i++;
      else return i + 1;
    }
  }
  return -1;
}

/** The colon that ends a plain key on this line (`key: …` or `key:` at the end), or -1. */
function keyColon(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON && separates(text, i + 1, end)) return i;
    if (c === HASH && text.charCodeAt(i - 1) === SPACE) return -1; // a comment starts
  }
  return -1;
}

function separates(text: string, at: number, end: number): boolean {
  return at === end || text.charCodeAt(at) === SPACE;
}

function restIsBlank(text: string, from: number, end: number): boolean {
  const after = from + spaces(text, from, end);
  return after === end || (after > from && text.charCodeAt(after) === HASH);
}

function spaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i - from;
}
