/**
 * Pods for each Deployment so the canary gets about `traffic` percent of `total`: at least one canary pod while it
 * has any traffic, and at least one stable pod until it has all (a Service spreads requests evenly over ready pods,
 * so the share of pods is the share of traffic).
 */
export function splitReplicas(total: number, traffic: number): { canary: number; stable: number } {
  let canary: number;
  if (traffic <= 0) canary = 0;
  else if (traffic >= 100) canary = total;
  else canary = Math.min(Math.max(1, Math.round((total * traffic) / 100)), Math.max(1, total - 1));
  return { canary, stable: total - canary };
}
