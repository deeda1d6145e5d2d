import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlainObject } from '../../src/core/document';
import {
  label,
  parseYamlDocuments,
  readManifests,
  TEKTON_DIR,
  type Doc,
  type Manifest,
} from '../helpers/tekton-manifests';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

/**
 * kustomize itself on tekton/, when kubectl is installed (its built-in kustomize; no cluster needed). The unit
 * tests check the files; this checks that kustomize builds them into exactly those objects, with the image
 * set on Deployments and Task steps alike, and that the https overlay cannot be built without its CA.
 */
describe('tekton/ built by kustomize (kubectl kustomize)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    if (!hasKubectl) this.skip(); // kubectl is not on PATH: nothing to build with
    dir = mkdtempSync(join(tmpdir(), 'slackline-kustomize-'));
    cpSync(TEKTON_DIR, join(dir, 'tekton'), { recursive: true });
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const build = (path: string): Manifest[] =>
    parseYamlDocuments(execFileSync('kubectl', ['kustomize', join(dir, path)], { encoding: 'utf8' }), path)
      .filter(isPlainObject)
      .map((doc) => ({ file: path, doc: doc as Doc }));
  const key = (m: Manifest) => `${m.doc['kind']}/${m.doc['metadata']['name']}`;

  it('builds every object of tekton/ but the Secret templates, with the image set everywhere', function () {
    const built = build('tekton');
    const files = readManifests(TEKTON_DIR).manifests.filter((m) => !m.file.endsWith('.template.yaml'));
    assert.deepEqual(built.map(key).sort(), files.map(key).sort());
    const images = built.flatMap((m) => {
      const spec = m.doc['kind'] === 'Deployment' ? m.doc['spec']['template']['spec'] : m.doc['spec'];
      return [...(spec?.['containers'] ?? []), ...(spec?.['steps'] ?? [])].map(
        (c: Doc) => `${label(m)} ${c['image']}`,
      );
    });
    assert.deepEqual(
      images.filter((i) => / slackline$/.test(i)),
      [],
      'kustomize replaced every `slackline` image',
    );
  });

  it('refuses to build the https overlay without ca-bundle.b64, and fills the caBundle with it', function () {
    const overlay = join(dir, 'tekton/overlays/https');
    const missing = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /ca-bundle\.b64/);
    writeFileSync(join(overlay, 'ca-bundle.b64'), 'Q0EgQ0VSVElGSUNBVEU=');
    const [ci] = build('tekton/overlays/https').filter((m) => m.doc['kind'] === 'ClusterInterceptor');
    assert.equal(ci?.doc['metadata']['labels']['server/type'], 'https');
    assert.equal(ci?.doc['spec']['clientConfig']['caBundle'], 'Q0EgQ0VSVElGSUNBVEU=');
    assert.equal(ci?.doc['metadata']['namespace'], undefined, 'cluster-scoped: no namespace');
  });
});
