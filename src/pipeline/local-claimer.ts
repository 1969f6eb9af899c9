import type { Store } from '../store/store.js';
import type { WorkClaimer } from './work-claimer.js';

/** One process owns everything: the embedded store's single-process mode, replays and the demo. */
export class LocalClaimer implements WorkClaimer {
  constructor(private readonly store: Store) {}

  async claim() {
    return (await this.store.deploys.servicesWithWork()).map((service) => ({ service }));
  }

  async releaseAll(): Promise<void> {}
}
