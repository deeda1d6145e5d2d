import { isPlainObject, reordersKeys, type ContextDocument } from '../../core/document';
import { dumpYaml, parseYaml } from './yaml';
import { scanNodeLines, type NodeLine } from './yaml-node-lines';

/**
 * A context document read from its YAML text one entry at a time: each entry of a block mapping is parsed when
 * first read, and a large mapping entry becomes a mapping of the same kind, one level down. Writing it back
 * reuses the text of every entry that was never read, so a click on a 1 MB document parses and writes its
 * choice records, not its months of history. Read and written, it is the document the whole text parses to,
 * as a plain object whose unread entries are getters.
 */

/** Entries smaller than this are parsed whole when read: splitting them further saves nothing. */
const SPLIT_ABOVE = 2048;

/** An entry's text did not parse to that one entry: the caller parses the whole text instead. */
export class YamlSectionMismatch extends Error {}

interface Section {
  key: string;
  /** offsets of the entry's text, from its key line to the next entry */
  start: number;
  end: number;
  /** indices of its node lines, its key line first */
  first: number;
  last: number;
}

interface SplitMapping {
  text: string;
  lines: NodeLine[];
  indent: number;
  /** the entries not read or set yet, by key */
  unread: Map<string, Section>;
}

const splitMappings = new WeakMap<object, SplitMapping>();

/** The document `text` holds, read lazily, or undefined when the text cannot be split with certainty. */
export function readSections(text: string, lines = scanNodeLines(text)): ContextDocument | undefined {
  if (!lines || lines.length === 0 || lines[0]?.indent !== 0) return undefined;
  return splitMapping(text, lines, 0, lines.length, text.length, 0);
}

/** The YAML text of a document, reusing the text of the entries of readSections' documents never read. */
export function dumpSections(doc: ContextDocument): string {
  const out: string[] = [];
  return splitMappings.has(doc) && writeMapping(doc, 0, out, new Set()) ? out.join('') : dumpYaml(doc);
}

function splitMapping(
  text: string,
  lines: NodeLine[],
  from: number,
  to: number,
  end: number,
  indent: number,
): Record<string, unknown> | undefined {
  const sections = sectionsOf(text, lines, from, to, end, indent);
  if (!sections) return undefined;
  const mapping: SplitMapping = { text, lines, indent, unread: new Map() };
  const doc: Record<string, unknown> = {};
  for (const section of sections) {
    mapping.unread.set(section.key, section);
    Object.defineProperty(doc, section.key, {
      enumerable: true,
      configurable: true,
      get: () => settle(doc, mapping, section.key, readSection(mapping, section)),
      set: (value: unknown) => settle(doc, mapping, section.key, value),
    });
  }
  splitMappings.set(doc, mapping);
  return doc;
}

/** The entry becomes a plain property holding `value`. */
function settle(doc: Record<string, unknown>, mapping: SplitMapping, key: string, value: unknown): unknown {
  Object.defineProperty(doc, key, { value, writable: true, enumerable: true, configurable: true });
  mapping.unread.delete(key);
  return value;
}

/** The entries of the block mapping at `indent` over node lines [from, to), which ends at offset `end`. */
function sectionsOf(
  text: string,
  lines: NodeLine[],
  from: number,
  to: number,
  end: number,
  indent: number,
): Section[] | undefined {
  const sections: Section[] = [];
  const keys = new Set<string>();
  let current: Section | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i] as NodeLine;
    if (line.indent > indent && current) continue;
    if (line.indent !== indent) return undefined;
    if (line.item) {
      // PyYAML writes a sequence under its key at the key's own indent (`key:` then `- item`).
      if (!current || !(lines[current.first] as NodeLine).valueBelow) return undefined;
      continue;
    }
    const key = line.key === undefined ? undefined : keyOf(line.key);
    if (key === undefined || keys.has(key)) return undefined;
    keys.add(key);
    if (current) current.end = line.at;
    current = { key, start: line.at, end, first: i, last: to };
    if (sections.length > 0) (sections[sections.length - 1] as Section).last = i;
    sections.push(current);
  }
  // A plain object of getters would put integer-like keys first: such a mapping is parsed whole, in order.
  if (reordersKeys(sections.map((section) => section.key))) return undefined;
  return sections.length > 0 ? sections : undefined;
}

/** Plain keys that are strings whatever the schema; the rest are asked of the schema (`yes`, `1`, `a b`). */
const STRING_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAYBE_NOT_STRING =
  /^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|__proto__)$/;

/** The key as the document's own parse names it; undefined for one that is not a string there. */
function keyOf(written: string): string | undefined {
  if (STRING_KEY.test(written) && !MAYBE_NOT_STRING.test(written)) return written;
  try {
    const key = parseYaml(written);
    return typeof key === 'string' && key !== '__proto__' ? key : undefined;
  } catch {
    return undefined;
  }
}

function readSection(mapping: SplitMapping, section: Section): unknown {
  const { text, lines } = mapping;
  const head = lines[section.first] as NodeLine;
  const child = lines[section.first + 1];
  if (
    head.valueBelow &&
    section.end - section.start > SPLIT_ABOVE &&
    child &&
    section.first + 1 < section.last &&
    !child.item &&
    child.indent > mapping.indent
  ) {
    const nested = splitMapping(text, lines, section.first + 1, section.last, section.end, child.indent);
    if (nested) return nested;
  }
  const parsed = parseSectionText(text.slice(section.start, section.end));
  if (!isPlainObject(parsed) || Object.keys(parsed).length !== 1 || !Object.hasOwn(parsed, section.key))
    throw new YamlSectionMismatch(`the text of entry "${section.key}" does not parse to that entry alone`);
  return parsed[section.key];
}

function parseSectionText(text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new YamlSectionMismatch((error as Error).message, { cause: error });
  }
}

/** Appends the mapping's text at `indent`; false when it has no entries (the caller writes `{}`). */
function writeMapping(
  doc: Record<string, unknown>,
  indent: number,
  out: string[],
  seen: Set<object>,
): boolean {
  const mapping = splitMappings.get(doc) as SplitMapping;
  const keys = Object.keys(doc);
  if (keys.length === 0) return false;
  seen.add(doc);
  for (const key of keys) {
    const section = mapping.unread.get(key);
    if (section) {
      const text = mapping.text.slice(section.start, section.end);
      out.push(text.endsWith('\n') ? text : `${text}\n`);
      continue;
    }
    const value = doc[key];
    const nested = isPlainObject(value) ? splitMappings.get(value) : undefined;
    const head = nested && nested.indent > indent && !seen.has(value as object) ? keyLine(key) : undefined;
    if (head !== undefined) {
      const mark = out.push(' '.repeat(indent) + head);
      if (writeMapping(value as Record<string, unknown>, (nested as SplitMapping).indent, out, seen))
        continue;
      out.length = mark - 1;
    }
    const text = dumpYaml({ [key]: value });
    out.push(indent === 0 ? text : text.replace(/^(?=.)/gm, ' '.repeat(indent)));
  }
  return true;
}

/** `key:` as the dump writes it before a block value, or undefined for a key written another way (`? key`). */
function keyLine(key: string): string | undefined {
  const text = dumpYaml({ [key]: null });
  return text.endsWith(': null\n') && !text.startsWith('?')
    ? `${text.slice(0, -' null\n'.length)}\n`
    : undefined;
}
