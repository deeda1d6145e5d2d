import { createHash } from 'node:crypto';
import type { ContextDocument } from '../../core/document';
import type { NodeLine } from '../../compat/yaml/yaml-node-lines';

/**
 * A document as Redis holds it: its bytes' SHA-1 ('' when there is no key) and its text, which each change reads
 * entry by entry (yaml-sections.ts), or, when the text cannot be split with certainty, parsed whole once.
 */
export interface Version {
  sha1: string;
  text: string | undefined;
  /** the text's node lines, once scanned; null when it must be parsed whole */
  lines?: NodeLine[] | null;
  parsed?: ContextDocument;
}

/**
 * The version of what a key holds (`bytes`, null for no key): `known`, with the parse it has, when the bytes
 * are its text. A click's document is read before its ack (open-dialog.ts) and again by the worker that
 * decides it; it is parsed once.
 */
export function versionOf(bytes: Buffer | null, known: Version | undefined): Version {
  if (bytes === null) return known?.sha1 === '' ? known : { sha1: '', text: undefined };
  const version = sha1(bytes);
  return known?.sha1 === version ? known : { sha1: version, text: bytes.toString('utf8') };
}

/** Hex SHA-1, as Redis's `redis.sha1hex` gives it for the same bytes (a string counts as its UTF-8). */
export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}
