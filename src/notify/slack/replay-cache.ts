/**
 * Signatures of Slack requests already accepted, until their timestamp leaves the 5-minute window (after which
 * the request is rejected as stale anyway). Bounded: past `maxEntries` the oldest are dropped first. Kept per
 * process: a replay sent to another replica is caught only by that replica's own cache.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Records `key` until `expiresAt` (ms); false when it was already recorded and has not expired. */
  add(key: string, expiresAt: number, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.delete(key);
    this.seen.set(key, expiresAt);
    this.prune(now);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    // Insertion order is roughly expiry order, so expired entries sit at the front.
    for (const [k, until] of this.seen) {
      if (until > now && this.seen.size <= this.maxEntries) break;
      this.seen.delete(k);
    }
  }
}
