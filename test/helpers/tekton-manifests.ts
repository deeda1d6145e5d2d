import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isPlainObject } from '../../src/core/document';
import { parseYaml } from '../../src/compat/yaml/yaml';

export const TEKTON_DIR = resolve(__dirname, '../../tekton');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

/** One Kubernetes object, with the file (relative to the manifest root) it was read from. */
export interface Manifest {
  file: string;
  doc: Doc;
}

/** Every file under `dir` whose name ends with one of `extensions`, relative to `dir`, sorted. */
export function filesUnder(dir: string, extensions: string[]): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (extensions.some((ext) => name.endsWith(ext))) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The documents of a multi-document YAML text. parseYaml reads one document, so the text is split on `---`
 * lines first: at column 0 such a line always starts a new document (block scalars are indented).
 */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  return text
    .split(/^---[ \t]*(?:#.*)?$/m)
    .filter((part) => part.replace(/#.*$/gm, '').trim() !== '')
    .map((part, i) => parseYaml(part, `${file} (document ${i + 1})`));
}

/** Kubernetes objects of every YAML file under `dir`, kustomization files aside; parse errors as problems. */
export function readManifests(dir: string): { manifests: Manifest[]; problems: string[] } {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of filesUnder(dir, ['.yaml', '.yml'])) {
    if (isKustomizeFile(file)) continue;
    try {
      for (const doc of parseYamlDocuments(readFileSync(join(dir, file), 'utf8'), file)) {
        if (isPlainObject(doc)) manifests.push({ file, doc });
        else problems.push(`${file}: a document that is not a mapping`);
      }
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return { manifests, problems };
}

/** Files kustomize reads itself: kustomizations and transformer configurations, not Kubernetes objects. */
export function isKustomizeFile(file: string): boolean {
  return /(^|\/)(kustomization|kustomizeconfig)\.ya?ml$/.test(file);
}

/** Objects of `kind`. */
export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.doc['kind'] === kind);
}

export function nameOf(m: Manifest): string {
  return String(m.doc['metadata']?.['name'] ?? '');
}

/** `kind/name (file)`, how problems name an object. */
export function label(m: Manifest): string {
  return `${m.doc['kind']}/${nameOf(m)} (${m.file})`;
}

/** A ConfigMap's data entry, e.g. config.yaml of cicdstatemgr-config. */
export function configMapEntry(manifests: Manifest[], name: string, key: string): string {
  const map = ofKind(manifests, 'ConfigMap').find((m) => nameOf(m) === name);
  const value = map?.doc['data']?.[key];
  if (typeof value !== 'string') throw new Error(`ConfigMap ${name} has no data entry ${key}`);
  return value;
}

/** The text of the section of a Markdown document headed `## <title>` (up to the next `## `). */
export function markdownSection(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^## ${title}\\b.*$`, 'm'));
  if (start < 0) return '';
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}
