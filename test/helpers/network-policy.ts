import type { Doc, Manifest } from './tekton-manifests';

/** A pod as a NetworkPolicy sees it: its labels and its namespace's (`kubernetes.io/metadata.name` included). */
export interface PodEndpoint {
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports, for rules that name a port. */
  ports?: Record<string, number>;
}

function selects(selector: Doc | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const matchLabels: Record<string, string> = selector['matchLabels'] ?? {};
  const expressions: Doc[] = selector['matchExpressions'] ?? [];
  return (
    Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
    expressions.every((e) => {
      const has = Object.hasOwn(labels, e['key']);
      const value = labels[e['key']];
      if (e['operator'] === 'Exists') return has;
      if (e['operator'] === 'DoesNotExist') return !has;
      if (e['operator'] === 'In') return has && e['values'].includes(value);
      return !has || !e['values'].includes(value); // NotIn
    })
  );
}

const namespaceLabels = (p: PodEndpoint) => ({ 'kubernetes.io/metadata.name': p.namespace });

/**
 * Whether `from` may open a connection to `to` on TCP `port`, by Kubernetes' NetworkPolicy rules: a pod no
 * Ingress policy of its namespace selects takes everything; otherwise a connection needs a rule of one of the
 * selecting policies whose peer (podSelector: this namespace; namespaceSelector: those namespaces; both: those
 * pods there) and ports (none: all; a name: the destination's named port) match. ipBlock peers are not modelled.
 */
export function admits(policies: Manifest[], from: PodEndpoint, to: PodEndpoint, port: number): boolean {
  const selecting = policies.filter(
    (p) =>
      p.doc['metadata']['namespace'] === to.namespace &&
      (p.doc['spec']['policyTypes'] ?? ['Ingress']).includes('Ingress') &&
      selects(p.doc['spec']['podSelector'], to.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (p.doc['spec']['ingress'] ?? []).some((rule: Doc) => {
      const peers: Doc[] | undefined = rule['from'];
      const peerMatches =
        !peers ||
        peers.some((peer) => {
          if (peer['ipBlock']) return false;
          const inNamespace = peer['namespaceSelector']
            ? selects(peer['namespaceSelector'], namespaceLabels(from))
            : from.namespace === to.namespace;
          return inNamespace && selects(peer['podSelector'], from.labels);
        });
      const ports: Doc[] | undefined = rule['ports'];
      const portMatches =
        !ports ||
        ports.some(
          (p) => (p['protocol'] ?? 'TCP') === 'TCP' && (p['port'] === port || to.ports?.[p['port']] === port),
        );
      return peerMatches && portMatches;
    }),
  );
}
