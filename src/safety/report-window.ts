import { ReleasebotError } from '../errors/releasebot-error.js';
import { addPeriods, periodStart, type Period } from './report-period.js';

/** Periods a report shows when `from` is not given. */
const DEFAULT_COUNT: Readonly<Record<Period, number>> = { week: 12, month: 12, quarter: 4 };
/** Keeps a typo (`--from 1970-01-01`) from building tens of thousands of buckets. */
const MAX_PERIODS = 520;

/**
 * The report's window, aligned to whole periods: `from` moves back to its period's start, `to` (exclusive, default
 * now) forward to the end of the period it falls in, unless it is a period start already.
 */
export function reportWindow(
  q: { from?: number; to?: number; period: Period },
  now: number,
): { from: number; to: number } {
  const toRaw = q.to ?? now;
  if (q.from !== undefined && q.from >= toRaw)
    throw new ReleasebotError('REQUEST_INVALID', '`from` must be before `to`');
  const toStart = periodStart(toRaw, q.period);
  const to = toStart === toRaw ? toRaw : addPeriods(toStart, q.period, 1);
  const from =
    q.from !== undefined ? periodStart(q.from, q.period) : addPeriods(to, q.period, -DEFAULT_COUNT[q.period]);
  if (addPeriods(from, q.period, MAX_PERIODS) < to) {
    throw new ReleasebotError(
      'REQUEST_INVALID',
      `the report covers at most ${MAX_PERIODS} ${q.period}s; narrow from/to`,
    );
  }
  return { from, to };
}
