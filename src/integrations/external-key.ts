/** Which external system drives a deploy; the first part of its key. */
export type ExternalSource = 'argo' | 'flagger';

/**
 * The idempotency key of an externally driven deploy: `argo:<namespace>/<rollout>:<podTemplateHash>` or
 * `flagger:<namespace>/<canary>:<checksum>`. Every call about the same revision of the same workload lands on the
 * same deploy; `workload` is the part shared by all revisions (`argo:<namespace>/<rollout>:`).
 */
export interface ExternalKey {
  key: string;
  workload: string;
  /** The revision part (pod template hash, Flagger checksum). */
  revision: string;
}

export function externalKey(
  source: ExternalSource,
  namespace: string,
  name: string,
  revision: string,
): ExternalKey {
  const workload = `${source}:${namespace}/${name}:`;
  return { key: `${workload}${revision}`, workload, revision };
}

/** The revision of a deploy's key, when it belongs to `workload`. */
export function revisionOf(idempotencyKey: string | null, workload: string): string | null {
  return idempotencyKey?.startsWith(workload) ? idempotencyKey.slice(workload.length) : null;
}
