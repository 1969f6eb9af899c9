import type { V1Deployment } from '@kubernetes/client-node';

/**
 * Whether a Deployment finished rolling out to `replicas` pods, as `kubectl rollout status` decides: the
 * controller saw the latest spec, every pod runs it, no old pods remain and all are available. Returns the
 * reason it is not done, or null when it is.
 */
export function deploymentPending(d: V1Deployment, replicas: number): string | null {
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0))
    return 'waiting for the controller to see the change';
  const updated = s.updatedReplicas ?? 0;
  const current = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < replicas) return `${updated} of ${replicas} pods updated`;
  if (current > replicas) return `${current - replicas} old pods still terminating`;
  if (available < replicas) return `${available} of ${replicas} pods available`;
  return null;
}
