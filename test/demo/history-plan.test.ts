import { describe, expect, it } from 'vitest';
import { HistoryPlan } from '../../src/demo/history-plan.js';

const END = Date.UTC(2025, 2, 4, 10, 0);
const MIN = 60_000;
const stages = [1, 10, 50, 100].map((traffic) => ({ traffic, bakeMs: 5 * MIN }));

describe('HistoryPlan', () => {
  it('walks past deploys through the stages, three a day, all finished before the end', () => {
    const plan = new HistoryPlan(END, 29, stages);
    expect(plan.count).toBeGreaterThanOrEqual(86);
    expect(plan.stableAtEnd).toBe(`v1.${plan.count}.0`);
    // 02:00 UTC on the end day: the latest deploy, v1.<count>.0, at 1% for its first 5 minutes.
    const two = Date.UTC(2025, 2, 4, 2, 0);
    expect(plan.splitAt(two + 2 * MIN)).toMatchObject({ canary: plan.stableAtEnd, share: 1, since: two });
    expect(plan.splitAt(two + 12 * MIN)).toMatchObject({
      canary: plan.stableAtEnd,
      share: 50,
      since: two + 10 * MIN,
    });
    expect(plan.splitAt(two + 25 * MIN)).toMatchObject({ stable: plan.stableAtEnd, canary: null });
    expect(plan.splitAt(END - MIN)).toMatchObject({ stable: plan.stableAtEnd, canary: null, share: 0 });
  });
});
