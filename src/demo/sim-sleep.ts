import type { AcceleratedClock } from './accelerated-clock.js';

/** Waits `ms` of simulated time; resolves early (false) when the signal aborts. */
export function simSleep(clock: AcceleratedClock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  const until = clock.now() + ms;
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, clock.realDelayUntil(until));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
