import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlainObject } from '../../src/core/document';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { parseYamlDocuments, TEKTON_DIR, type Doc, type Manifest } from './tekton-manifests';

/** What an operator's overlay says on top of tekton/base: the components it lists, and its own settings. */
export interface Install {
  components: string[];
  namespace?: string;
  images?: Doc[];
  /** An inline transformer, e.g. the README's prefix for cluster-scoped names. */
  transformers?: string[];
}

/** A test CA bundle for components/https, which cannot be built without one. */
export const TEST_CA_BUNDLE = 'VEVTVCBDQSBCVU5ETEU=';

let scratch: string | undefined;

/** A copy of tekton/ in a temp dir (removed at exit), with the operator-made ca-bundle.b64 in place. */
function tektonCopy(): string {
  if (scratch) return scratch;
  scratch = mkdtempSync(join(tmpdir(), 'slackline-kustomize-'));
  cpSync(TEKTON_DIR, join(scratch, 'tekton'), { recursive: true });
  writeFileSync(join(scratch, 'tekton/components/https/ca-bundle.b64'), TEST_CA_BUNDLE);
  const dir = scratch;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return scratch;
}

export function requireKubectl(): void {
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0)
    throw new Error(
      'kubectl is not on PATH: the manifests are built with `kubectl kustomize` (no cluster needed)',
    );
}

const built = new Map<string, Manifest[]>();

/**
 * The objects `kubectl kustomize` builds from an overlay of tekton/base with `install`'s components and settings,
 * written as an operator would write it. Built once per install and process.
 */
export function buildInstall(install: Install): Manifest[] {
  const key = JSON.stringify(install);
  const cached = built.get(key);
  if (cached) return cached;
  requireKubectl();
  const root = tektonCopy();
  const dir = join(root, `overlay-${built.size}`);
  mkdirSync(dir);
  const kustomization: Doc = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../tekton/base'],
    ...(install.components.length > 0 ? { components: install.components.map((c) => `../tekton/${c}`) } : {}),
    ...(install.namespace ? { namespace: install.namespace } : {}),
    ...(install.images ? { images: install.images } : {}),
    ...(install.transformers ? { transformers: install.transformers } : {}),
  };
  writeFileSync(join(dir, 'kustomization.yaml'), dumpYaml(kustomization));
  const label = install.components.length > 0 ? `base + ${install.components.join(' + ')}` : 'base';
  const manifests = kustomize(dir, label);
  built.set(key, manifests);
  return manifests;
}

/** `kubectl kustomize dir`, as objects; `file` in each is `label` (what was built). */
export function kustomize(dir: string, label: string): Manifest[] {
  return parseYamlDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }), label)
    .filter(isPlainObject)
    .map((doc) => ({ file: label, doc: doc as Doc }));
}
