import { describe, expect, it } from 'vitest';
import { AcceleratedClock } from '../../src/demo/accelerated-clock.js';

const tick = () => Promise.resolve();

describe('AcceleratedClock', () => {
  it('stands still until run, then runs `speed` times faster than the real source', async () => {
    let real = 1000;
    const clock = new AcceleratedClock({ start: 5_000_000, speed: 600, realNow: () => real });
    real += 50;
    expect(clock.now()).toBe(5_000_000);
    clock.run();
    for (let i = 0; i < 4; i++) {
      real += 25; // 25 real ms = 15 simulated seconds
      await tick();
      clock.now();
    }
    expect(clock.now()).toBe(5_060_000);
    expect(clock.realDelayUntil(5_120_000)).toBe(100);
    clock.stop();
  });

  it('shows one instant within a synchronous run of code and never goes back', async () => {
    let real = 0;
    const clock = new AcceleratedClock({ start: 0, speed: 60, realNow: () => real });
    clock.run();
    real = 10;
    const a = clock.now();
    real = 20;
    expect(clock.now()).toBe(a);
    await tick();
    expect(clock.now()).toBe(1200);
    real = 5; // a misbehaving source must not move time backwards
    await tick();
    expect(clock.now()).toBe(1200);
    clock.stop();
  });

  it('slows down instead of jumping when the process stalls', async () => {
    let real = 0;
    const clock = new AcceleratedClock({ start: 0, speed: 600, realNow: () => real, maxStepMs: 20_000 });
    clock.run();
    real = 2000; // a two-second stall would be 20 simulated minutes
    await tick();
    expect(clock.now()).toBe(20_000);
    clock.stop();
  });
});
