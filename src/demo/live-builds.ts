import type { DemoBuild } from './demo-build.js';
import { REGRESSIONS } from './regression.js';
import { SeededRandom } from './seeded-random.js';

const MINUTE_MS = 60_000;

const TITLES = [
  'Cache product images at the edge',
  'Show delivery estimates on the cart page',
  'Upgrade the HTTP client library',
  'Batch inventory lookups',
  'Add a search suggestion endpoint',
  'Translate the checkout page into Dutch',
  'Tidy up the feature flag for gift cards',
  'Move session storage to the new cluster',
  'Compress API responses larger than 1 KB',
  'Retry failed webhook deliveries',
  'Paginate the order history',
  'Rename the shipping options for clarity',
];
const AUTHORS = ['maria', 'devon', 'li', 'sam', 'noor', 'jonas', 'ada'];

/**
 * The live demo's endless stream of builds: each carries one or two changes; about one in four is bad, with a
 * regression drawn from REGRESSIONS in turn (errors, latency, log volume), never two bad ones in a row.
 */
export class LiveBuilds {
  private minor: number;
  private pr = 2400;
  private bad = 0;
  private lastBad = true;
  private readonly rng: SeededRandom;

  constructor(stableMinor: number, seed: number) {
    this.minor = stableMinor;
    this.rng = SeededRandom.for(seed, 0xb1d5);
  }

  next(): DemoBuild {
    this.minor++;
    const changes = Array.from({ length: 1 + (this.rng.next() < 0.35 ? 1 : 0) }, () => ({
      id: `#${(this.pr += 1 + Math.floor(this.rng.next() * 6))}`,
      title: TITLES[Math.floor(this.rng.next() * TITLES.length)],
      author: AUTHORS[Math.floor(this.rng.next() * AUTHORS.length)],
    }));
    const isBad = !this.lastBad && this.rng.next() < 0.25;
    this.lastBad = isBad;
    const regression = isBad ? REGRESSIONS[this.bad++ % REGRESSIONS.length] : undefined;
    return {
      version: `v1.${this.minor}.0`,
      changes,
      ...(regression ? { regression } : {}),
      gapMs: (2 + Math.floor(this.rng.next() * 4)) * MINUTE_MS,
    };
  }
}
