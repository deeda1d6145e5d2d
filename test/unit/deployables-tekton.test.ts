import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildInstall, TEST_CA_BUNDLE } from '../helpers/kustomize-build';
import { schemaProblems, tektonLintProblems } from '../helpers/manifest-validators';
import { documentedInstalls, EVERYTHING, WITH_HTTPS } from '../helpers/tekton-installs';
import {
  backquotedNames,
  checkImages,
  checkInterceptorTls,
  checkKustomizations,
  checkNamespaces,
  checkTemplateParams,
  checkTemplateRuns,
  checkPorts,
  checkReferences,
  checkSecretTemplates,
  checkTriggers,
} from '../helpers/tekton-checks';
import {
  filesUnder,
  markdownSection,
  nameOf,
  ofKind,
  parseYamlDocuments,
  readManifests,
  TEKTON_DIR,
  type Doc,
  type Manifest,
} from '../helpers/tekton-manifests';

const NAMESPACE = 'slackline';
const readme = readFileSync(join(TEKTON_DIR, 'README.md'), 'utf8');
const prerequisites = backquotedNames(markdownSection(readme, 'Prerequisites'));

/** Manifests from YAML text, for the fixtures that show each check finds what it looks for. */
function fixture(text: string): Manifest[] {
  return parseYamlDocuments(text, 'fixture.yaml').map((doc) => ({ file: 'fixture.yaml', doc: doc as Doc }));
}

describe('tekton/ manifests, as kustomize builds them', function () {
  this.timeout(60_000);
  const { manifests: files, problems } = readManifests(TEKTON_DIR);
  let manifests: Manifest[];
  let https: Manifest[];

  before(function () {
    manifests = buildInstall(EVERYTHING);
    https = buildInstall(WITH_HTTPS);
  });

  it('parse: every YAML file under tekton/ holds documents that are mappings', function () {
    assert.deepEqual(problems, []);
    const withObjects = new Set(files.map((m) => m.file));
    const yaml = filesUnder(TEKTON_DIR, ['.yaml', '.yml']).filter((f) => !/kustomiz/.test(f));
    assert.deepEqual(
      yaml.filter((f) => !withObjects.has(f)),
      [],
    );
    assert.ok(manifests.length >= 30, `${manifests.length} objects`);
  });

  it("pass the Kubernetes schemas and Tekton's types, unknown fields refused: every documented install, and the Secret templates", function () {
    const objects = documentedInstalls(readme).flatMap(({ install }) => buildInstall(install));
    assert.deepEqual(
      [...objects, ...https, ...files.filter((m) => m.file.startsWith('secrets/'))].flatMap(schemaProblems),
      [],
    );
  });

  it("pass Tekton's linter (@ibm/tekton-lint), warnings included", async function () {
    assert.deepEqual(await tektonLintProblems(manifests), []);
    assert.deepEqual(
      await tektonLintProblems(buildInstall({ components: [], images: EVERYTHING.images })),
      [],
    );
  });

  it(`are all in the namespace ${NAMESPACE}, or in the one an overlay's \`namespace:\` sets, and name no other`, function () {
    assert.deepEqual(checkNamespaces(manifests, NAMESPACE), []);
    assert.deepEqual(checkNamespaces(buildInstall({ ...EVERYTHING, namespace: 'ci-tools' }), 'ci-tools'), []);
  });

  it('declare every $(tt.params…) a TriggerTemplate uses, and start its Pipeline with the params and workspaces it declares', function () {
    assert.deepEqual(checkTemplateParams(manifests), []);
    assert.deepEqual(checkTemplateRuns(manifests), []);
  });

  it("bind every TriggerTemplate param, and only the template's params", function () {
    assert.deepEqual(checkTriggers(manifests), []);
  });

  it('refer only to objects defined in tekton/ or listed as README prerequisites', function () {
    assert.deepEqual(checkReferences(manifests, prerequisites), []);
    assert.deepEqual(checkReferences(https, backquotedNames(readme)), []);
  });

  it("line up ports: Services' targetPorts, probes, the ClusterInterceptor's port (http and https)", function () {
    assert.deepEqual(checkPorts(manifests), []);
    assert.deepEqual(checkPorts(https), []);
  });

  it('use the image the overlay sets everywhere, or third-party images pinned by digest', function () {
    const images = (EVERYTHING.images ?? []).map((i) => `${i['newName']}:${i['newTag']}`);
    for (const { install } of documentedInstalls(readme))
      assert.deepEqual(checkImages(buildInstall(install), images), []);
  });

  it('hold no secret: Secrets are templates of placeholders that no kustomization applies', function () {
    const templates = files.filter((m) => m.file.startsWith('secrets/'));
    assert.deepEqual(checkSecretTemplates(templates), []);
    assert.deepEqual(ofKind(templates, 'Secret').map(nameOf).sort(), [
      'cicd-redis',
      'cicdstatemgr-secrets',
      'slackline-gateway',
    ]);
    assert.deepEqual(ofKind(manifests, 'Secret'), [], 'no kustomization builds a Secret');
  });

  it('never label the ClusterInterceptor https without its caBundle (base: http; https component: both at once)', function () {
    assert.deepEqual(checkInterceptorTls(manifests), []);
    const [ci] = ofKind(https, 'ClusterInterceptor');
    assert.equal(ci?.doc['metadata'].labels['server/type'], 'https');
    assert.equal(ci?.doc['spec'].clientConfig.caBundle.trim(), TEST_CA_BUNDLE);
    assert.deepEqual(checkInterceptorTls(https), []);
  });

  it('are all listed by a kustomization, templates aside, and the kustomizations list only what exists', function () {
    assert.deepEqual(checkKustomizations(TEKTON_DIR, readme), []);
  });

  it('put the webhook interceptor first in the direct flow: only the first one sees the bytes Slack signed', function () {
    const el = ofKind(manifests, 'EventListener').find((m) => nameOf(m) === 'slack-direct');
    assert.equal(el?.doc['metadata'].annotations['tekton.dev/payload-validation'], 'false');
    for (const trigger of el?.doc['spec'].triggers ?? [])
      assert.ok(trigger.interceptors[0].webhook, trigger.name);
  });

  it("verify the gateway's signature before anything else in the forwarded flow", function () {
    const el = ofKind(manifests, 'EventListener').find((m) => nameOf(m) === 'slackline');
    for (const trigger of el?.doc['spec'].triggers ?? [])
      assert.deepEqual(
        trigger.interceptors[0].ref,
        { name: 'slackline', kind: 'ClusterInterceptor' },
        trigger.name,
      );
  });
});

describe('tekton/ manifest checks find what they look for', function () {
  const task = (extra = '') => `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t, namespace: slackline}
spec:
  params: [{name: declared}]
  workspaces: [{name: config}]
  steps:
    - name: s
      image: slackline
      script: echo $(params.declared) $(workspaces.config.path) ${extra}
`;

  it('schemas: an unknown field, a wrong type, a missing required field, in Kubernetes and Tekton objects alike', function () {
    const found = fixture(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, labelz: {}}
spec:
  replicas: two
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: x, securityContext: {runAsNonroot: true}}]}
---
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  stepTemplate: {computeResources: {limits: {memory: 1Gi}}, securityContext: {readOnlyRootFileSystem: true}}
  steps: [{name: s, image: x, scirpt: echo, env: [{name: A, valu: b}]}]
  workspaces: [{readOnly: true}]
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el}
spec: {triggers: [{name: t, interceptor: []}]}
---
apiVersion: triggers.tekton.dev/v1alpha1
kind: EventListener
metadata: {name: old}
spec: {}
`)
      .flatMap(schemaProblems)
      .join('\n');
    for (const what of [
      '/metadata/labelz: unknown field',
      '/spec/replicas: type',
      '/securityContext/runAsNonroot: unknown field',
      '/spec/stepTemplate/securityContext/readOnlyRootFileSystem: unknown field',
      '/spec/steps/0/scirpt: unknown field',
      '/spec/steps/0/env/0/valu: unknown field',
      '/spec/workspaces/0/name: required',
      '/spec/triggers/0/interceptor: unknown field',
      'no schema for triggers.tekton.dev/v1alpha1/EventListener',
    ])
      assert.ok(found.includes(what), `${what} in\n${found}`);
  });

  it("Tekton's linter: an undeclared $(params.x), a param nobody uses, a Pipeline passing a wrong or no param", async function () {
    const found = (
      await tektonLintProblems(
        fixture(`${task('$(params.undeclared)').replace('[{name: declared}]', '[{name: declared}, {name: spare, default: x}]')}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  workspaces: [{name: w}]
  tasks:
    - {name: a, taskRef: {name: t}, params: [{name: extra, value: y}], workspaces: [{name: config, workspace: w}]}
    - {name: b, taskRef: {name: ghost}}
`),
      )
    ).join('\n');
    for (const rule of [
      'no-undefined-param',
      'no-unused-param',
      'no-extra-param',
      'no-missing-param',
      'no-missing-resource',
    ])
      assert.match(found, new RegExp(rule));
  });

  it('an undeclared $(tt.params.x) in a TriggerTemplate', function () {
    const template = `
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: tt}
spec:
  params: [{name: a}]
  resourcetemplates:
    - {apiVersion: tekton.dev/v1, kind: PipelineRun, spec: {params: [{name: a, value: $(tt.params.a)}, {name: b, value: $(tt.params.b)}]}}
`;
    assert.match(checkTemplateParams(fixture(template)).join(), /uses \$\(tt\.params\.b\), not declared/);
  });

  it('a binding param the template drops, and a template param nothing binds', function () {
    const triggers = `
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el}
spec:
  triggers: [{name: tr, bindings: [{ref: b}], template: {ref: tt}}]
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerBinding
metadata: {name: b}
spec: {params: [{name: id, value: $(body.id)}, {name: stray, value: $(body.x)}]}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: TriggerTemplate
metadata: {name: tt}
spec: {params: [{name: id}, {name: needed}, {name: optional, default: none}], resourcetemplates: []}
`;
    const found = checkTriggers(fixture(triggers)).join('\n');
    assert.match(found, /binding param stray is not a param/);
    assert.match(found, /param needed has no binding and no default/);
    assert.doesNotMatch(found, /optional/);
  });

  it('references to Secrets, ConfigMaps, ServiceAccounts, Tasks, interceptors and Services that do not exist', function () {
    const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {labels: {app: d}}
    spec:
      serviceAccountName: ghost-sa
      containers: [{name: c, image: slackline, envFrom: [{secretRef: {name: ghost-secret}}, {configMapRef: {name: ghost-map}}]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: urls}
data: {URL: "http://ghost-svc.slackline.svc:8080"}
---
apiVersion: triggers.tekton.dev/v1beta1
kind: EventListener
metadata: {name: el}
spec:
  triggers: [{name: tr, interceptors: [{ref: {name: ghost-interceptor, kind: ClusterInterceptor}}], template: {ref: ghost-template}}]
`;
    const found = checkReferences(fixture(deployment), new Set()).join('\n');
    for (const name of [
      'ghost-sa',
      'ghost-secret',
      'ghost-map',
      'ghost-svc',
      'ghost-interceptor',
      'ghost-template',
    ])
      assert.match(found, new RegExp(name));
    assert.deepEqual(
      checkReferences(
        fixture(deployment),
        new Set([
          'ghost-sa',
          'ghost-secret',
          'ghost-map',
          'ghost-svc',
          'ghost-interceptor',
          'ghost-template',
        ]),
      ),
      [],
    );
  });

  it('a Service targeting a port no container has, a probe on an unknown port, an interceptor port the Service lacks', function () {
    const text = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {labels: {app: d}}
    spec:
      containers:
        - name: c
          image: slackline
          ports: [{name: http, containerPort: 3000}]
          readinessProbe: {httpGet: {path: /readyz, port: web}}
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {selector: {app: d}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: triggers.tekton.dev/v1alpha1
kind: ClusterInterceptor
metadata: {name: ci}
spec: {clientConfig: {service: {name: s, namespace: slackline, port: 8443}}}
`;
    const found = checkPorts(fixture(text)).join('\n');
    assert.match(found, /targets 8080/);
    assert.match(found, /readinessProbe uses port web/);
    assert.match(found, /calls port 8443/);
  });

  it('a real-looking secret value, a Secret outside a template file, an unpinned image', function () {
    const secret = `
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData:
  TOKEN: xoxb-123-real
  secrets.yaml: |
    cicdstatemgr:
      slack: {token: PLACEHOLDER-ok, other: leaked}
`;
    const found = checkSecretTemplates(fixture(secret)).join('\n');
    assert.match(found, /outside a \*\.template\.yaml/);
    assert.match(found, /TOKEN: a value that is not a PLACEHOLDER/);
    assert.match(found, /secrets\.yaml: a value that is not a PLACEHOLDER/);
    const unpinned = fixture(task().replace('image: slackline', 'image: redis:7'));
    assert.match(checkImages(unpinned, ['slackline']).join(), /image redis:7 is not pinned by digest/);
  });

  it('an https ClusterInterceptor without caBundle', function () {
    const ci = `
apiVersion: triggers.tekton.dev/v1alpha1
kind: ClusterInterceptor
metadata: {name: slackline, labels: {server/type: https}}
spec: {clientConfig: {service: {name: s, namespace: slackline}}}
`;
    assert.match(checkInterceptorTls(fixture(ci)).join(), /without a caBundle/);
  });

  it('a file no kustomization lists, a listed file that is missing, an applied template, an unexplained input', function () {
    const dir = mkdtempSync(join(tmpdir(), 'slackline-kustomize-'));
    try {
      const write = (file: string, text: string) => {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      };
      write('kustomization.yaml', 'resources: [a.yaml, missing.yaml, s.template.yaml]\n');
      write('a.yaml', 'kind: ConfigMap\n');
      write('sub/forgotten.yaml', 'kind: ConfigMap\n');
      write('s.template.yaml', 'kind: Secret\n');
      write(
        'o/kustomization.yaml',
        'resources: [..]\nconfigMapGenerator: [{name: x, files: [k=operator-made.txt]}]\n',
      );
      const found = checkKustomizations(dir, '# README').join('\n');
      assert.match(found, /lists missing\.yaml, which does not exist/);
      assert.match(found, /sub\/forgotten\.yaml is in no kustomization/);
      assert.match(
        found,
        /s\.template\.yaml is a template with placeholders, yet a kustomization applies it/,
      );
      assert.match(found, /s\.template\.yaml: the README does not say/);
      assert.match(found, /generates from operator-made\.txt, which the README does not explain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('namespaces other than the one, and a namespace on a cluster-scoped object', function () {
    const text = `
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: elsewhere}
data: {URL: "redis://r.other.svc:6379"}
---
apiVersion: triggers.tekton.dev/v1alpha1
kind: ClusterInterceptor
metadata: {name: ci, namespace: slackline}
spec: {clientConfig: {service: {name: s, namespace: slackline}}}
`;
    const found = checkNamespaces(fixture(text), NAMESPACE).join('\n');
    assert.match(found, /in namespace elsewhere/);
    assert.match(found, /names namespace other/);
    assert.doesNotMatch(found, /ClusterInterceptor/, 'a cluster-scoped object may carry the namespace');
  });
});
