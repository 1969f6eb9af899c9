import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import type { WorkClaimer } from './work-claimer.js';

export interface LeaseClaimerOptions {
  store: Store;
  /** This replica's id, unique across the cluster. */
  owner: string;
  /** A replica that stops renewing loses its services after this long. */
  leaseMs: number;
  logger: Logger;
  onTakeover?: (service: string) => void;
}

/**
 * Spreads services across replicas with leases in PostgreSQL. Each replica takes up to its fair share
 * (services with work / live replicas, rounded up), renews what it holds, and gives back what it no longer needs.
 * A replica that dies stops renewing; after the lease time others take its services with a higher fencing token,
 * so any late write from the dead one is refused.
 */
export class LeaseClaimer implements WorkClaimer {
  private readonly held = new Map<string, number>();
  private readonly o: LeaseClaimerOptions;

  constructor(o: LeaseClaimerOptions) {
    this.o = o;
  }

  get owner(): string {
    return this.o.owner;
  }

  async claim() {
    const { store, owner, leaseMs } = this.o;
    const replicas = Math.max(1, await store.leases.heartbeat(owner, leaseMs));
    const work = await store.deploys.servicesWithWork();
    const wanted = new Set(work);
    // Renew what we hold; drop what we lost or no longer need.
    for (const [service, token] of [...this.held]) {
      if (!wanted.has(service)) {
        await store.leases.release(service, owner, token);
        this.held.delete(service);
      } else if (!(await store.leases.renew(service, owner, token, leaseMs))) {
        this.o.logger.warn({ service, token }, 'lease lost; another replica took over');
        this.held.delete(service);
      }
    }
    const share = Math.ceil(work.length / replicas);
    // Start at a replica-specific offset so replicas do not all race for the same services first.
    const offset = hash(owner) % Math.max(1, work.length);
    for (let i = 0; i < work.length && this.held.size < share; i++) {
      const service = work[(i + offset) % work.length];
      if (this.held.has(service)) continue;
      const token = await store.leases.acquire(service, owner, leaseMs);
      if (token !== null) {
        this.held.set(service, token);
        if (token > 1) this.o.onTakeover?.(service);
      }
    }
    // Give back the surplus over our share (a new replica joined), one per round to avoid churn.
    if (this.held.size > share + 1) {
      const [service, token] = [...this.held].pop()!;
      await store.leases.release(service, owner, token);
      this.held.delete(service);
    }
    return [...this.held].map(([service, token]) => ({ service, fence: { owner, token } }));
  }

  /** Keeps the leases alive while long deployer actions run between rounds. */
  async renewAll(): Promise<void> {
    const { store, owner, leaseMs } = this.o;
    await store.leases.heartbeat(owner, leaseMs);
    for (const [service, token] of [...this.held]) {
      if (!(await store.leases.renew(service, owner, token, leaseMs))) this.held.delete(service);
    }
  }

  async releaseAll(): Promise<void> {
    for (const [service, token] of this.held) await this.o.store.leases.release(service, this.o.owner, token);
    this.held.clear();
    await this.o.store.leases.leave(this.o.owner);
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
