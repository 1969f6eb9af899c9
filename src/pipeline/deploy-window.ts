import type { DeployWindow } from '../config/schema.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Weekday and minute of day of `now` in a time zone. */
function localTime(now: number, timeZone: string): { day: (typeof DAYS)[number]; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number];
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * True when deploys may proceed at `now`: no windows configured, or `now` inside one. A window whose end is before
 * its start spans midnight (it belongs to the day it starts on).
 */
export function inDeployWindow(windows: readonly DeployWindow[], now: number): boolean {
  if (!windows.length) return true;
  return windows.some((w) => {
    const { day, minute } = localTime(now, w.timezone);
    const start = minuteOf(w.start);
    const end = minuteOf(w.end);
    if (start <= end) return w.days.includes(day) && minute >= start && minute < end;
    const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7];
    return (w.days.includes(day) && minute >= start) || (w.days.includes(yesterday) && minute < end);
  });
}
