import { formatEffect, formatP, formatValue, sig, type ValueUnit } from '../analysis/value-format.js';
import { serverNow } from './server-clock.js';

// The judge's own formatting, so the dashboard shows numbers exactly as reasons and Slack messages do.
export { formatEffect, formatP, formatValue, sig };
export type { ValueUnit };

const pad = (n: number) => String(n).padStart(2, '0');

/** `14:03:07`, with the date in front when it is not today. Local time. */
export function formatTime(ms: number | null | undefined, now = serverNow()): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date(now);
  const sameDay =
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** ISO 8601, for title attributes. */
export function isoTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString();
}

/** `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${pad(m % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `3 min ago`. */
export function formatAge(ms: number, now = serverNow()): string {
  const d = now - ms;
  return d < 0 ? 'just now' : `${formatDuration(d)} ago`;
}

/**
 * A relative change for sentences: `+118%`, `-3.4%`, `x25`. (The judge's formatEffect keeps two significant digits,
 * which prints +118% as +1.2e+2%.)
 */
export function formatChange(e: number): string {
  if (Number.isFinite(e) && Math.abs(e) >= 1 && e < 9) return `${e >= 0 ? '+' : ''}${Math.round(e * 100)}%`;
  return formatEffect(e);
}

/** A share 0..1 as `42%`. */
export function formatShare(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${sig(x * 100, 3)}%`;
}

export function formatNumber(v: number | null | undefined, unit: ValueUnit = ''): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : formatValue(v, unit);
}
