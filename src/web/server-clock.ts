/**
 * The server's clock as seen from the browser. Ages and "running for" are measured against it, not the browser's:
 * the two may differ (a skewed laptop, or the demo's simulated clock). Learned from /api/v1/whoami, and moved
 * forward by events stamped later than our estimate.
 */
let offset = 0;

export function setServerTime(serverNow: number): void {
  offset = serverNow - Date.now();
}

/** An event (or answer) stamped `t` by the server: the server's clock is at least there. */
export function observeServerTime(t: number): void {
  if (t > serverNow()) setServerTime(t);
}

export function serverNow(): number {
  return Date.now() + offset;
}
