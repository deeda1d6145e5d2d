import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInstall, requireKubectl } from '../helpers/kustomize-build';
import { documentedInstalls, EVERYTHING, TEST_IMAGES } from '../helpers/tekton-installs';
import { label, nameOf, ofKind, TEKTON_DIR, type Doc, type Manifest } from '../helpers/tekton-manifests';

const readme = readFileSync(join(TEKTON_DIR, 'README.md'), 'utf8');
const key = (m: Manifest) => `${m.doc['kind']}/${nameOf(m)}`;
const podSpec = (m: Manifest): Doc | undefined =>
  m.doc['kind'] === 'Deployment' || m.doc['kind'] === 'StatefulSet'
    ? m.doc['spec']['template']['spec']
    : undefined;

/**
 * kustomize itself (kubectl's built-in one; no cluster needed) on tekton/: the base alone and every combination
 * of components the README documents build, an overlay's `namespace:` and `images:` reach every object, and the
 * README's prefix for cluster-scoped names lets two installs share a cluster.
 */
describe('tekton/ built by kustomize (kubectl kustomize)', function () {
  this.timeout(60_000);
  before(requireKubectl);

  it('documents the base alone and combinations of every component', function () {
    const installs = documentedInstalls(readme);
    assert.ok(installs.length >= 5, installs.map((i) => i.row).join('\n'));
    assert.deepEqual(installs[0]?.install.components, [], 'the first row is the base alone');
    const listed = new Set(installs.flatMap((i) => i.install.components));
    const components = readdirSync(join(TEKTON_DIR, 'components')).map((c) => `components/${c}`);
    assert.deepEqual([...listed].sort(), components.sort(), 'every component is in some documented install');
  });

  it('builds every documented install', function () {
    for (const { row, install } of documentedInstalls(readme))
      assert.ok(buildInstall(install).length > 0, row);
  });

  it('the base alone: the gateway, its ClusterInterceptor and the Tasks; no Redis, no example, no EventListener', function () {
    const base = buildInstall({ components: [] });
    assert.deepEqual(base.map(key).sort(), [
      'ClusterInterceptor/slackline',
      'ConfigMap/slackline-gateway-config',
      'ConfigMap/slackline-gateway-env',
      'Deployment/slackline-gateway',
      'NetworkPolicy/slackline-gateway',
      'PodDisruptionBudget/slackline-gateway',
      'Service/slackline-gateway',
      'ServiceAccount/slackline-gateway',
      'Task/cicdstatemgr-handle-event',
      'Task/cicdstatemgr-init',
      'Task/cicdstatemgr-load',
    ]);
    assert.doesNotMatch(JSON.stringify(base.map((m) => m.doc)), /redis:|example-/);
  });

  it("sets the overlay's namespace and image on every object, Task steps included", function () {
    const built = buildInstall({ ...EVERYTHING, namespace: 'ci-tools' });
    const images = built.flatMap((m) => {
      const spec = podSpec(m) ?? m.doc['spec'];
      return [
        ...(spec?.['containers'] ?? []),
        ...(spec?.['initContainers'] ?? []),
        ...(spec?.['steps'] ?? []),
      ].map((c: Doc) => `${label(m)} ${c['image']}`);
    });
    const ours = `${TEST_IMAGES[0]?.newName}:${TEST_IMAGES[0]?.newTag}`;
    assert.deepEqual(
      images.filter((i) => !i.endsWith(` ${ours}`) && !/ redis:/.test(i)),
      [],
      'every slackline image is the one the overlay set',
    );
    for (const m of built) {
      if (m.doc['kind'] === 'ClusterRoleBinding') continue;
      assert.equal(m.doc['metadata']['namespace'], 'ci-tools', label(m));
    }
    const [ci] = ofKind(built, 'ClusterInterceptor');
    assert.equal(ci?.doc['spec'].clientConfig.service.namespace, 'ci-tools');
    const [crb] = ofKind(built, 'ClusterRoleBinding');
    assert.deepEqual(
      crb?.doc['subjects'].map((s: Doc) => s['namespace']),
      ['ci-tools'],
    );
    const direct = ofKind(built, 'EventListener').find((m) => nameOf(m) === 'slack-direct');
    assert.equal(direct?.doc['spec'].triggers[0].interceptors[0].webhook.objectRef.namespace, 'ci-tools');
  });

  it("prefixes the cluster-scoped names with the README's transformer, and the triggers follow", function () {
    const transformer = /```yaml\n(transformers:[\s\S]*?)```/.exec(
      readme.slice(readme.indexOf('## Two installs in one cluster')),
    )?.[1];
    assert.ok(transformer, 'the README shows the transformer');
    const prefix = /prefix: (\S+)/.exec(transformer)?.[1] as string;
    const inline = (/- \|-\n([\s\S]*)/.exec(transformer)?.[1] ?? '').replace(/^ {4}/gm, '');
    const built = buildInstall({ ...EVERYTHING, namespace: 'team-a', transformers: [inline] });
    const clusterScoped = built.filter((m) =>
      ['ClusterInterceptor', 'ClusterRoleBinding'].includes(m.doc['kind']),
    );
    assert.ok(clusterScoped.length >= 2);
    for (const m of clusterScoped) assert.ok(nameOf(m).startsWith(prefix), label(m));
    const namespaced = built.filter((m) => !clusterScoped.includes(m));
    assert.deepEqual(
      namespaced.filter((m) => nameOf(m).startsWith(prefix)).map(label),
      [],
      'namespaced objects keep their names (URLs in ConfigMaps name them)',
    );
    const [ci] = ofKind(built, 'ClusterInterceptor');
    const refs = ofKind(built, 'EventListener').flatMap((el) =>
      el.doc['spec'].triggers.flatMap((t: Doc) =>
        t['interceptors'].filter((i: Doc) => i['ref']?.name !== 'cel'),
      ),
    );
    for (const r of refs.filter((i: Doc) => i['ref'])) assert.equal(r['ref'].name, nameOf(ci as Manifest));
  });

  it('refuses to build components/https without ca-bundle.b64', function () {
    const dir = mkdtempSync(join(tmpdir(), 'slackline-kustomize-'));
    try {
      cpSync(TEKTON_DIR, join(dir, 'tekton'), { recursive: true });
      rmSync(join(dir, 'tekton/components/https/ca-bundle.b64'), { force: true });
      const overlay = join(dir, 'overlay');
      mkdirSync(overlay);
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        'resources: [../tekton/base]\ncomponents: [../tekton/components/https]\n',
      );
      const missing = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /ca-bundle\.b64/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
