import assert from 'node:assert/strict';
import { buildInstall } from '../helpers/kustomize-build';
import { admits, type PodEndpoint } from '../helpers/network-policy';
import { hardeningProblems, podsOf, restrictedProblems } from '../helpers/pod-security';
import { EVERYTHING, TEST_IMAGES } from '../helpers/tekton-installs';
import {
  label,
  nameOf,
  ofKind,
  parseYamlDocuments,
  type Doc,
  type Manifest,
} from '../helpers/tekton-manifests';

const NS = 'slackline';
const SENTINEL = { components: ['components/redis-sentinel', 'components/monitoring'], images: TEST_IMAGES };
const fixture = (text: string): Manifest[] =>
  parseYamlDocuments(text, 'fixture.yaml').map((doc) => ({ file: 'fixture.yaml', doc: doc as Doc }));

/** Pods as the cluster would label them. */
const gateway: PodEndpoint = { namespace: NS, labels: { 'app.kubernetes.io/name': 'slackline-gateway' } };
const eventListener: PodEndpoint = {
  namespace: NS,
  labels: {
    'app.kubernetes.io/managed-by': 'EventListener',
    'app.kubernetes.io/part-of': 'Triggers',
    eventlistener: 'slackline',
  },
};
const taskRun: PodEndpoint = {
  namespace: NS,
  labels: { 'app.kubernetes.io/managed-by': 'tekton-pipelines', 'tekton.dev/task': 'cicdstatemgr-load' },
};
const ingressController: PodEndpoint = {
  namespace: 'ingress-nginx',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
};
const prometheus: PodEndpoint = {
  namespace: 'monitoring',
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};
const neighbour: PodEndpoint = { namespace: NS, labels: { app: 'something-else' } };
const elsewhereEventListener: PodEndpoint = { ...eventListener, namespace: 'other' };
const redis: PodEndpoint = { namespace: NS, labels: { 'app.kubernetes.io/name': 'cicd-redis' } };

describe('tekton/ hardening: network policies, disruption budget, spreading, Pod Security', function () {
  this.timeout(60_000);
  let everything: Manifest[];
  let sentinel: Manifest[];

  before(function () {
    everything = buildInstall(EVERYTHING);
    sentinel = buildInstall(SENTINEL);
  });

  it('lets only EventListener pods of the namespace and the ingress controller reach the gateway', function () {
    const policies = ofKind(everything, 'NetworkPolicy');
    for (const from of [eventListener, ingressController])
      assert.ok(
        admits(policies, from, gateway, 3000),
        from.labels['app.kubernetes.io/name'] ?? 'EventListener',
      );
    for (const from of [neighbour, taskRun, redis, elsewhereEventListener, prometheus])
      assert.ok(!admits(policies, from, gateway, 3000), JSON.stringify(from));
    assert.ok(
      admits(ofKind(sentinel, 'NetworkPolicy'), prometheus, gateway, 3000),
      'components/monitoring lets Prometheus scrape',
    );
  });

  it('lets only the gateway and TaskRun pods reach Redis (and the Redis pods one another, with Sentinel)', function () {
    for (const install of [everything, sentinel]) {
      const policies = ofKind(install, 'NetworkPolicy');
      for (const from of [gateway, taskRun]) assert.ok(admits(policies, from, redis, 6379));
      for (const from of [eventListener, neighbour, ingressController])
        assert.ok(!admits(policies, from, redis, 6379));
    }
    const policies = ofKind(sentinel, 'NetworkPolicy');
    assert.ok(admits(policies, redis, redis, 26379) && admits(policies, gateway, redis, 26379));
    assert.ok(!admits(policies, neighbour, redis, 26379));
  });

  it('keeps a gateway up through a drain, and never two on one node', function () {
    const [deployment] = ofKind(everything, 'Deployment').filter((d) => nameOf(d) === 'slackline-gateway');
    const spec = deployment?.doc['spec'];
    const podLabels = spec.template.metadata.labels;
    const [pdb] = ofKind(everything, 'PodDisruptionBudget').filter((p) => nameOf(p) === 'slackline-gateway');
    assert.ok(pdb, 'a PodDisruptionBudget for the gateway');
    assert.ok(Object.entries(pdb.doc['spec'].selector.matchLabels).every(([k, v]) => podLabels[k] === v));
    assert.ok(pdb.doc['spec'].minAvailable >= 1 && pdb.doc['spec'].minAvailable < spec.replicas);
    const byNode = spec.template.spec.topologySpreadConstraints.find(
      (c: Doc) => c['topologyKey'] === 'kubernetes.io/hostname',
    );
    assert.equal(byNode?.whenUnsatisfiable, 'DoNotSchedule');
    assert.equal(byNode?.maxSkew, 1);
    assert.ok(Object.entries(byNode.labelSelector.matchLabels).every(([k, v]) => podLabels[k] === v));
    assert.equal(spec.strategy.rollingUpdate.maxUnavailable, 0, 'a rollout never goes below the replicas');
    const [redisPdb] = ofKind(sentinel, 'PodDisruptionBudget').filter((p) => nameOf(p) === 'cicd-redis');
    assert.equal(redisPdb?.doc['spec'].maxUnavailable, 1, 'the Sentinels keep their majority');
  });

  it('meets the restricted Pod Security standard in every pod, Task steps included, read-only and with resources', function () {
    let pods = 0;
    for (const install of [everything, sentinel])
      for (const m of install)
        for (const pod of podsOf(m)) {
          pods++;
          assert.deepEqual([...restrictedProblems(pod, label(m)), ...hardeningProblems(pod, label(m))], []);
        }
    const tasks = [...ofKind(everything, 'Task')].length;
    assert.ok(tasks >= 5 && pods >= tasks + 2, `${pods} pods`);
  });

  it('the checks find what they look for: an open policy, a root step, a hostPath, an unconfined profile', function () {
    const policies = fixture(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ${NS}}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: slackline-gateway}}
  ingress: [{ports: [{port: 3000}]}]
`);
    assert.ok(admits(policies, neighbour, gateway, 3000), 'a rule without from admits everyone');
    assert.ok(!admits(policies, neighbour, gateway, 3001));
    const [task] = fixture(`
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  volumes: [{name: host, hostPath: {path: /}}]
  stepTemplate: {securityContext: {runAsNonRoot: true}}
  steps:
    - {name: a, image: x, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [SYS_ADMIN]}, seccompProfile: {type: Unconfined}}}
    - {name: b, image: x, securityContext: {runAsNonRoot: false, runAsUser: 0, privileged: true}}
`);
    const [pod] = podsOf(task as Manifest);
    const found = restrictedProblems(pod as never, 'Task/t').join('\n');
    for (const what of [
      'volume host is hostPath',
      'container a: adds capability SYS_ADMIN',
      'container a: seccompProfile is Unconfined',
      'container b: runAsNonRoot is not true',
      'container b: runAsUser 0',
      'container b: privileged',
      'container b: allowPrivilegeEscalation is not false',
      'container b: capabilities do not drop ALL',
    ])
      assert.ok(found.includes(what), `${what} in\n${found}`);
    assert.match(hardeningProblems(pod as never, 'Task/t').join(), /writable root file system.*no resource/);
  });
});
