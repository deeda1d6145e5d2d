import { deepCopy, isPlainObject } from '../../src/core/document';
import { parseYaml } from '../../src/core/yaml';
import { nameOf, type Doc, type Manifest } from './tekton-manifests';

/**
 * An overlay's inline JSON 6902 patches (`add` and `replace`, as kustomize applies them to the objects their
 * `target` selects) laid over the base's objects, so the checks run on what the overlay would apply too.
 * Generators and replacements are not run: `caBundleReplaced` says whether a replacement fills a
 * ClusterInterceptor's caBundle.
 */
export function applyOverlay(
  base: Manifest[],
  kustomization: Doc,
): { manifests: Manifest[]; caBundleReplaced: boolean } {
  const manifests = base.map((m) => ({ file: m.file, doc: deepCopy(m.doc) as Doc }));
  for (const p of kustomization['patches'] ?? []) {
    if (typeof p['patch'] !== 'string') throw new Error('only inline patches are supported here');
    const ops = parseYaml(p['patch']) as Doc[];
    const targets = manifests.filter(
      (m) => m.doc['kind'] === p['target']?.kind && (!p['target']?.name || nameOf(m) === p['target'].name),
    );
    if (targets.length === 0)
      throw new Error(`a patch targets ${p['target']?.kind}/${p['target']?.name}: no such object`);
    for (const m of targets) for (const op of ops) applyOp(m.doc, op);
  }
  const caBundleReplaced = (kustomization['replacements'] ?? []).some((r: Doc) =>
    (r['targets'] ?? []).some(
      (t: Doc) =>
        t['select']?.kind === 'ClusterInterceptor' &&
        (t['fieldPaths'] ?? []).includes('spec.clientConfig.caBundle'),
    ),
  );
  return { manifests, caBundleReplaced };
}

/** One JSON Patch operation; a path that does not exist (other than its last step) is an error, as in kustomize. */
export function applyOp(doc: Doc, op: Doc): void {
  if (op['op'] !== 'add' && op['op'] !== 'replace') throw new Error(`unsupported op ${op['op']}`);
  const steps = String(op['path'])
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = steps.pop() as string;
  let node: unknown = doc;
  for (const step of steps) {
    node = Array.isArray(node) ? node[Number(step)] : isPlainObject(node) ? node[step] : undefined;
    if (node === undefined) throw new Error(`path ${op['path']} does not exist`);
  }
  if (Array.isArray(node)) {
    if (last === '-') node.push(op['value']);
    else if (op['op'] === 'add') node.splice(Number(last), 0, op['value']);
    else node[Number(last)] = op['value'];
  } else if (isPlainObject(node)) {
    if (op['op'] === 'replace' && !Object.hasOwn(node, last))
      throw new Error(`path ${op['path']} does not exist`);
    node[last] = op['value'];
  } else throw new Error(`path ${op['path']} does not exist`);
}
