import { z } from 'zod';
import type { ExternalOutcome } from './external-events.js';

/**
 * What Flagger POSTs to every webhook (`confirm-promotion`, `rollback`, `event`, …): the canary's name, namespace
 * and phase, a checksum of the canary's tracked spec (one per revision; older Flagger versions omit it) and the
 * webhook's `metadata` map from the Canary. Event webhooks add `eventMessage`, `eventType` and `timestamp` to the
 * metadata. Unknown fields are kept: some Flagger builds send more (e.g. `canaryWeight`).
 */
export const flaggerPayloadSchema = z
  .object({
    name: z.string().min(1).max(253),
    namespace: z.string().min(1).max(253),
    phase: z.string().max(100).optional(),
    checksum: z.string().max(200).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    canaryWeight: z.number().min(0).max(100).optional(),
  })
  .loose();

export type FlaggerPayload = z.infer<typeof flaggerPayloadSchema>;

/** Phases in which the canary receives traffic and analysis runs (Flagger calls the rollback hook in these). */
const PROGRESSING = new Set(['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

/** What a Flagger event means for the deploy: null for phases that say nothing about a rollout (Initialized, …). */
export function flaggerOutcome(phase: string | undefined): ExternalOutcome | null {
  if (phase === 'Succeeded') return 'promoted';
  if (phase === 'Failed') return 'rolled_back';
  return phase && PROGRESSING.has(phase) ? 'progressing' : null;
}

/** True when the canary takes part in an analysis (a deploy may be created for it). */
export function flaggerAnalysing(phase: string | undefined): boolean {
  return !!phase && PROGRESSING.has(phase);
}

const ADVANCE = /\bcanary weight (\d{1,3})\b/;

/**
 * The canary weight an event reports: Flagger's "Advance podinfo.test canary weight 20" event message, or a
 * `canaryWeight` field where the build sends one. Undefined when the event does not say.
 */
export function flaggerWeight(p: FlaggerPayload): number | undefined {
  if (p.canaryWeight !== undefined) return p.canaryWeight;
  const m = ADVANCE.exec(p.metadata?.eventMessage ?? '');
  if (!m) return undefined;
  const w = Number(m[1]);
  return w <= 100 ? w : undefined;
}
